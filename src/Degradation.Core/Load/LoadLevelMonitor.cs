using System.Collections.Frozen;
using Degradation.Collections;

namespace Degradation.Load;

/// <summary>
/// Turns consumer lag and heap load into a <see cref="LoadLevel"/> (docs/RULES.md, Load). Escalation is
/// immediate; stepping down is earned twice over: the level's recovery thresholds (trigger × recovery factor,
/// for lag <em>and</em> heap) must hold, and no level change may have happened within the cooldown. The level
/// steps down only through levels whose own recovery thresholds hold, so a signal oscillating around any
/// trigger cannot make it flap.
/// Thread-safe: <see cref="Evaluate(long, double)"/> is lock-free while the level does not change; changes
/// are serialized, recorded in a bounded history, optionally audited, and optionally reported to the state
/// machine through the event bus.
/// </summary>
public sealed class LoadLevelMonitor
{
    private const int LevelCount = 5;

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly EventBus? _bus;
    private readonly AuditWriter? _audit;
    private readonly ComponentId _component;
    private readonly ReasonCode[] _reasons = new ReasonCode[LevelCount];
    private readonly long[] _lagTrigger = new long[LevelCount];
    private readonly double[] _heapTrigger = new double[LevelCount];
    private readonly double[] _lagRecovery = new double[LevelCount];
    private readonly double[] _heapRecovery = new double[LevelCount];
    private readonly TimeSpan _cooldown;
    private readonly HeapLoadMeasure _heapMeasure;
    private readonly FrozenSet<string> _criticalSymbols;
    private readonly BoundedHistory<LoadLevelChange> _history;

    private int _level;
    private long _lastLag;
    private long _lastHeapBits;
    private long _lastChangeAt;
    private bool _cooldownActive;
    private long _transitions;

    /// <summary>Creates a monitor at <see cref="LoadLevel.Normal"/>.</summary>
    /// <param name="options">Thresholds; the defaults when null.</param>
    /// <param name="timeProvider">Clock for the cooldown and history; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="bus">When given (and <see cref="LoadDegradationOptions.ReportToStateMachine"/>), level changes are reported to the state machine.</param>
    /// <param name="audit">When given, every level change and reset is stored in it, in order, without waiting for it (failures: <see cref="AuditFailures"/>).</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public LoadLevelMonitor(LoadDegradationOptions? options = null, TimeProvider? timeProvider = null, EventBus? bus = null, IAuditStore? audit = null)
    {
        Options = options ?? new LoadDegradationOptions();
        Options.ValidateAndThrow();
        _time = timeProvider ?? TimeProvider.System;
        _bus = Options.ReportToStateMachine ? bus : null;
        _audit = audit is null ? null : new AuditWriter(audit);
        _component = new ComponentId(Options.ComponentName);
        _cooldown = Options.RecoveryCooldown;
        _heapMeasure = Options.HeapMeasure;
        _criticalSymbols = Options.CriticalSymbols.ToFrozenSet(StringComparer.Ordinal);
        _history = new BoundedHistory<LoadLevelChange>(Options.HistorySize);

        _lagTrigger[(int)LoadLevel.Soft] = Options.LagSoft;
        _lagTrigger[(int)LoadLevel.Graceful] = Options.LagGraceful;
        _lagTrigger[(int)LoadLevel.Aggressive] = Options.LagAggressive;
        _lagTrigger[(int)LoadLevel.CircuitBreak] = Options.LagCircuitBreak;
        _heapTrigger[(int)LoadLevel.Soft] = Options.HeapSoftPercent;
        _heapTrigger[(int)LoadLevel.Graceful] = Options.HeapGracefulPercent;
        _heapTrigger[(int)LoadLevel.Aggressive] = Options.HeapAggressivePercent;
        _heapTrigger[(int)LoadLevel.CircuitBreak] = Options.HeapCircuitBreakPercent;
        for (var level = 1; level < LevelCount; level++)
        {
            _lagRecovery[level] = _lagTrigger[level] * Options.RecoveryLagFactor;
            _heapRecovery[level] = _heapTrigger[level] * Options.RecoveryHeapFactor;
        }
        foreach (var (level, reason) in Options.StateMachineReasons) _reasons[(int)level] = new ReasonCode(reason);
    }

    /// <summary>The validated options.</summary>
    public LoadDegradationOptions Options { get; }

    /// <summary>The component this monitor reports as.</summary>
    public ComponentId Component => _component;

