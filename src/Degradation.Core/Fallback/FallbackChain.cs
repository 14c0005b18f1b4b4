using System.Text;
using Degradation.Collections;

namespace Degradation.Fallback;

/// <summary>
/// The governance shared by every <see cref="FallbackChain{T}"/> (docs/RULES.md, Fallback governance): ordered tiers with
/// per-tier consecutive-failure breakers, automatic failover except into tiers that need an operator's
/// approval, and the gradual restoration of the primary — a ramp of traffic shares, each step validated
/// (consecutive passes, p99 latency, error rate, throughput) and rolled back on an error spike. Every
/// transition is kept in a bounded history, stored in the chain's <see cref="IAuditStore"/> and, when it needs
/// attention, raised through the <see cref="AlertRouter"/>. Thread-safe.
/// </summary>
public abstract class FallbackChain
{
    private protected readonly object _lock = new();
    private protected readonly TimeProvider _time;
    private protected readonly FallbackChainOptions _options;
    private protected readonly FallbackTierInfo[] _tiers;
    private protected readonly TierBreaker[] _breakers;
    private protected int _primaryState;

    private readonly AuditWriter? _audit;
    private readonly AlertRouter? _alerts;
    private readonly TimeSpan _breakDuration;
    private readonly long _breakTicks;
    private readonly RestorationRampStep[] _ramp;
    private readonly bool[] _needsApproval;
    private readonly bool[] _approved;
    private readonly bool[] _approvalPending;
    private readonly BoundedHistory<FallbackTransition> _history;
    private long _sequence;
    private long _primaryRestoreDue = BreakerTime.Never;
    private int _activeTier;
    private int _rampStep = -1;
    private int _rampPercent = 100;
    private long _rampCounter;
    private RestorationWindow? _window;
    private RestorationValidation? _lastValidation;

    private protected FallbackChain(string name, IReadOnlyList<(string Name, FallbackTierKind Kind, int Quality, bool RequiresApproval)> tiers,
        FallbackChainOptions? options, TimeProvider? timeProvider, IAuditStore? audit, AlertRouter? alerts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (tiers.Count == 0) throw new ArgumentException($"Fallback chain '{name}' needs at least one tier.", nameof(tiers));
        if (tiers[0].RequiresApproval)
            throw new ArgumentException($"The primary tier '{tiers[0].Name}' of chain '{name}' cannot require approval.", nameof(tiers));
        var duplicate = tiers.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Fallback chain '{name}' has two tiers named '{duplicate.Key}'.", nameof(tiers));
        options ??= new FallbackChainOptions();
        options.ValidateAndThrow();
        _options = options.Frozen<FallbackChainOptions>(); // validated once: later changes to the caller's object change nothing
        Name = name;
        _time = timeProvider ?? TimeProvider.System;
        _audit = audit is null ? null : new AuditWriter(audit);
        _alerts = alerts;
        _breakDuration = _options.BreakDuration;
        _breakTicks = BreakerTime.ToTimestampTicks(_breakDuration, _time.TimestampFrequency);
        _ramp = [.. _options.RestorationRamp];
        _tiers = new FallbackTierInfo[tiers.Count];
        _breakers = new TierBreaker[tiers.Count];
        _needsApproval = new bool[tiers.Count];
        _approved = new bool[tiers.Count];
        _approvalPending = new bool[tiers.Count];
        for (var i = 0; i < tiers.Count; i++)
        {
            var (tierName, kind, quality, requiresApproval) = tiers[i];
            _tiers[i] = new FallbackTierInfo(i, tierName, kind, quality, requiresApproval);
            _breakers[i] = new TierBreaker(_options.FailureThreshold, _lock, _breakTicks);
            _needsApproval[i] = i > 0 && (requiresApproval || !_options.AutoFailover);
        }
        _history = new BoundedHistory<FallbackTransition>(_options.HistorySize);
    }

