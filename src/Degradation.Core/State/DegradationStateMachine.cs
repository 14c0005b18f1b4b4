namespace Degradation.State;

/// <summary>
/// The single writer of the system mode (docs/RULES.md, State machine rules). Applies events at once through the decision matrix,
/// holds each component's active conditions, resolves conflicts to the most severe mode, earns
/// de-escalation (dwell, stability, staged recovery), keeps Halt sticky, handles operator overrides, and
/// publishes every change as one immutable gate snapshot plus a sequenced transition record.
/// Thread-safe: every mutation is serialized by one lock; the gate is read without it.
/// </summary>
public sealed partial class DegradationStateMachine : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly DegradationPolicy _policy;
    private readonly TimeProvider _time;
    private readonly TradingGate _gate;
    private readonly TransitionDispatcher _dispatcher = new();
    private readonly Dictionary<ComponentId, ComponentState> _components = [];
    private readonly List<ComponentState> _critical = [];
    private readonly int[] _conditionCounts = new int[6];
    private readonly ModeTransition[] _history;
    private int _historyStart;
    private int _historyCount;

    private long _sequence;
    private SystemMode _mode;
    private RecoveryStage? _stage;
    private long _runCounter;
    private RecoveryRunId? _activeRun;
    private RecoveryTrigger _runTrigger;
    private long _safeEnteredAt;
    private long _stageEnteredAt;
    private long _lastDisturbanceAt;
    private OverrideInfo? _override;
    private bool _completionRequested;
    private (RecoveryTrigger Trigger, ReasonCode Reason, ComponentId Component)? _pendingRun;
    private long _eventsApplied;
    private long _commandEpoch; // bumped by every operator command; see ApplyEmergency
    private readonly IOperatorStateStore? _store;
    private OperatorHaltInfo? _operatorHalt;
    private readonly DateTimeOffset _startedAt;

    /// <summary>
    /// Creates a state machine in <see cref="SystemMode.Recovering"/>/<see cref="RecoveryStage.ConnectBroker"/>
    /// (cold start: nothing may trade before recovery passes), without durable operator state.
    /// </summary>
    public DegradationStateMachine(DegradationPolicy policy, TimeProvider timeProvider)
        : this(policy, timeProvider, null)
    {
    }

    /// <summary>
    /// Creates a state machine and restores the operator state kept in <paramref name="operatorStateStore"/>
    /// before the gate exists: a stored operator Halt makes the very first gate snapshot Halt, so a restart
    /// cannot allow a single action the operator stopped. A stored override at least as strict as a cold start
    /// is restored with its absolute expiry; a looser one is dropped (the conditions it was acknowledged against
    /// are gone with the old process). A store that cannot be read starts the system halted.
    /// Without a stored Halt the machine starts cold in <see cref="SystemMode.Recovering"/>/<see cref="RecoveryStage.ConnectBroker"/>.
    /// </summary>
    /// <param name="policy">The compiled policy.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="operatorStateStore">Where operator Halts and overrides are kept durably; null keeps them in memory only.</param>
    public DegradationStateMachine(DegradationPolicy policy, TimeProvider timeProvider, IOperatorStateStore? operatorStateStore)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = policy;
        _time = timeProvider;
        _store = operatorStateStore;
        _history = new ModeTransition[policy.Options.TransitionHistorySize];
        foreach (var (name, registration) in policy.Components) GetOrAdd(new ComponentId(name));
        GetOrAdd(ComponentId.System);

        var now = _time.GetTimestamp();
        var wall = _time.GetUtcNow();
        _startedAt = wall;
        _lastDisturbanceAt = now;
        _mode = SystemMode.Recovering;
        _stage = RecoveryStage.ConnectBroker;

        var stored = LoadStoredState(wall);
        _operatorHalt = stored?.Halt;
        if (_operatorHalt is { } halt)
        {
            // The first snapshot anyone can read is already the restored Halt.
            _gate = new TradingGate(new GateSnapshot(policy, SystemMode.Halt, null, ReasonCode.OperatorHalt, 0), policy.Options.CountGateDenials);
            lock (_lock)
            {
                AddCondition(GetOrAdd(ComponentId.System), ReasonCode.OperatorHalt, SystemMode.Halt, ConditionSource.Operator(halt.OperatorId), halt.Since, now);
                Transition(now, SystemMode.Halt, null, ReasonCode.OperatorHalt, ComponentId.System, TransitionKind.OperatorHalt, halt.OperatorId, "restored at start: " + halt.Reason);
            }
            return;
        }

        _gate = new TradingGate(new GateSnapshot(policy, _mode, _stage, ReasonCode.ColdStart, 0), policy.Options.CountGateDenials);
        lock (_lock)
        {
            StartRun(now, RecoveryTrigger.ColdStart, ReasonCode.ColdStart, ComponentId.System, null, null, TransitionKind.ModeChange);
            if (stored?.Override is { } kept && kept.ExpiresAt > wall && Severity(kept.Mode) >= Severity(SystemMode.Recovering) && kept.Mode != SystemMode.Halt)
            {
                var left = kept.ExpiresAt - wall;
                _override = kept with { ExpiresAtTimestamp = now + (long)(left.TotalSeconds * _time.TimestampFrequency), Acknowledged = [] };
                Transition(now, kept.Mode, kept.Mode == SystemMode.Recovering ? _stage : null, ReasonCode.ForceOverride, ComponentId.System,
                    TransitionKind.OverrideStarted, kept.OperatorId, "restored at start: " + kept.Reason, left);
            }
        }
    }

    private OperatorState? LoadStoredState(DateTimeOffset wall)
    {
        if (_store is null) return null;
        try
        {
            return _store.Load();
        }
#pragma warning disable CA1031 // Whatever the store's failure, the answer is the same: start halted and say why.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return new OperatorState
            {
                Halt = new OperatorHaltInfo
                {
                    OperatorId = "system",
                    Reason = $"the stored operator state could not be read ({error.GetType().Name}: {error.Message}); halted until an operator releases it",
                    Since = wall,
                },
            };
        }
    }

    /// <summary>The gate this state machine publishes to.</summary>
    public TradingGate Gate => _gate;

    /// <summary>Where this machine keeps its operator state (null: in memory only); the scope tree asks it for each scope's store.</summary>
    internal IOperatorStateStore? OperatorStateStore => _store;

    /// <summary>The compiled policy.</summary>
    public DegradationPolicy Policy => _policy;

    /// <summary>The time source for all dwell, stability and TTL logic.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The current mode (lock-free read of the gate snapshot).</summary>
    public SystemMode Mode => _gate.Mode;

    /// <summary>The current recovery stage, or null outside Recovering.</summary>
    public RecoveryStage? Stage => _gate.Stage;

    /// <summary>The recovery run in progress, if any.</summary>
    public RecoveryRunId? ActiveRecoveryRun { get { lock (_lock) return _activeRun; } }

    /// <summary>What started the recovery run in progress.</summary>
    public RecoveryTrigger? ActiveRecoveryTrigger { get { lock (_lock) return _activeRun is null ? null : _runTrigger; } }

    /// <summary>The active operator override, if any.</summary>
    public OverrideInfo? Override { get { lock (_lock) return _override; } }

    /// <summary>The operator Halt in force (the kill switch), if any.</summary>
    public OperatorHaltInfo? OperatorHalt { get { lock (_lock) return _operatorHalt; } }

    /// <summary>True while the system is halted, by an operator or by a Halt condition.</summary>
    public bool IsHalted { get { lock (_lock) return IsHaltedLocked(); } }

    /// <summary>Sequence of the last transition: what an operator command's <c>expectedSequence</c> is compared with.</summary>
    public long CurrentSequence => Interlocked.Read(ref _sequence);

    /// <summary>True while an operator override is active.</summary>
    public bool IsOverrideActive => Override is not null;

    /// <summary>The most recent transition.</summary>
    public ModeTransition? LastTransition
    {
        get { lock (_lock) return _historyCount == 0 ? null : _history[(_historyStart + _historyCount - 1) % _history.Length]; }
    }

    /// <summary>Number of transitions recorded since start (the last sequence number).</summary>
    public long TransitionCount => Interlocked.Read(ref _sequence);

    /// <summary>Number of events applied.</summary>
    public long EventsApplied => Interlocked.Read(ref _eventsApplied);

    /// <summary>Observer invocations that threw (isolated; the state machine is unaffected).</summary>
    public long ObserverFailures => _dispatcher.Failures;

    /// <summary>Raised on an observer's own loop when that observer throws.</summary>
    public event Action<ModeTransition, Exception>? ObserverFailed
    {
        add => _dispatcher.ObserverFailed += value;
        remove => _dispatcher.ObserverFailed -= value;
    }

    /// <summary>The most severe mode demanded by the active conditions (Normal when none).</summary>
    public SystemMode DerivedMode { get { lock (_lock) return WorstMode(); } }

    /// <summary>The retained history, oldest first (bounded by <see cref="DegradationOptions.TransitionHistorySize"/>).</summary>
    public IReadOnlyList<ModeTransition> GetHistory()
    {
        lock (_lock)
        {
            var result = new ModeTransition[_historyCount];
            for (var i = 0; i < _historyCount; i++) result[i] = _history[(_historyStart + i) % _history.Length];
            return result;
        }
    }

    /// <summary>A page of the retained history, newest first.</summary>
    public IReadOnlyList<ModeTransition> GetHistory(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        lock (_lock)
        {
            var count = Math.Max(0, Math.Min(take, _historyCount - skip));
            var result = new ModeTransition[count];
            for (var i = 0; i < count; i++)
                result[i] = _history[(_historyStart + _historyCount - 1 - skip - i) % _history.Length];
            return result;
        }
    }

    /// <summary>A copy of every component's status.</summary>
    public IReadOnlyList<ComponentStatus> GetComponents()
    {
        lock (_lock) return [.. _components.Values.Where(c => !c.IsSystem || c.Conditions.Count > 0).Select(c => c.ToStatus())];
    }

    /// <summary>Every active condition, with its component and source, oldest first.</summary>
    public IReadOnlyList<ConditionInfo> GetConditions()
    {
        lock (_lock) return AllConditions();
    }

    /// <summary>A copy of one component's status, or null if it is unknown to the state machine.</summary>
    public ComponentStatus? GetComponent(ComponentId component)
    {
        lock (_lock) return _components.TryGetValue(component, out var state) ? state.ToStatus() : null;
    }

    /// <summary>
    /// Subscribes an observer to transitions. It runs on its own loop, off the state machine's path: a slow
    /// or throwing observer never blocks or breaks the state machine (rule 11 in docs/RULES.md). Dispose to unsubscribe.
    /// </summary>
    public IDisposable SubscribeTransitions(Func<ModeTransition, CancellationToken, ValueTask> observer) => _dispatcher.Subscribe(observer);

    /// <summary>Subscribes a synchronous observer to transitions (see the asynchronous overload).</summary>
    public IDisposable SubscribeTransitions(Action<ModeTransition> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _dispatcher.Subscribe((t, _) => { observer(t); return ValueTask.CompletedTask; });
    }

    /// <summary>Writes every transition to <paramref name="store"/>, in order, off the hot path.</summary>
    public IDisposable AddAuditStore(IAuditStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Transitions are dispatched under the lock: subscribing under it with the retained history as a
        // backlog leaves no gap and no duplicate, so the store also gets the cold-start transition.
        lock (_lock) return _dispatcher.Subscribe(store.AppendAsync, GetHistory());
    }

    /// <summary>Subscribes an observer that first gets the retained history, then every new transition, with no gap and no duplicate.</summary>
    internal IDisposable SubscribeTransitionsWithHistory(Func<ModeTransition, CancellationToken, ValueTask> observer)
    {
        lock (_lock) return _dispatcher.Subscribe(observer, GetHistory());
    }

    /// <summary>Completes when every transition so far has been delivered to every observer.</summary>
    public Task FlushObserversAsync(CancellationToken cancellationToken = default) => _dispatcher.FlushAsync(cancellationToken);

    /// <summary>Applies one event at once (rule 3 in docs/RULES.md) and re-evaluates the mode.</summary>
    public void Apply(in SystemEvent systemEvent)
    {
        if (systemEvent.Component.IsEmpty) throw new ArgumentException("The event has no component.", nameof(systemEvent));
        lock (_lock) ApplyLocked(systemEvent);
    }

    /// <summary>
    /// The bus's emergency path (rule 7 in docs/RULES.md): applies a must-deliver event at once and returns the operator-command
    /// epoch it was applied in, so the queued copy can be told apart later (see <see cref="ApplyQueuedCopy"/>).
    /// </summary>
    internal long ApplyEmergency(in SystemEvent systemEvent)
    {
        if (systemEvent.Component.IsEmpty) throw new ArgumentException("The event has no component.", nameof(systemEvent));
        lock (_lock)
        {
            ApplyLocked(systemEvent);
            return _commandEpoch;
        }
    }

    /// <summary>
    /// Applies the queued copy of a must-deliver event again, in queue order, so that older queued events (e.g. a
    /// Recovered published before it) cannot undo it. Skipped when an operator command came in between: the
    /// operator acted on a state that already held the event, and a replay must not re-halt a released system or
    /// break an override started after it.
    /// </summary>
    internal void ApplyQueuedCopy(in SystemEvent systemEvent, long emergencyEpoch)
    {
        lock (_lock)
        {
            if (_commandEpoch != emergencyEpoch) return;
            ApplyLocked(systemEvent);
        }
    }

    private void ApplyLocked(in SystemEvent systemEvent)
    {
        var now = _time.GetTimestamp();
        _eventsApplied++;
        ApplyEvent(systemEvent, now);
        Evaluate(now, systemEvent);
    }

    /// <summary>Re-evaluates staleness, dwell, stability, override expiry and pending recovery (driven by a timer).</summary>
    public void Tick()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            CheckStaleness(now);
            Evaluate(now, null);
        }
    }

    /// <summary>
    /// The kill switch: halts the system until an operator calls <see cref="ReleaseHalt"/>. No TTL and no
    /// override bound applies. The gate is shut before the Halt is written to the operator state store, and the
    /// command returns only after that write (durable when <see cref="OperatorCommandResult.Durable"/> is true).
    /// An active override is ended (<c>override_ended</c>) first. Every registered kill-switch action runs on
    /// the entry into Halt.
    /// </summary>
    /// <param name="operatorId">Who halts (audited).</param>
    /// <param name="reason">Why (audited).</param>
    /// <param name="expectedSequence">The <see cref="CurrentSequence"/> the operator's decision was based on; refused on mismatch. Null skips the check.</param>
    /// <exception cref="ArgumentException">Empty operator id or reason, or a negative expected sequence.</exception>
    public OperatorCommandResult Halt(string operatorId, string reason, long? expectedSequence = null)
    {
        RequireText(operatorId, nameof(operatorId));
        RequireText(reason, nameof(reason));
        RequireSequence(expectedSequence);
        lock (_lock)
        {
            if (CheckSequence(expectedSequence) is { } mismatch) return mismatch;
            return HaltLocked(operatorId, reason);
        }
    }

    /// <summary>
    /// Releases a Halt: clears the operator Halt and every Halt condition and starts a recovery run
    /// (<see cref="SystemMode.Recovering"/>, whatever the remaining conditions; a remaining SafeMode-or-worse
    /// condition escalates from there at once). Halt conditions that an operator did not raise
    /// (e.g. <c>broker.mismatch</c>) stand in the way until <paramref name="acknowledge"/> names exactly their reasons.
    /// </summary>
    /// <param name="operatorId">Who releases (audited).</param>
    /// <param name="reason">Why (audited).</param>
    /// <param name="expectedSequence">The <see cref="CurrentSequence"/> the decision was based on; refused on mismatch. Null skips the check.</param>
    /// <param name="acknowledge">The reasons of the non-operator Halt conditions being released, exactly.</param>
    /// <exception cref="ArgumentException">Empty operator id or reason, a negative expected sequence, or an empty reason code in <paramref name="acknowledge"/>.</exception>
    public OperatorCommandResult ReleaseHalt(string operatorId, string reason, long? expectedSequence = null,
        IReadOnlyCollection<ReasonCode>? acknowledge = null)
    {
        RequireText(operatorId, nameof(operatorId));
        RequireText(reason, nameof(reason));
        RequireSequence(expectedSequence);
        RequireReasons(acknowledge);
        lock (_lock)
        {
            if (CheckSequence(expectedSequence) is { } mismatch) return mismatch;
            if (!IsHaltedLocked())
                return Refuse(OperatorRefusal.NotHalted, $"The system is not halted (mode {WireNames.Of(_mode)}).", AllConditions());
            var blocking = Collect(c => c.Mode == SystemMode.Halt && c.Source.Kind != ConditionSourceKind.Operator);
            if (CheckAcknowledgement(blocking, acknowledge, "Releasing the Halt") is { } refused) return refused;
            if (!TryPersist(null, null, out var error))
                return Refuse(OperatorRefusal.NotPersisted, $"The Halt was not released: the operator state could not be stored ({error}).", AllConditions());

            _commandEpoch++;
            var now = _time.GetTimestamp();
            foreach (var component in _components.Values)
            {
                foreach (var (key, condition) in component.Conditions.Where(c => c.Value.Mode == SystemMode.Halt).ToList())
                    RemoveCondition(component, key, now);
            }
            _operatorHalt = null;
            _override = null;
            var released = StartRun(now, RecoveryTrigger.Manual, ReasonCode.HaltReleased, ComponentId.System, operatorId, reason, TransitionKind.HaltReleased);
            Evaluate(now, null); // a remaining SafeMode-or-worse condition takes over from Recovering at once
            var last = LastTransitionLocked() ?? released;
            var released_ = blocking.Count == 0 ? "" : $" (acknowledged {Describe(blocking)})";
            return Accept(last, $"Halt released by {operatorId}{released_}; now {WireNames.Of(_mode)}.");
        }
    }

    /// <summary>
    /// Forces <paramref name="mode"/> for <paramref name="ttl"/>. Automatic transitions are suspended while it
    /// lasts (events are still tracked); on expiry or release the mode is re-derived. A force at least as strict
    /// as what the active conditions demand is always accepted. A force to a less strict mode is refused unless
    /// <paramref name="acknowledge"/> names exactly the reasons of the conditions in the way (listed in the
    /// refusal); a critical component that never reported stands in the way of Normal and Degraded as
    /// <c>component.unknown</c>. A condition raised later that demands more than the forced mode, and that was
    /// not acknowledged, ends the override at once. A force never leaves Halt (see <see cref="ReleaseHalt"/>);
    /// forcing <see cref="SystemMode.Halt"/> is the kill switch (<see cref="Halt"/>: no TTL). Replacing an active
    /// override records <c>override_ended</c> then <c>override_started</c>.
    /// </summary>
    /// <param name="mode">The mode to force.</param>
    /// <param name="ttl">How long; within the configured override bounds.</param>
    /// <param name="operatorId">Who forces (audited).</param>
    /// <param name="reason">Why (audited).</param>
    /// <param name="expectedSequence">The <see cref="CurrentSequence"/> the decision was based on; refused on mismatch. Null skips the check.</param>
    /// <param name="acknowledge">For a loosening force, exactly the reasons of the conditions in the way.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unknown mode, TTL outside the configured bounds, or a negative expected sequence.</exception>
    /// <exception cref="ArgumentException">Empty operator id or reason, or an empty reason code in <paramref name="acknowledge"/>.</exception>
    public OperatorCommandResult ForceMode(SystemMode mode, TimeSpan ttl, string operatorId, string reason,
        long? expectedSequence = null, IReadOnlyCollection<ReasonCode>? acknowledge = null)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown mode '{(int)mode}'.");
        if (ttl < _policy.MinOverride || ttl > _policy.MaxOverride)
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"The override TTL must be between {_policy.MinOverride.TotalSeconds:0.###} s and {_policy.MaxOverride.TotalSeconds:0.###} s (was {ttl.TotalSeconds:0.###} s).");
        RequireText(operatorId, nameof(operatorId));
        RequireText(reason, nameof(reason));
        RequireSequence(expectedSequence);
        RequireReasons(acknowledge);
        lock (_lock)
        {
            if (CheckSequence(expectedSequence) is { } mismatch) return mismatch;
            if (mode == SystemMode.Halt) return HaltLocked(operatorId, reason);
            if (IsHaltedLocked())
                return Refuse(OperatorRefusal.HaltActive,
                    $"The system is halted; a force never leaves Halt. Release the Halt first (it leads to {WireNames.Of(SystemMode.Recovering)}).",
                    Collect(c => c.Mode == SystemMode.Halt));
            var blocking = BlockingFor(mode);
            if (CheckAcknowledgement(blocking, acknowledge, $"Forcing {WireNames.Of(mode)}") is { } refused) return refused;

            var now = _time.GetTimestamp();
            var wall = _time.GetUtcNow();
            var forced = new OverrideInfo
            {
                Mode = mode, OperatorId = operatorId, Reason = reason, Ttl = ttl, StartedAt = wall,
                ExpiresAt = wall + ttl, ExpiresAtTimestamp = now + (long)(ttl.TotalSeconds * _time.TimestampFrequency),
                Acknowledged = blocking,
            };
            if (!TryPersist(_operatorHalt, forced, out var error))
                return Refuse(OperatorRefusal.NotPersisted, $"The override was not applied: the operator state could not be stored ({error}).", AllConditions());

            _commandEpoch++;
            if (_override is { } replaced)
                Transition(now, _mode, _stage, ReasonCode.OverrideReplaced, ComponentId.System, TransitionKind.OverrideEnded, operatorId,
                    $"{WireNames.Of(replaced.Mode)} override by {replaced.OperatorId} replaced by a {WireNames.Of(mode)} override");
            _override = forced;
            _pendingRun = null;
            _completionRequested = false;
            var started = mode == SystemMode.Recovering
                ? StartRun(now, RecoveryTrigger.Manual, ReasonCode.ForceOverride, ComponentId.System, operatorId, reason, TransitionKind.OverrideStarted, ttl)
                : Transition(now, mode, null, ReasonCode.ForceOverride, ComponentId.System, TransitionKind.OverrideStarted, operatorId, reason, ttl);
            var acknowledged = blocking.Count == 0 ? "" : $" acknowledging {Describe(blocking)}";
            return Accept(started, $"{WireNames.Of(mode)} forced by {operatorId} for {ttl.TotalSeconds:0.###} s{acknowledged}.");
        }
    }

    /// <summary>Ends the active override; the mode is re-derived from the current component state.</summary>
    /// <param name="operatorId">Who releases (audited).</param>
    /// <param name="reason">Why (audited); a default text when null.</param>
    /// <param name="expectedSequence">The <see cref="CurrentSequence"/> the decision was based on; refused on mismatch. Null skips the check.</param>
    /// <exception cref="ArgumentException">Empty operator id, or a negative expected sequence.</exception>
    public OperatorCommandResult ReleaseOverride(string operatorId, string? reason = null, long? expectedSequence = null)
    {
        RequireText(operatorId, nameof(operatorId));
        RequireSequence(expectedSequence);
        lock (_lock)
        {
            if (CheckSequence(expectedSequence) is { } mismatch) return mismatch;
            if (_override is null) return Refuse(OperatorRefusal.NoOverride, "No override is active.", AllConditions());
            if (!TryPersist(_operatorHalt, null, out var error))
                return Refuse(OperatorRefusal.NotPersisted, $"The override was not released: the operator state could not be stored ({error}).", AllConditions());
            _commandEpoch++;
            var ended = EndOverride(_time.GetTimestamp(), ReasonCode.OverrideReleased, ComponentId.System, operatorId, reason ?? "released by operator");
            return Accept(ended, $"Override released by {operatorId}; now {WireNames.Of(_mode)}.");
        }
    }

    private OperatorCommandResult HaltLocked(string operatorId, string reason)
    {
        if (_operatorHalt is { } existing)
            return Accept(null, $"Already halted by {existing.OperatorId} since {existing.Since:O}: {existing.Reason}.");
        _commandEpoch++;
        var now = _time.GetTimestamp();
        var wall = _time.GetUtcNow();
        var halt = new OperatorHaltInfo { OperatorId = operatorId, Reason = reason, Since = wall };
        _operatorHalt = halt;
        AddCondition(GetOrAdd(ComponentId.System), ReasonCode.OperatorHalt, SystemMode.Halt, ConditionSource.Operator(operatorId), wall, now);
        if (_override is { } ended)
        {
            _override = null;
            Transition(now, _mode, _stage, ReasonCode.OperatorHalt, ComponentId.System, TransitionKind.OverrideEnded, operatorId,
                $"{WireNames.Of(ended.Mode)} override by {ended.OperatorId} ended by an operator Halt");
        }
        _pendingRun = null;
        _completionRequested = false;
        var halted = Transition(now, SystemMode.Halt, null, ReasonCode.OperatorHalt, ComponentId.System, TransitionKind.OperatorHalt, operatorId, reason);
        // The gate is already shut; the write below decides only whether the Halt survives a restart.
        var durable = TryPersist(halt, null, out var error);
        return Accept(halted, durable
            ? $"Halted by {operatorId}; stays until a Halt release."
            : $"Halted by {operatorId} in this process, but the Halt could not be stored ({error}): it will not survive a restart.", durable);
    }

    private bool IsHaltedLocked() => _mode == SystemMode.Halt || _conditionCounts[(int)SystemMode.Halt] > 0;

    private ModeTransition? LastTransitionLocked() =>
        _historyCount == 0 ? null : _history[(_historyStart + _historyCount - 1) % _history.Length];

    private OperatorCommandResult? CheckSequence(long? expected)
    {
        if (expected is not { } value || value == _sequence) return null;
        return Refuse(OperatorRefusal.SequenceMismatch,
            $"The state changed since the command was prepared: it was based on transition #{value}, the last one is #{_sequence}. Review the current state and resend.",
            AllConditions());
    }

    /// <summary>The conditions (and never-reported critical components) that demand a stricter mode than <paramref name="mode"/>.</summary>
    private List<ConditionInfo> BlockingFor(SystemMode mode)
    {
        var blocking = Collect(c => Severity(c.Mode) > Severity(mode));
        if (Severity(mode) < Severity(SystemMode.Recovering))
        {
            foreach (var component in _critical)
                if (!component.HasReported)
                    blocking.Add(new ConditionInfo(component.Id, ReasonCode.ComponentUnknown, SystemMode.Recovering, ConditionSource.StateMachine, _startedAt));
        }
        return blocking;
    }

    private OperatorCommandResult? CheckAcknowledgement(List<ConditionInfo> blocking, IReadOnlyCollection<ReasonCode>? acknowledge, string what)
    {
        if (blocking.Count == 0) return null; // nothing is loosened: tightening needs no acknowledgement
        var required = blocking.Select(c => c.Reason).ToHashSet();
        var given = acknowledge is null ? [] : acknowledge.ToHashSet();
        if (given.SetEquals(required)) return null;
        var reasons = string.Join(", ", required.Select(r => r.Value).Order(StringComparer.Ordinal));
        if (given.Count == 0)
            return Refuse(OperatorRefusal.AcknowledgementRequired,
                $"{what} would allow more than the active conditions do: {Describe(blocking)}. To do it anyway, acknowledge exactly these reasons: {reasons}.",
                blocking);
        return Refuse(OperatorRefusal.StaleAcknowledgement,
            $"The acknowledgement ({string.Join(", ", given.Select(r => r.Value).Order(StringComparer.Ordinal))}) does not match the conditions in the way now: {Describe(blocking)}. Review them and acknowledge exactly: {reasons}.",
            blocking);
    }

    private bool TryPersist(OperatorHaltInfo? halt, OverrideInfo? forced, out string? error)
    {
        error = null;
        if (_store is null) return true;
        try
        {
            _store.Save(new OperatorState { Halt = halt, Override = forced, SavedAt = _time.GetUtcNow() });
            return true;
        }
#pragma warning disable CA1031 // Any store failure means the same thing here: the state is not durable.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            error = $"{failure.GetType().Name}: {failure.Message}";
            return false;
        }
    }

    private OperatorCommandResult Refuse(OperatorRefusal refusal, string message, IReadOnlyList<ConditionInfo> conditions) =>
        new(false, null, refusal, message, _sequence, conditions, durable: true);

    private OperatorCommandResult Accept(ModeTransition? transition, string message, bool durable = true) =>
        new(true, transition, OperatorRefusal.None, message, _sequence, AllConditions(), durable);

    private List<ConditionInfo> AllConditions() => Collect(static _ => true);

    private List<ConditionInfo> Collect(Func<ConditionInfo, bool> filter)
    {
        var result = new List<ConditionInfo>();
        foreach (var component in _components.Values)
            foreach (var condition in component.Conditions.Values)
            {
                var info = new ConditionInfo(component.Id, condition.Reason, condition.Mode, condition.Source, condition.Since);
                if (filter(info)) result.Add(info);
            }
        result.Sort(static (a, b) => a.Since.CompareTo(b.Since));
        return result;
    }

    private static string Describe(IEnumerable<ConditionInfo> conditions) =>
        string.Join(", ", conditions.Select(c => $"{c.Component}:{c.Reason} ({WireNames.Of(c.Mode)})"));

    private static void RequireSequence(long? expectedSequence)
    {
        if (expectedSequence is < 0)
            throw new ArgumentOutOfRangeException(nameof(expectedSequence), expectedSequence, "The expected sequence must not be negative.");
    }

    private static void RequireReasons(IReadOnlyCollection<ReasonCode>? acknowledge)
    {
        if (acknowledge is not null && acknowledge.Any(r => r.IsEmpty))
            throw new ArgumentException("An acknowledged reason code is empty.", nameof(acknowledge));
    }

    /// <summary>Starts a recovery run on an operator's command (trigger <see cref="RecoveryTrigger.Manual"/>).</summary>
    /// <exception cref="InvalidOperationException">An override or Halt is active, or SafeMode-or-worse conditions remain.</exception>
    public RecoveryRunId StartRecovery(string operatorId, string? reason = null)
    {
        RequireText(operatorId, nameof(operatorId));
        lock (_lock)
        {
            if (_override is not null) throw new InvalidOperationException("An override is active; release it before starting recovery.");
            if (_mode == SystemMode.Halt) throw new InvalidOperationException("The system is halted; release the Halt first.");
            var worst = WorstMode();
            if (worst >= SystemMode.SafeMode)
                throw new InvalidOperationException($"Conditions demanding {worst} are still active: {DescribeConditions(worst)}.");
            _commandEpoch++;
            StartRun(_time.GetTimestamp(), RecoveryTrigger.Manual, ReasonCode.RecoveryManual, ComponentId.System, operatorId, reason, TransitionKind.OperatorCommand);
            return _activeRun!.Value;
        }
    }

    /// <summary>Completes the recovery run at <see cref="RecoveryStage.Ready"/> on an operator's command (needed when <see cref="DegradationOptions.AutoRecoveryToNormal"/> is off).</summary>
    /// <exception cref="InvalidOperationException">The system is not in Recovering/Ready, an override is active, or a critical component is Unknown.</exception>
    public ModeTransition CompleteRecovery(string operatorId, string? reason = null)
    {
        RequireText(operatorId, nameof(operatorId));
        lock (_lock)
        {
            if (_override is not null || _mode != SystemMode.Recovering || _stage != RecoveryStage.Ready)
                throw new InvalidOperationException($"Recovery can be completed only in Recovering/Ready without an override (now {_mode}{(_stage is { } s ? "/" + s : "")}).");
            // Rule 9: an Unknown critical component blocks leaving Recovering, whoever asks.
            if (CriticalUnknown())
                throw new InvalidOperationException($"Critical components are Unknown (never reported or stale): {DescribeUnknownCritical()}.");
            _commandEpoch++;
            return Land(_time.GetTimestamp(), WorstMode(), operatorId, reason, TransitionKind.OperatorCommand);
        }
    }

    /// <summary>
    /// Moves the recovery run <paramref name="run"/> to <paramref name="stage"/>, which must be the next stage.
    /// Returns false (and changes nothing) for a stale run, a skipped or repeated stage, or outside Recovering.
    /// </summary>
    public bool TryAdvanceStage(RecoveryRunId run, RecoveryStage stage)
    {
        lock (_lock)
        {
            if (_override is not null || _mode != SystemMode.Recovering || _activeRun != run || _stage is not { } current || (int)stage != (int)current + 1)
                return false;
            var now = _time.GetTimestamp();
            Transition(now, SystemMode.Recovering, stage, ReasonCode.RecoveryStageAdvanced, ComponentId.System, TransitionKind.StageChange, null, null, null, run);
            Evaluate(now, null);
            return true;
        }
    }

    /// <summary>Reports that recovery run <paramref name="run"/> failed for good: raises <c>recovery.failed</c> (Halt). False for a stale run.</summary>
    public bool FailRecovery(RecoveryRunId run, string? details = null)
    {
        lock (_lock)
        {
            if (_mode != SystemMode.Recovering || _activeRun != run) return false;
            var now = _time.GetTimestamp();
            var system = GetOrAdd(ComponentId.System);
            system.LastDetails = details;
            AddCondition(system, ReasonCode.RecoveryFailed, SystemMode.Halt, ConditionSource.StateMachine, _time.GetUtcNow(), now);
            Evaluate(now, null);
            return true;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dispatcher.DisposeAsync();

    // ---- event application -------------------------------------------------------------------

    private void ApplyEvent(in SystemEvent e, long now)
    {
        var component = GetOrAdd(e.Component);
        var wasStale = component.Stale;
        // A critical component coming back from Unknown is a status change: stability is earned again from here.
        if (component.Critical && component.IsUnknown) _lastDisturbanceAt = now;
        component.HasReported = true;
        component.Stale = false;
        component.LastReportTimestamp = Math.Min(e.Timestamp, now);
        component.CurrentTtl = e.Ttl ?? component.DefaultTtl;
        component.LastReportWall = e.WallTime;
        if (e.Type != EventType.Heartbeat)
        {
            // A heartbeat keeps the status fresh but must not hide the latest failure's reason and details.
            component.LastReason = e.Reason;
            component.LastDetails = e.Details;
        }
        if (wasStale) RemoveCondition(component, (ReasonCode.ComponentStale, ConditionSource.StateMachine), now);

        var reason = e.Reason;
        if (reason == ReasonCode.BrokerReconnected)
        {
            // A control reason, not a Recovered: the broker is back whoever saw it go.
            RemoveReason(GetOrAdd(ComponentId.Broker), ReasonCode.BrokerDisconnect, now);
            if (e.Component != ComponentId.Broker) RemoveReason(component, ReasonCode.BrokerDisconnect, now);
            _pendingRun = (RecoveryTrigger.Auto, reason, e.Component);
            return;
        }
        if (reason == ReasonCode.AllHealthy)
        {
            foreach (var c in _components.Values) ClearConditions(c, null, now);
            return;
        }
        if (reason == ReasonCode.RecoveryComplete)
        {
            // Refused (not remembered) while a critical component is Unknown (rule 9).
            _completionRequested = _mode == SystemMode.Recovering && _stage == RecoveryStage.Ready && !CriticalUnknown();
            return;
        }
        if (reason == ReasonCode.ColdStart)
        {
            _pendingRun = (RecoveryTrigger.ColdStart, reason, e.Component);
            return;
        }
        switch (e.Type)
        {
            case EventType.Recovered:
                ClearConditions(component, e.Source, now);
                return;
            case EventType.Heartbeat:
                return;
        }
        var mode = _policy.MapFailure(reason, e.Type);
        if (mode == SystemMode.Normal)
        {
            ClearConditions(component, e.Source, now);
            return;
        }
        if (mode == SystemMode.Recovering)
        {
            _pendingRun = (RecoveryTrigger.Auto, reason, e.Component);
            return;
        }
        // An optional component degrades at most to Degraded, unless the reason is must-deliver or a Halt.
        if (!component.Critical && !component.IsInternal && mode > SystemMode.Degraded && mode != SystemMode.Halt && !_policy.IsMustDeliver(reason))
            mode = SystemMode.Degraded;
        AddCondition(component, reason, mode, e.Source, e.WallTime, now);
    }

    private void CheckStaleness(long now)
    {
        if (!_policy.Options.UnknownOnTtlExpiry) return;
        foreach (var component in _components.Values)
        {
            if (component.IsInternal || !component.HasReported || component.Stale) continue;
            if (_time.GetElapsedTime(component.LastReportTimestamp, now) <= component.CurrentTtl) continue;
            component.Stale = true;
            _lastDisturbanceAt = now;
            // Unknown blocks Normal for every component; only a critical one closes trading.
            AddCondition(component, ReasonCode.ComponentStale, component.Critical ? SystemMode.SafeMode : SystemMode.Degraded,
                ConditionSource.StateMachine, _time.GetUtcNow(), now);
        }
    }

    // ---- mode derivation ---------------------------------------------------------------------

    private void Evaluate(long now, SystemEvent? cause)
    {
        if (_override is { } active)
        {
            if (now >= active.ExpiresAtTimestamp)
            {
                EndOverride(now, ReasonCode.OverrideExpired, ComponentId.System, null, "override TTL expired");
                TryPersist(_operatorHalt, null, out _); // best effort: a stale stored override is dropped at start once expired anyway
            }
            else if (UnacknowledgedStricter(active, cause) is { } breaker)
            {
                EndOverride(now, breaker.Reason, breaker.Component, null,
                    $"override broken by {breaker.Component}:{breaker.Reason} ({WireNames.Of(breaker.Mode)}), which it did not acknowledge");
                TryPersist(_operatorHalt, null, out _);
            }
            _pendingRun = null;
            return;
        }
        Derive(now, cause);
    }

    private void Derive(long now, SystemEvent? cause)
    {
        var worst = WorstMode();
        var mode = _mode;
        if (worst >= SystemMode.SafeMode)
        {
            _pendingRun = null;
            if (mode == SystemMode.Halt || worst == mode) return;
            // Escalation is immediate; moving between safe modes (e.g. SafeModeDisconnected → SafeMode once the broker is back) keeps the system closed.
            var (reason, component) = ReasonFor(worst, cause);
            Transition(now, worst, null, reason, component, TransitionKind.ModeChange);
            return;
        }

        switch (mode)
        {
            case SystemMode.Halt:
                _pendingRun = null;
                return;
            case SystemMode.SafeMode or SystemMode.SafeModeDisconnected:
                if (_time.GetElapsedTime(_safeEnteredAt, now) >= _policy.MinSafeMode)
                {
                    var (trigger, reason, component) = _pendingRun ?? (RecoveryTrigger.Auto, cause?.Reason ?? ReasonCode.ComponentRecovered, cause?.Component ?? ComponentId.System);
                    StartRun(now, trigger, reason, component, null, null, TransitionKind.ModeChange);
                }
                return;
            case SystemMode.Normal or SystemMode.Degraded:
                if (_pendingRun is { } pending)
                {
                    StartRun(now, pending.Trigger, pending.Reason, pending.Component, null, null, TransitionKind.ModeChange);
                    return;
                }
                if (mode == SystemMode.Normal && worst == SystemMode.Degraded)
                {
                    var (reason, component) = ReasonFor(worst, cause);
                    Transition(now, SystemMode.Degraded, null, reason, component, TransitionKind.ModeChange);
                }
                else if (mode == SystemMode.Degraded && worst == SystemMode.Normal && !CriticalUnknown()
                         && _time.GetElapsedTime(_lastDisturbanceAt, now) >= _policy.RecoveryStable)
                {
                    Transition(now, SystemMode.Normal, null, ReasonCode.AllHealthy, ComponentId.System, TransitionKind.ModeChange);
                }
                return;
            case SystemMode.Recovering:
                if (_pendingRun is { } restart)
                {
                    StartRun(now, restart.Trigger, restart.Reason, restart.Component, null, null, TransitionKind.ModeChange);
                    return;
                }
                if (_stage != RecoveryStage.Ready || CriticalUnknown()) return;
                if (_completionRequested
                    || (_policy.Options.AutoRecoveryToNormal
                        && _time.GetElapsedTime(Math.Max(_stageEnteredAt, _lastDisturbanceAt), now) >= _policy.RecoveryStable))
                {
                    Land(now, worst, null, null, TransitionKind.ModeChange);
                }
                return;
        }
    }

    /// <summary>A condition that demands more than the override's mode and was not acknowledged when it was forced (the cause first).</summary>
    private ConditionInfo? UnacknowledgedStricter(OverrideInfo active, SystemEvent? cause)
    {
        ConditionInfo? found = null;
        foreach (var component in _components.Values)
            foreach (var condition in component.Conditions.Values)
            {
                if (Severity(condition.Mode) <= Severity(active.Mode)) continue;
                var acknowledged = false;
                foreach (var a in active.Acknowledged)
                    if (a.Component == component.Id && a.Reason == condition.Reason && a.Source == condition.Source) { acknowledged = true; break; }
                if (acknowledged) continue;
                var info = new ConditionInfo(component.Id, condition.Reason, condition.Mode, condition.Source, condition.Since);
                if (cause is { } c && c.Component == component.Id && c.Reason == condition.Reason) return info;
                found ??= info;
            }
        return found;
    }

    private ModeTransition Land(long now, SystemMode worst, string? operatorId, string? details, TransitionKind kind)
    {
        var run = _activeRun;
        _completionRequested = false;
        // A Degraded condition raised during recovery is kept: the run lands in Degraded (docs/RULES.md, Recovery).
        var target = worst == SystemMode.Degraded ? SystemMode.Degraded : SystemMode.Normal;
        return Transition(now, target, null, ReasonCode.RecoveryComplete, ComponentId.System, kind, operatorId, details, null, run);
    }

    private ModeTransition StartRun(long now, RecoveryTrigger trigger, ReasonCode reason, ComponentId component,
        string? operatorId, string? details, TransitionKind kind, TimeSpan? overrideTtl = null)
    {
        _pendingRun = null;
        _completionRequested = false;
        var run = new RecoveryRunId(++_runCounter);
        _activeRun = run;
        _runTrigger = trigger;
        return Transition(now, SystemMode.Recovering, RecoveryStage.ConnectBroker, reason, component, kind, operatorId, details, overrideTtl, run);
    }

    private ModeTransition EndOverride(long now, ReasonCode reason, ComponentId component, string? operatorId, string? details)
    {
        var forced = _override!.Mode;
        _override = null;
        _pendingRun = null;
        var worst = WorstMode();
        if (worst >= SystemMode.SafeMode)
            return Transition(now, worst, null, reason, component, TransitionKind.OverrideEnded, operatorId, details);
        if (forced >= SystemMode.SafeMode || forced == SystemMode.Recovering || CriticalUnknown())
            return StartRun(now, RecoveryTrigger.Auto, reason, component, operatorId, details, TransitionKind.OverrideEnded);
        return Transition(now, worst == SystemMode.Degraded ? SystemMode.Degraded : SystemMode.Normal, null, reason, component, TransitionKind.OverrideEnded, operatorId, details);
    }

    private ModeTransition Transition(long now, SystemMode to, RecoveryStage? stage, ReasonCode reason, ComponentId component,
        TransitionKind kind, string? operatorId = null, string? details = null, TimeSpan? overrideTtl = null, RecoveryRunId? run = null)
    {
        var from = _mode;
        var fromStage = _stage;
        var toStage = to == SystemMode.Recovering ? stage ?? RecoveryStage.ConnectBroker : (RecoveryStage?)null;
        var sequence = Interlocked.Increment(ref _sequence);
        var transition = new ModeTransition
        {
            Sequence = sequence, Kind = kind, From = from, To = to, FromStage = fromStage, ToStage = toStage,
            Reason = reason, Component = component, WallTime = _time.GetUtcNow(), Timestamp = now,
            OperatorId = operatorId, OverrideTtl = overrideTtl, RecoveryRun = run ?? (to == SystemMode.Recovering ? _activeRun : null), Details = details,
        };
        if (to is SystemMode.SafeMode or SystemMode.SafeModeDisconnected && from is not (SystemMode.SafeMode or SystemMode.SafeModeDisconnected))
            _safeEnteredAt = now;
        if (toStage != fromStage || to != from) _stageEnteredAt = now;
        if (to != SystemMode.Recovering) _activeRun = null;
        _mode = to;
        _stage = toStage;

        if (_historyCount < _history.Length) _history[(_historyStart + _historyCount++) % _history.Length] = transition;
        else
        {
            _history[_historyStart] = transition;
            _historyStart = (_historyStart + 1) % _history.Length;
        }
        _gate.Publish(new GateSnapshot(_policy, to, toStage, reason, sequence));
        _dispatcher.Dispatch(transition);
        return transition;
    }

    // ---- conditions --------------------------------------------------------------------------

    private void AddCondition(ComponentState component, ReasonCode reason, SystemMode mode, ConditionSource source, DateTimeOffset wall, long now)
    {
        _lastDisturbanceAt = now;
        var key = (reason, source);
        if (component.Conditions.TryGetValue(key, out var existing))
        {
            if (existing.Mode == mode) return;
            _conditionCounts[(int)existing.Mode]--;
        }
        component.Conditions[key] = new ActiveCondition(reason, mode, existing.Reason.IsEmpty ? wall : existing.Since) { Source = source };
        _conditionCounts[(int)mode]++;
    }

    private void RemoveCondition(ComponentState component, (ReasonCode Reason, ConditionSource Source) key, long now)
    {
        if (!component.Conditions.Remove(key, out var removed)) return;
        _conditionCounts[(int)removed.Mode]--;
        _lastDisturbanceAt = now;
    }

    /// <summary>Removes <paramref name="reason"/> whoever raised it.</summary>
    private void RemoveReason(ComponentState component, ReasonCode reason, long now)
    {
        if (component.Conditions.Count == 0) return;
        foreach (var key in component.Conditions.Keys.Where(k => k.Reason == reason).ToList()) RemoveCondition(component, key, now);
    }

    /// <summary>Clears the component's conditions raised by <paramref name="source"/> (every source when null), Halt and staleness excepted.</summary>
    private void ClearConditions(ComponentState component, ConditionSource? source, long now)
    {
        if (component.Conditions.Count == 0) return;
        foreach (var (key, condition) in component.Conditions.ToList())
        {
            if (source is { } only && key.Source != only) continue; // a source clears only what it raised
            if (condition.Mode == SystemMode.Halt) continue; // Halt conditions are cleared only by an operator release.
            // Staleness is a fact about silence, not a verdict: only the component's own next report clears it.
            if (component.Stale && condition.Reason == ReasonCode.ComponentStale) continue;
            RemoveCondition(component, key, now);
        }
    }

    private SystemMode WorstMode()
    {
        for (var m = (int)SystemMode.Halt; m >= (int)SystemMode.Degraded; m--)
            if (_conditionCounts[m] > 0) return (SystemMode)m;
        return SystemMode.Normal;
    }

    private bool CriticalUnknown()
    {
        foreach (var component in _critical) if (component.IsUnknown) return true;
        return false;
    }

    private (ReasonCode Reason, ComponentId Component) ReasonFor(SystemMode mode, SystemEvent? cause)
    {
        if (cause is { } c)
        {
            var component = _components[c.Component];
            foreach (var condition in component.Conditions.Values)
                if (condition.Reason == c.Reason && condition.Mode == mode) return (c.Reason, c.Component);
        }
        foreach (var component in _components.Values)
            foreach (var condition in component.Conditions.Values)
                if (condition.Mode == mode) return (condition.Reason, component.Id);
        return (ReasonCode.ComponentStale, ComponentId.System);
    }

    private string DescribeConditions(SystemMode atLeast) =>
        string.Join(", ", _components.Values.SelectMany(c => c.Conditions.Values.Where(x => x.Mode >= atLeast).Select(x => $"{c.Id}:{x.Reason}")));

    private string DescribeUnknownCritical() =>
        string.Join(", ", _critical.Where(c => c.IsUnknown).Select(c => c.Id.Name));

    private ComponentState GetOrAdd(ComponentId id)
    {
        if (_components.TryGetValue(id, out var state)) return state;
        var registration = _policy.GetComponent(id);
        var ttl = registration?.StatusTtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _policy.StatusTtl;
        state = new ComponentState(id, registration?.Critical ?? false, ttl, registration);
        _components.Add(id, state);
        if (state.Critical && !state.IsSystem) _critical.Add(state);
        return state;
    }

    private static int Severity(SystemMode mode) => ModeTransition.Restrictiveness(mode);

    private static void RequireText(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must not be empty.", name);
    }
}