    /// <summary>The current level (a single volatile read).</summary>
    public LoadLevel Level => (LoadLevel)Volatile.Read(ref _level);

    /// <summary>
    /// Raised after every level change (evaluation or reset), under the monitor's lock so changes arrive in
    /// order: keep handlers short (count, log) and never call back into the monitor. A throwing handler is
    /// ignored; the change stands.
    /// </summary>
    public event Action<LoadLevelChange>? LevelChanged;

    /// <summary>Level changes since creation.</summary>
    public long TransitionCount => Interlocked.Read(ref _transitions);

    /// <summary>The symbols processed at <see cref="LoadLevel.Graceful"/> and above.</summary>
    public FrozenSet<string> CriticalSymbols => _criticalSymbols;

    /// <summary>Enrichment should be skipped (<see cref="LoadLevel.Soft"/> and above).</summary>
    public bool ShouldSkipEnrichment => Level >= LoadLevel.Soft;

    /// <summary>Work should spill to disk (<see cref="LoadLevel.Aggressive"/> and above).</summary>
    public bool ShouldSpillToDisk => Level >= LoadLevel.Aggressive;

    /// <summary>New data is accepted (false only at <see cref="LoadLevel.CircuitBreak"/>).</summary>
    public bool IsAcceptingData => Level < LoadLevel.CircuitBreak;

    /// <summary>Below <see cref="LoadLevel.Graceful"/> every symbol is processed; from Graceful on only the critical symbols.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="symbol"/> is null.</exception>
    public bool ShouldProcessSymbol(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return Level < LoadLevel.Graceful || _criticalSymbols.Contains(symbol);
    }

    /// <summary>Evaluates <paramref name="lag"/> with the heap load read from <see cref="GC.GetGCMemoryInfo()"/>.</summary>
    /// <returns>The level after the evaluation.</returns>
    public LoadLevel Evaluate(long lag) => Evaluate(lag, HeapLoad.CurrentPercent(_heapMeasure));

    /// <summary>
    /// Evaluates one measurement and returns the level after it. Allocation-free and lock-free unless the level
    /// changes.
    /// </summary>
    /// <param name="lag">Consumer lag in messages (&gt;= 0).</param>
    /// <param name="heapPercent">Heap load in percent (&gt;= 0, finite).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative lag, or a negative, NaN or infinite heap load.</exception>
    public LoadLevel Evaluate(long lag, double heapPercent)
    {
        if (lag < 0) ThrowLag(lag);
        if (!(heapPercent >= 0) || double.IsPositiveInfinity(heapPercent)) ThrowHeap(heapPercent);
        Volatile.Write(ref _lastLag, lag);
        Volatile.Write(ref _lastHeapBits, BitConverter.DoubleToInt64Bits(heapPercent));

        var current = (LoadLevel)Volatile.Read(ref _level);
        var target = TargetLevel(lag, heapPercent);
        if (target == current) return current;
        if (target < current && !CanLeave(current, lag, heapPercent)) return current;
        return Change(lag, heapPercent);
    }

    /// <summary>The level the thresholds alone call for (no hysteresis, no cooldown).</summary>
    public LoadLevel TargetLevel(long lag, double heapPercent)
    {
        for (var level = LevelCount - 1; level > 0; level--)
            if (lag >= _lagTrigger[level] || heapPercent >= _heapTrigger[level]) return (LoadLevel)level;
        return LoadLevel.Normal;
    }

    /// <summary>True when both signals are below <paramref name="level"/>'s recovery thresholds (always true for Normal).</summary>
    public bool CanLeave(LoadLevel level, long lag, double heapPercent) =>
        level == LoadLevel.Normal || (lag < _lagRecovery[(int)level] && heapPercent < _heapRecovery[(int)level]);