    /// <summary>Audit records the chain's <see cref="IAuditStore"/> failed or refused (each also a lost audit entry to investigate).</summary>
    public long AuditFailures => _audit?.Failures ?? 0;

    /// <summary>Completes when every audit record so far has been handled by the store.</summary>
    internal Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>The chain's name.</summary>
    public string Name { get; }

    /// <summary>The tiers, in order; index 0 is the primary.</summary>
    public IReadOnlyList<FallbackTierInfo> Tiers => _tiers;

    /// <summary>Where the primary stands.</summary>
    public PrimaryTierState PrimaryState => (PrimaryTierState)Volatile.Read(ref _primaryState);

    /// <summary>The first usable tier, or null when none is usable.</summary>
    public FallbackTierInfo? ActiveTier
    {
        get
        {
            var index = Volatile.Read(ref _activeTier);
            return index < 0 ? null : _tiers[index];
        }
    }

    /// <summary>Governance events since creation (the last sequence number).</summary>
    public long TransitionCount => Interlocked.Read(ref _sequence);

    /// <summary>Names of the tiers traffic reached without the approval they need.</summary>
    public IReadOnlyList<string> PendingApprovals
    {
        get { lock (_lock) return [.. _tiers.Where(t => _approvalPending[t.Index]).Select(t => t.Name)]; }
    }

    /// <summary>
    /// Approves <paramref name="tier"/> (audited): traffic may now fail over to it. Approvals last until the
    /// primary is fully restored, so the next incident needs a new one.
    /// </summary>
    /// <returns>False when it was already approved.</returns>
    /// <exception cref="ArgumentException">Unknown tier, empty operator id or reason.</exception>
    /// <exception cref="InvalidOperationException">The tier does not need approval.</exception>
    public bool Approve(string tier, string operatorId, string reason) => SetApproval(tier, operatorId, reason, true);

    /// <summary>Revokes <paramref name="tier"/>'s approval (audited).</summary>
    /// <returns>False when it was not approved.</returns>
    /// <exception cref="ArgumentException">Unknown tier, empty operator id or reason.</exception>
    /// <exception cref="InvalidOperationException">The tier does not need approval.</exception>
    public bool RevokeApproval(string tier, string operatorId, string reason) => SetApproval(tier, operatorId, reason, false);

    /// <summary>Takes the primary out of service now (audited); it comes back through the restoration ramp.</summary>
    /// <returns>False when it was already broken.</returns>
    public bool FailOver(string operatorId, string reason)
    {
        RequireOperator(operatorId, reason);
        lock (_lock)
        {
            if (PrimaryState == PrimaryTierState.Broken) return false;
            var now = _time.GetTimestamp();
            BreakPrimaryLocked(now);
            Record(FallbackTransitionKind.ManualFailover, _tiers[0].Name, null, 0, operatorId, reason, now);
            Recompute(now, operatorId, reason);
            return true;
        }
    }

    /// <summary>Starts the restoration ramp of a broken primary now (audited), without waiting for the break duration.</summary>
    /// <exception cref="InvalidOperationException">The primary is not broken.</exception>
    public void BeginRestoration(string operatorId, string reason)
    {
        RequireOperator(operatorId, reason);
        lock (_lock)
        {
            if (PrimaryState != PrimaryTierState.Broken)
                throw new InvalidOperationException($"The primary of chain '{Name}' is {PrimaryState}, not Broken; nothing to restore.");
            StartRestorationLocked(_time.GetTimestamp(), operatorId, reason);
        }
    }

    /// <summary>Puts the primary back in full service now, skipping the ramp (audited).</summary>
    /// <returns>False when it was already active.</returns>
    public bool RestorePrimary(string operatorId, string reason)
    {
        RequireOperator(operatorId, reason);
        lock (_lock)
        {
            if (PrimaryState == PrimaryTierState.Active) return false;
            CompleteRestorationLocked(_time.GetTimestamp(), operatorId, reason);
            return true;
        }
    }

