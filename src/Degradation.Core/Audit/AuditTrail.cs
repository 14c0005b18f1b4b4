using System.Globalization;
using Degradation.Collections;

namespace Degradation.Audit;

/// <summary>
/// A tamper-evident, in-memory audit trail: every entry is chained to the previous one by SHA-256.
/// Attach it to the state machine with <c>stateMachine.AddAuditStore(trail)</c> to record every transition,
/// override and release; operators' approvals and other commands are appended with
/// <see cref="AppendApproval"/> and <see cref="AppendOperatorAction"/>. Bounded: when full, the oldest entries
/// are dropped and <see cref="AnchorHash"/> moves to the hash preceding the oldest retained entry, so the
/// retained chain still verifies. Subscribe to <see cref="EntryAppended"/> to persist entries elsewhere.
/// Thread-safe.
/// </summary>
public sealed class AuditTrail : IAuditStore
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly BoundedHistory<AuditEntry> _entries;
    private long _sequence;
    private string _lastHash = AuditChainVerifier.GenesisHash;
    private string _anchor = AuditChainVerifier.GenesisHash;
    private long _handlerFailures;

    /// <summary>Creates an empty trail.</summary>
    /// <param name="timeProvider">Clock for entries that carry no time of their own; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="capacity">How many entries are retained (default 100 000).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public AuditTrail(TimeProvider? timeProvider = null, int capacity = 100_000)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity must be > 0 (was {capacity}).");
        _time = timeProvider ?? TimeProvider.System;
        _entries = new BoundedHistory<AuditEntry>(capacity);
    }

    /// <summary>
    /// Raised, under the trail's lock and in sequence order, after each entry is appended (e.g. to write it to
    /// durable storage). Keep handlers short; an exception from a handler is swallowed and counted.
    /// </summary>
    public event Action<AuditEntry>? EntryAppended;

    /// <summary>Entries appended since creation (the last sequence number).</summary>
    public long Count { get { lock (_lock) return _sequence; } }

    /// <summary>Handlers of <see cref="EntryAppended"/> that threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>The hash that precedes the oldest retained entry (<see cref="AuditChainVerifier.GenesisHash"/> until entries are dropped).</summary>
    public string AnchorHash { get { lock (_lock) return _anchor; } }

    /// <summary>The hash of the newest entry (the chain head).</summary>
    public string HeadHash { get { lock (_lock) return _lastHash; } }

    /// <summary>Appends an entry and returns it with its sequence and hash.</summary>
    /// <exception cref="ArgumentException"><paramref name="action"/> is empty.</exception>
    public AuditEntry Append(AuditEntryKind kind, string action, string? component = null, string? operatorId = null,
        string? from = null, string? to = null, string? reason = null, string? details = null, DateTimeOffset? wallTime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return Append(new AuditRecord
        {
            Kind = kind, Action = action, Component = component, OperatorId = operatorId, From = from, To = to,
            Reason = reason, Details = details, WallTime = wallTime ?? _time.GetUtcNow(),
        });
    }

    /// <summary>
    /// Appends every event <paramref name="bus"/> processes whose reason is record-only (<c>positions_reconciled</c>, see
    /// <see cref="DefaultDecisionMatrix.RecordOnly"/>) as an <see cref="AuditEntryKind.Other"/> entry named after the reason:
    /// such events change no condition, so no transition would otherwise record them. Dispose to stop.
    /// </summary>
    public IDisposable FollowRecordedEvents(EventBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus.Subscribe(e =>
        {
            if (RecordOnlyEvents.ToAuditRecord(e) is { } record) Append(record);
        });
    }

    /// <summary>Records that <paramref name="operatorId"/> granted (or revoked) an approval for <paramref name="subject"/>.</summary>
    /// <exception cref="ArgumentException">An empty subject, operator id or reason.</exception>
    public AuditEntry AppendApproval(string subject, string operatorId, string reason, bool granted = true, string? details = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Append(AuditEntryKind.Approval, granted ? "approval.granted" : "approval.revoked", subject, operatorId, reason: reason, details: details);
    }

    /// <summary>Records an operator command (<paramref name="action"/>, e.g. <c>load.reset</c>).</summary>
    /// <exception cref="ArgumentException">An empty action, operator id or reason.</exception>
    public AuditEntry AppendOperatorAction(string action, string operatorId, string reason, string? component = null, string? details = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Append(AuditEntryKind.OperatorAction, action, component, operatorId, reason: reason, details: details);
    }

    /// <summary>Records a state-machine transition (its own wall time is kept).</summary>
    public AuditEntry AppendTransition(ModeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var kind = transition.Kind switch
        {
            TransitionKind.OverrideStarted or TransitionKind.OverrideEnded => AuditEntryKind.Override,
            TransitionKind.HaltReleased or TransitionKind.OperatorCommand or TransitionKind.OperatorHalt => AuditEntryKind.OperatorAction,
            _ => AuditEntryKind.Transition,
        };
        var details = (transition.Scope is null ? "" : $"scope {transition.Scope}; ")
            + $"transition #{transition.Sequence.ToString(CultureInfo.InvariantCulture)}"
            + (transition.OverrideTtl is { } ttl ? $"; ttl {ttl.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : "")
            + (transition.RecoveryRun is { } run ? $"; run {run}" : "")
            + (transition.Details is null ? "" : "; " + transition.Details);
        return Append(kind, ActionName(transition.Kind), transition.Component.Name, transition.OperatorId,
            Describe(transition.From, transition.FromStage), Describe(transition.To, transition.ToStage),
            transition.Reason.Value, details, transition.WallTime);
    }

    /// <summary><see cref="IAuditStore"/>: appends <paramref name="transition"/> (see <see cref="AppendTransition"/>).</summary>
    public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AppendTransition(transition);
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends an audit record (its own wall time is kept) and returns it chained.</summary>
    /// <exception cref="ArgumentException">The record's action is empty.</exception>
    public AuditEntry Append(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action, nameof(record) + "." + nameof(AuditRecord.Action));
        lock (_lock)
        {
            var sequence = _sequence + 1;
            var entry = new AuditEntry
            {
                Sequence = sequence, Record = record, PreviousHash = _lastHash,
                Hash = AuditChainVerifier.ComputeHash(sequence, record, _lastHash),
            };
            _sequence = sequence;
            _lastHash = entry.Hash;
            if (_entries.Add(entry, out var dropped)) _anchor = dropped.Hash;
            Notify(entry);
            return entry;
        }
    }

    /// <summary><see cref="IAuditStore"/>: appends <paramref name="record"/> (see <see cref="Append(AuditRecord)"/>).</summary>
    public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Append(record);
        return ValueTask.CompletedTask;
    }

    /// <summary>The retained entries, oldest first.</summary>
    public IReadOnlyList<AuditEntry> GetEntries()
    {
        lock (_lock) return _entries.ToArray();
    }

    /// <summary>Verifies the retained entries against <see cref="AnchorHash"/>.</summary>
    public AuditVerification Verify()
    {
        IReadOnlyList<AuditEntry> entries;
        string anchor;
        lock (_lock)
        {
            entries = GetEntries();
            anchor = _anchor;
        }
        return AuditChainVerifier.Verify(entries, anchor);
    }

    private void Notify(AuditEntry entry)
    {
        var handlers = EntryAppended;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<AuditEntry>>())
        {
            try { handler(entry); }
            catch (Exception) { Interlocked.Increment(ref _handlerFailures); /* a failing persistence hook must not break auditing */ }
        }
    }

    private static string ActionName(TransitionKind kind) => WireNames.Of(kind);

    private static string Describe(SystemMode mode, RecoveryStage? stage) => stage is { } s ? $"{mode}/{s}" : mode.ToString();
}