    /// <summary>
    /// Returns to <see cref="LoadLevel.Normal"/> at once and clears the cooldown (an operator command; audited).
    /// </summary>
    /// <returns>True when the level changed.</returns>
    /// <exception cref="ArgumentException">Empty operator id or reason.</exception>
    public bool Reset(string operatorId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_lock)
        {
            var current = (LoadLevel)_level;
            _audit?.Write(AuditRecord.OperatorAction("load.reset", operatorId, reason, _time.GetUtcNow(), _component.Name));
            _cooldownActive = false;
            if (current == LoadLevel.Normal) return false;
            Apply(current, LoadLevel.Normal, Volatile.Read(ref _lastLag), LastHeapPercent, _time.GetTimestamp(), operatorId);
            _cooldownActive = false;
            return true;
        }
    }

    /// <summary>Audit records the monitor's <see cref="IAuditStore"/> failed or refused.</summary>
    public long AuditFailures => _audit?.Failures ?? 0;

    /// <summary>Completes when every audit record so far has been handled by the store.</summary>
    internal Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>The retained level changes, oldest first (bounded by <see cref="LoadDegradationOptions.HistorySize"/>).</summary>
    public IReadOnlyList<LoadLevelChange> GetHistory()
    {
        lock (_lock) return _history.ToArray();
    }

    /// <summary>A point-in-time view for reports.</summary>
    public LoadStatus GetStatus()
    {
        lock (_lock)
        {
            var remaining = TimeSpan.Zero;
            if (_cooldownActive && _level != (int)LoadLevel.Normal)
            {
                var elapsed = _time.GetElapsedTime(_lastChangeAt);
                if (elapsed < _cooldown) remaining = _cooldown - elapsed;
            }
            return new LoadStatus
            {
                Level = (LoadLevel)_level,
                IsAcceptingData = _level < (int)LoadLevel.CircuitBreak,
                LastLag = Volatile.Read(ref _lastLag),
                LastHeapPercent = LastHeapPercent,
                LastChange = _history.TryGetNewest(out var last) ? last : null,
                TransitionCount = _transitions,
                CriticalSymbolCount = _criticalSymbols.Count,
                CooldownRemaining = remaining,
            };
        }
    }

    private double LastHeapPercent => BitConverter.Int64BitsToDouble(Volatile.Read(ref _lastHeapBits));

    private LoadLevel Change(long lag, double heapPercent)
    {
        lock (_lock)
        {
            var current = (LoadLevel)_level;
            var target = TargetLevel(lag, heapPercent);
            if (target == current) return current;
            var now = _time.GetTimestamp();
            var next = target;
            if (target < current)
            {
                if (_cooldownActive && _time.GetElapsedTime(_lastChangeAt, now) < _cooldown) return current;
                next = current;
                while (next > target && CanLeave(next, lag, heapPercent)) next--;
                if (next == current) return current;
            }
            Apply(current, next, lag, heapPercent, now, null);
            return next;
        }
    }

    private void Apply(LoadLevel from, LoadLevel to, long lag, double heapPercent, long now, string? operatorId)
    {
        var change = new LoadLevelChange(from, to, lag, heapPercent, _time.GetUtcNow(), now, operatorId);
        _history.Add(change);
        _lastChangeAt = now;
        _cooldownActive = true;
        Interlocked.Increment(ref _transitions);
        Volatile.Write(ref _level, (int)to);
        _audit?.Write(new AuditRecord
        {
            Kind = AuditEntryKind.Load, Action = "load.level_changed", Component = _component.Name, OperatorId = operatorId,
            From = from.ToString(), To = to.ToString(), Details = change.ToString(), WallTime = change.WallTime,
        });
        Report(from, to, change);
        Notify(change);
    }

    private void Notify(in LoadLevelChange change)
    {
        var handlers = LevelChanged;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try { ((Action<LoadLevelChange>)handler)(change); }
            catch (Exception) { /* an observer must not undo or block a level change */ }
        }
    }

    private void Report(LoadLevel from, LoadLevel to, in LoadLevelChange change)
    {
        if (_bus is null) return;
        var before = _reasons[(int)from];
        var after = _reasons[(int)to];
        if (before == after) return;
        var details = "load level " + change;
        // Stepping down between reported levels clears the milder-than-before condition first, so a more
        // severe condition never lingers in the state machine.
        if (!before.IsEmpty && (after.IsEmpty || to < from))
            _bus.Publish(EventType.Recovered, _component, LoadReasons.Recovered, details, ttl: SystemEvent.UntilChanged);
        // The monitor reports only when the level changes: its reports never expire (SystemEvent.UntilChanged).
        if (!after.IsEmpty)
            _bus.Publish(EventType.FailSupport, _component, after, details, severity: to == LoadLevel.CircuitBreak ? Severity.Critical : Severity.Warning, ttl: SystemEvent.UntilChanged);
    }

    private static void ThrowLag(long lag) =>
        throw new ArgumentOutOfRangeException(nameof(lag), lag, $"lag must be >= 0 (was {lag}).");

    private static void ThrowHeap(double heapPercent) =>
        throw new ArgumentOutOfRangeException(nameof(heapPercent), heapPercent, $"heapPercent must be a finite value >= 0 (was {heapPercent}).");
}