    /// <summary>
    /// Moves the restoration along without traffic: starts it once the primary's break has elapsed (with
    /// <see cref="FallbackChainOptions.AutoRestore"/>) and validates the current ramp step when its duration has
    /// passed. Calls do this too; a timer calling this keeps a quiet chain progressing.
    /// </summary>
    /// <returns>The primary's state afterwards.</returns>
    public PrimaryTierState EvaluateRestoration()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (PrimaryState == PrimaryTierState.Broken) TryAutoRestoreLocked(now);
            if (PrimaryState == PrimaryTierState.Restoring) EvaluateRampLocked(now);
            return PrimaryState;
        }
    }

    /// <summary>The retained transitions, oldest first.</summary>
    public IReadOnlyList<FallbackTransition> GetTransitions()
    {
        lock (_lock) return _history.ToArray();
    }

    /// <summary>A point-in-time view for reports and operators.</summary>
    public FallbackChainStatus GetStatus()
    {
        lock (_lock)
        {
            var state = PrimaryState;
            return new FallbackChainStatus
            {
                Name = Name,
                PrimaryState = state,
                ActiveTier = ActiveTier,
                PrimaryTrafficPercent = state switch { PrimaryTierState.Active => 100, PrimaryTierState.Broken => 0, _ => _rampPercent },
                RampStep = state == PrimaryTierState.Restoring ? _rampStep : null,
                LastValidation = _lastValidation,
                Tiers = [.. _tiers.Select(t => new FallbackTierStatus
                {
                    Tier = t, IsBroken = _breakers[t.Index].IsBroken, ConsecutiveFailures = _breakers[t.Index].ConsecutiveFailures,
                    NeedsApproval = _needsApproval[t.Index], IsApproved = _approved[t.Index], ApprovalPending = _approvalPending[t.Index],
                    Answered = _breakers[t.Index].Answered, Failures = _breakers[t.Index].Failures,
                })],
            };
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: primary {PrimaryState}, active {ActiveTier?.ToString() ?? "none"}";

    // ---- admission (called by FallbackChain<T> on each call) ----------------------------------

    private protected TierAdmission AdmitPrimary()
    {
        var state = PrimaryState;
        if (state == PrimaryTierState.Active) return TierAdmission.Primary;
        if (state == PrimaryTierState.Broken)
        {
            if (!_options.AutoRestore) return TierAdmission.Skip;
            var now = _time.GetTimestamp();
            if (now < Volatile.Read(ref _primaryRestoreDue)) return TierAdmission.Skip;
            lock (_lock) TryAutoRestoreLocked(now);
            state = PrimaryState;
            if (state != PrimaryTierState.Restoring) return state == PrimaryTierState.Active ? TierAdmission.Primary : TierAdmission.Skip;
        }
        // Deterministic split: call n goes to the primary when ceil(n·p/100) grows, i.e. the 1st, then one in every 100/p.
        var n = Interlocked.Increment(ref _rampCounter);
        long percent = Volatile.Read(ref _rampPercent);
        return (n * percent + 99) / 100 > ((n - 1) * percent + 99) / 100 ? TierAdmission.RampProbe : TierAdmission.Skip;
    }

    private protected TierAdmission AdmitFallback(int index, out BreakerPermit trial)
    {
        trial = default;
        if (_needsApproval[index] && !Volatile.Read(ref _approved[index]))
        {
            if (!Volatile.Read(ref _approvalPending[index])) RequestApproval(index);
            return TierAdmission.Skip;
        }
        var breaker = _breakers[index];
        if (breaker.IsClosed) return TierAdmission.Fallback;
        lock (_lock) return breaker.TryBeginTrial(_time.GetTimestamp(), out trial) ? TierAdmission.Trial : TierAdmission.Skip;
    }

    /// <summary>Records the outcome of a call admitted as <paramref name="admission"/>.</summary>
    private protected void Complete(int index, TierAdmission admission, in BreakerPermit trial, long startedAt, bool success)
    {
        var breaker = _breakers[index];
        switch (admission)
        {
            case TierAdmission.Primary:
                if (success) breaker.RecordSuccess();
                else if (breaker.RecordFailure()) BreakPrimary();
                return;
            case TierAdmission.Fallback:
                if (success)
                {
                    breaker.RecordSuccess();
                    breaker.CountAnswer();
                }
                else if (breaker.RecordFailure()) BreakFallback(index);
                return;
            case TierAdmission.RampProbe:
                CompleteProbe(success, startedAt);
                return;
            case TierAdmission.Trial:
                CompleteTrial(index, trial, success);
                return;
        }
    }

    /// <summary>The caller cancelled a call admitted as <paramref name="admission"/>: release what it held.</summary>
    private protected void Abandon(int index, TierAdmission admission, in BreakerPermit trial)
    {
        if (admission != TierAdmission.Trial) return;
        lock (_lock) _breakers[index].AbandonTrial(trial, _time.GetTimestamp()); // the slot is free again, same break
    }

    // ---- transitions -------------------------------------------------------------------------

    private void BreakPrimary()
    {
        lock (_lock)
        {
            if (PrimaryState != PrimaryTierState.Active) return;
            var now = _time.GetTimestamp();
            BreakPrimaryLocked(now);
            Record(FallbackTransitionKind.TierBroken, null, _tiers[0].Name, 0, null, $"{_options.FailureThreshold} consecutive failures", now);
            Recompute(now, null, $"primary '{_tiers[0].Name}' broke after {_options.FailureThreshold} consecutive failures");
        }
    }

    private void BreakPrimaryLocked(long now)
    {
        _breakers[0].Trip(now);
        Volatile.Write(ref _primaryRestoreDue, BreakerTime.After(now, _breakTicks));
        _rampStep = -1;
        _window = null;
        Volatile.Write(ref _rampPercent, 0);
        Volatile.Write(ref _primaryState, (int)PrimaryTierState.Broken);
    }

    private void BreakFallback(int index)
    {
        lock (_lock)
        {
            var breaker = _breakers[index];
            if (breaker.IsBroken) return;
            var now = _time.GetTimestamp();
            breaker.Trip(now);
            Record(FallbackTransitionKind.TierBroken, null, _tiers[index].Name, null, null, $"{_options.FailureThreshold} consecutive failures", now);
            Recompute(now, null, $"tier '{_tiers[index].Name}' broke");
        }
    }

    private void CompleteTrial(int index, in BreakerPermit trial, bool success)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_breakers[index].CompleteTrial(trial, success, now))
                Recompute(now, null, $"tier '{_tiers[index].Name}' answered its trial call");
        }
    }

    private void CompleteProbe(bool success, long startedAt)
    {
        var now = _time.GetTimestamp();
        var latencyMs = _time.GetElapsedTime(startedAt, now).TotalMilliseconds;
        lock (_lock)
        {
            if (success) _breakers[0].CountAnswer();
            else _breakers[0].RecordFailure();
            if (PrimaryState != PrimaryTierState.Restoring || _window is not { } window) return;
            window.Record(success, latencyMs);
            if (!success)
            {
                if (window.ConsecutiveFailures >= _options.FailureThreshold)
                {
                    Rollback(now, $"{window.ConsecutiveFailures} consecutive failures at {_rampPercent}% traffic");
                    return;
                }
                if (window.Calls >= _options.RollbackMinCalls && window.ErrorRate > _options.RollbackErrorRate)
                {
                    Rollback(now, $"error spike: {window.ErrorRate:P1} over {window.Calls} calls at {_rampPercent}% traffic (limit {_options.RollbackErrorRate:P1})");
                    return;
                }
            }
            EvaluateRampLocked(now);
        }
    }

    private void TryAutoRestoreLocked(long now)
    {
        if (!_options.AutoRestore || PrimaryState != PrimaryTierState.Broken) return;
        if (now < _primaryRestoreDue) return;
        StartRestorationLocked(now, null, $"break of {_breakDuration.TotalSeconds:0.###} s elapsed");
    }

    private void StartRestorationLocked(long now, string? operatorId, string details)
    {
        _rampStep = 0;
        Interlocked.Exchange(ref _rampCounter, 0);
        _lastValidation = null;
        _window = new RestorationWindow(now, _options.LatencySampleSize);
        Volatile.Write(ref _rampPercent, _ramp[0].TrafficPercent);
        Volatile.Write(ref _primaryState, (int)PrimaryTierState.Restoring);
        Record(FallbackTransitionKind.RestorationStarted, ActiveTier?.Name, _tiers[0].Name, _ramp[0].TrafficPercent, operatorId, details, now);
        if (_ramp[0].TrafficPercent >= 100) CompleteRestorationLocked(now, operatorId, "the ramp starts at 100%");
    }

    private void EvaluateRampLocked(long now)
    {
        if (PrimaryState != PrimaryTierState.Restoring || _window is not { } window) return;
        var elapsed = _time.GetElapsedTime(window.StartedAt, now);
        if (elapsed < _ramp[_rampStep].Duration) return;
        var validation = RestorationValidation.Evaluate(window.Metrics(elapsed), _options);
        _lastValidation = validation;
        if (!validation.AllPassed)
        {
            // Judge the step again on fresh evidence: old slow or failed calls must not hold it forever.
            _window = new RestorationWindow(now, _options.LatencySampleSize);
            return;
        }
        _rampStep++;
        var percent = _ramp[_rampStep].TrafficPercent;
        if (percent >= 100)
        {
            CompleteRestorationLocked(now, null, "ramp validated: " + validation);
            return;
        }
        _window = new RestorationWindow(now, _options.LatencySampleSize);
        Interlocked.Exchange(ref _rampCounter, 0);
        Volatile.Write(ref _rampPercent, percent);
        Record(FallbackTransitionKind.RampAdvanced, null, _tiers[0].Name, percent, null, "validated: " + validation, now);
    }

    private void Rollback(long now, string why)
    {
        BreakPrimaryLocked(now);
        Record(FallbackTransitionKind.RolledBack, _tiers[0].Name, ActiveTier?.Name, 0, null, why, now);
    }

    private void CompleteRestorationLocked(long now, string? operatorId, string details)
    {
        _rampStep = -1;
        _window = null;
        _breakers[0].Reset(now);
        Volatile.Write(ref _rampPercent, 100);
        Volatile.Write(ref _primaryState, (int)PrimaryTierState.Active);
        for (var i = 0; i < _tiers.Length; i++)
        {
            Volatile.Write(ref _approved[i], false);
            Volatile.Write(ref _approvalPending[i], false);
        }
        Recompute(now, operatorId, details);
    }

    private bool SetApproval(string tier, string operatorId, string reason, bool approve)
    {
        ArgumentNullException.ThrowIfNull(tier);
        RequireOperator(operatorId, reason);
        var index = Array.FindIndex(_tiers, t => string.Equals(t.Name, tier, StringComparison.Ordinal));
        if (index < 0) throw new ArgumentException($"Chain '{Name}' has no tier named '{tier}'.", nameof(tier));
        if (!_needsApproval[index]) throw new InvalidOperationException($"Tier '{tier}' of chain '{Name}' does not need approval.");
        lock (_lock)
        {
            if (_approved[index] == approve) return false;
            Volatile.Write(ref _approved[index], approve);
            if (approve) Volatile.Write(ref _approvalPending[index], false);
            var now = _time.GetTimestamp();
            _audit?.Write(AuditRecord.Approval($"{Name}/{tier}", operatorId, reason, approve, _time.GetUtcNow()));
            Record(approve ? FallbackTransitionKind.ApprovalGranted : FallbackTransitionKind.ApprovalRevoked, null, tier, null, operatorId, reason, now, audit: false);
            Recompute(now, operatorId, reason);
            return true;
        }
    }

    private void RequestApproval(int index)
    {
        lock (_lock)
        {
            if (_approvalPending[index] || _approved[index]) return;
            Volatile.Write(ref _approvalPending[index], true);
            Record(FallbackTransitionKind.ApprovalRequested, ActiveTier?.Name, _tiers[index].Name, null, null,
                $"traffic reached tier '{_tiers[index].Name}', which needs an operator's approval", _time.GetTimestamp());
        }
    }

    private void Recompute(long now, string? operatorId, string? details)
    {
        var next = -1;
        for (var i = 0; i < _tiers.Length; i++)
        {
            if (i == 0 ? PrimaryState == PrimaryTierState.Active : _breakers[i].IsClosed && (!_needsApproval[i] || _approved[i]))
            {
                next = i;
                break;
            }
        }
        var previous = _activeTier;
        if (next == previous) return;
        Volatile.Write(ref _activeTier, next);
        var kind = next switch
        {
            0 => FallbackTransitionKind.Restored,
            -1 => FallbackTransitionKind.Exhausted,
            _ when previous == -1 || next < previous => FallbackTransitionKind.FailedBack,
            _ => FallbackTransitionKind.FailedOver,
        };
        Record(kind, previous < 0 ? null : _tiers[previous].Name, next < 0 ? null : _tiers[next].Name,
            next == 0 ? 100 : null, operatorId, details, now);
    }

    private void Record(FallbackTransitionKind kind, string? from, string? to, int? trafficPercent, string? operatorId, string? details, long now, bool audit = true)
    {
        var transition = new FallbackTransition
        {
            Sequence = Interlocked.Increment(ref _sequence), Chain = Name, Kind = kind, FromTier = from, ToTier = to,
            TrafficPercent = trafficPercent, OperatorId = operatorId, Details = details, WallTime = _time.GetUtcNow(), Timestamp = now,
        };
        _history.Add(transition);
        if (audit)
        {
            _audit?.Write(new AuditRecord
            {
                Kind = AuditEntryKind.Fallback, Action = "fallback." + SnakeCase(kind), Component = Name, OperatorId = operatorId, From = from, To = to,
                Details = trafficPercent is { } p ? $"primary traffic {p}%" + (details is null ? "" : "; " + details) : details, WallTime = transition.WallTime,
            });
        }
        Alert(transition);
    }

    private void Alert(FallbackTransition t)
    {
        if (_alerts is null) return;
        var (severity, audience, title) = t.Kind switch
        {
            FallbackTransitionKind.FailedOver => (Severity.Warning, _options.AlertAudience, $"{Name}: failed over from {t.FromTier ?? "none"} to {t.ToTier}"),
            FallbackTransitionKind.Exhausted => (Severity.Critical, _options.AlertAudience, $"{Name}: no usable fallback tier"),
            FallbackTransitionKind.RolledBack => (Severity.Warning, _options.AlertAudience, $"{Name}: restoration of {_tiers[0].Name} rolled back"),
            FallbackTransitionKind.Restored => (Severity.Info, _options.AlertAudience, $"{Name}: {_tiers[0].Name} restored"),
            FallbackTransitionKind.ApprovalRequested => (Severity.Warning, _options.ApprovalAudience, $"{Name}: tier {t.ToTier} needs approval"),
            _ => (Severity.Info, (string?)null, (string?)null),
        };
        if (audience is null || title is null) return;
        _alerts.Publish(new Alert
        {
            Severity = severity, Audience = audience, Title = title, Message = t.ToString(), Time = t.WallTime,
        });
    }

    private static string SnakeCase(FallbackTransitionKind kind)
    {
        var name = kind.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    private static void RequireOperator(string operatorId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
    }
}
