using System.Globalization;

namespace Degradation.Breakers;

/// <summary>
/// A circuit breaker for calls to one component: Closed / Open / HalfOpen, plus Isolated by an operator.
/// Opens when the failure ratio over a sliding window reaches <see cref="ComponentBreakerOptions.FailureRatio"/> (exactly:
/// integer arithmetic) with at least <see cref="ComponentBreakerOptions.MinimumThroughput"/> calls (slow calls count as
/// failures), stays open for <see cref="ComponentBreakerOptions.BreakDuration"/>, then admits a limited number of trial
/// calls, each of which must report within the break duration of its admission.
/// Opening (and isolating) publishes a failure event for the component; closing publishes <see cref="EventType.Recovered"/>.
/// </summary>
/// <remarks>
/// <para>Hot path: <see cref="TryAcquire"/> and <see cref="Record(in BreakerPermit, bool)"/> allocate nothing and take no
/// lock while closed (a volatile read, then an interlocked increment of the current window bucket). The window slides
/// on a <see cref="TimeProvider"/> timer, so recording never reads the clock.</para>
/// <para>Every change due by time (Open → HalfOpen, the end of an isolation's TTL, a half-open trial that did not report
/// in time → Open) is applied by whichever comes first: a state read (<see cref="State"/>, <see cref="GetSnapshot"/>), an
/// admission (<see cref="TryAcquire"/>), a trial's report, or the breaker's timer. It is dated to its deadline, not to
/// when it was noticed, so a late or starved timer neither leaves the breaker stuck nor shifts its history. Deadlines
/// are integer clock ticks rounded up, and saturate: a deadline beyond the clock's range never comes.</para>
/// <para>Every state change increments a generation; permits and timers carry the generation they were issued for and
/// are ignored when it is stale, so a break timer scheduled before an operator's isolate cannot move the isolated
/// breaker to half-open, and an isolation TTL ended by a reset cannot fire later. A state change is computed and
/// validated completely before anything is modified, so an invalid request changes nothing.</para>
/// <para><see cref="StateChanged"/> observers and the bus see the changes in the order they were made (their
/// <see cref="BreakerStateChange.Generation"/> rises by one each time), never under the breaker's lock.</para>
/// </remarks>
public sealed class ComponentCircuitBreaker : IDisposable
{
    private readonly object _lock = new();
    private readonly EventBus? _bus;
    private readonly TimeProvider _time;
    private readonly bool _critical;
    private readonly ReasonCode _openReason;
    private readonly ExactRatio _failureRatio;
    private readonly double _failureRatioValue;
    private readonly int _minimumThroughput;
    private readonly long _slowCallTicks;
    private readonly Bucket[] _buckets;
    private readonly ITimer _rotation;
    private readonly BreakerCore _core;
    private readonly Queue<BreakerStateChange> _pending = new();

    private int _head;
    private ITimer? _stateTimer;
    private long _timerDeadline = BreakerTime.Never;
    private int _timerGeneration;
    private bool _announcing;
    private long _slowCalls;
    private long _staleTimerFirings;
    private bool _disposed;

    /// <summary>Creates a breaker for <paramref name="component"/> that publishes its opening and closing on <paramref name="bus"/>.</summary>
    /// <param name="component">The component whose calls it guards.</param>
    /// <param name="options">Settings; validated (the message names a bad one and its bounds).</param>
    /// <param name="policy">The policy: whether the component is critical, and its timeout reason.</param>
    /// <param name="bus">Where opening and closing are published; null for a breaker that publishes nothing.</param>
    /// <param name="timeProvider">The clock.</param>
    public ComponentCircuitBreaker(ComponentId component, ComponentBreakerOptions options, DegradationPolicy policy, EventBus? bus, TimeProvider timeProvider)
    {
        if (component.IsEmpty) throw new ArgumentException("A breaker needs a component.", nameof(component));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        Component = component;
        _bus = bus;
        _time = timeProvider;
        var registration = policy.GetComponent(component);
        _critical = registration?.Critical ?? false;
        _openReason = options.OpenReason
            ?? (registration?.TimeoutReason is { } tr ? new ReasonCode(tr) : new ReasonCode(component.Name + ".circuit_open"));
        _failureRatio = ExactRatio.From(options.FailureRatio);
        _failureRatioValue = options.FailureRatio;
        _minimumThroughput = options.MinimumThroughput;
        _slowCallTicks = options.SlowCallThreshold?.Ticks ?? long.MaxValue;
        var breakTicks = BreakerTime.ToTimestampTicks(options.BreakDuration, timeProvider.TimestampFrequency);
        _core = new BreakerCore(_lock, breakTicks, options.HalfOpenTrialCalls, trialTimeoutTicks: breakTicks, OnTransition);
        _buckets = new Bucket[options.WindowBuckets];
        var slide = TimeSpan.FromTicks(options.SamplingDuration.Ticks / options.WindowBuckets);
        _rotation = timeProvider.CreateTimer(static s => ((ComponentCircuitBreaker)s!).Rotate(), this, slide, slide);
    }

    /// <summary>The component whose calls this breaker guards.</summary>
    public ComponentId Component { get; }

    /// <summary>The reason published when the breaker opens.</summary>
    public ReasonCode OpenReason => _openReason;

    /// <summary>
    /// Raised after every state change, in the order of the changes, outside the breaker's lock: on the thread that made
    /// the change, or on a thread still announcing an earlier one. Handler exceptions are ignored.
    /// </summary>
    public event Action<BreakerStateChange>? StateChanged;

    /// <summary>The state. Reading it applies the changes that are due by time, so it never reports a stale state.</summary>
    public BreakerState State
    {
        get
        {
            var state = _core.State;
            if (state != BreakerState.Closed && _core.IsDue(_time.GetTimestamp()))
            {
                lock (_lock) state = ApplyDueLocked();
                Announce();
            }
            return state;
        }
    }

    /// <summary>
    /// Asks to make a call. True with a permit when it may go ahead (closed, or a half-open trial slot is free); pass the
    /// permit to <see cref="Record(in BreakerPermit, bool)"/> when the call ends. Allocation-free; lock-free while closed.
    /// </summary>
    public bool TryAcquire(out BreakerPermit permit)
    {
        var generation = _core.Generation;
        if (_core.State == BreakerState.Closed)
        {
            permit = new BreakerPermit(generation);
            return true;
        }
        return TryAcquireSlow(out permit);
    }

    /// <summary>
    /// Records the outcome of a call admitted by <paramref name="permit"/>. Outcomes of stale permits are ignored, and so
    /// is a trial's outcome reported after its deadline (the breaker reopened then). Allocation-free.
    /// </summary>
    public void Record(in BreakerPermit permit, bool success)
    {
        if (permit.Generation != _core.Generation) return;
        if (permit.IsTrial)
        {
            RecordTrial(permit, success);
            return;
        }
        ref var bucket = ref _buckets[Volatile.Read(ref _head)];
        Interlocked.Increment(ref bucket.Total);
        if (success) return;
        Interlocked.Increment(ref bucket.Failures);
        EvaluateWindow(permit.Generation);
    }

    /// <summary>Records the outcome and duration of a call; a call at least <see cref="ComponentBreakerOptions.SlowCallThreshold"/> long counts as a failure.</summary>
    public void Record(in BreakerPermit permit, bool success, TimeSpan duration)
    {
        if (success && duration.Ticks >= _slowCallTicks)
        {
            Interlocked.Increment(ref _slowCalls);
            success = false;
        }
        Record(permit, success);
    }

    /// <summary>
    /// Opens the breaker by hand (state <see cref="BreakerState.Isolated"/>) and publishes the component's failure. With
    /// a <paramref name="ttl"/> the isolation ends by itself into HalfOpen; without one, or with one reaching beyond the
    /// clock's range (<see cref="TimeSpan.MaxValue"/>), it lasts until <see cref="Reset"/>. Isolating again replaces the
    /// earlier isolation and its TTL. An invalid request changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Empty operator id or reason.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The breaker was disposed.</exception>
    public void Isolate(string operatorId, string reason, TimeSpan? ttl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (ttl is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"The isolation TTL must be positive (was {t}).");
        var ttlTicks = ttl is { } d ? BreakerTime.ToTimestampTicks(d, _time.TimestampFrequency) : BreakerTime.Never;
        var details = $"isolated by {operatorId}: {reason}{(ttl is { } s ? string.Create(CultureInfo.InvariantCulture, $" (for {s.TotalSeconds:0.###} s)") : "")}";
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            _core.ApplyDue(now); // changes that fell due before the isolation are announced before it
            _core.Isolate(now, BreakerTime.After(now, ttlTicks), operatorId, reason, details);
            ArmTimerLocked(now);
        }
        Announce();
    }

    /// <summary>Closes the breaker by hand, ending any isolation (its TTL included), and clears the window. Publishes Recovered if it was not closed.</summary>
    /// <exception cref="ArgumentException">Empty operator id.</exception>
    /// <exception cref="ObjectDisposedException">The breaker was disposed.</exception>
    public void Reset(string operatorId, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        var details = $"reset by {operatorId}{(reason is null ? "" : ": " + reason)}";
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            _core.ApplyDue(now);
            _core.Close(now, _core.State == BreakerState.Closed ? details + " (was closed)" : details);
            ArmTimerLocked(now);
        }
        Announce();
    }

    /// <summary>A consistent view of the breaker (changes due by time applied first).</summary>
    public BreakerSnapshot GetSnapshot()
    {
        BreakerSnapshot snapshot;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var state = ApplyDueLocked(now);
            long calls = 0, failures = 0;
            foreach (ref readonly var bucket in _buckets.AsSpan())
            {
                calls += Interlocked.Read(in bucket.Total);
                failures += Interlocked.Read(in bucket.Failures);
            }
            var due = _core.DueAt;
            snapshot = new BreakerSnapshot
            {
                Component = Component, State = state, Generation = _core.Generation, WindowCalls = calls, WindowFailures = failures,
                TimesOpened = _core.TimesOpened, SlowCalls = Interlocked.Read(ref _slowCalls), StaleTimerFirings = _staleTimerFirings,
                ReopensAt = due == BreakerTime.Never ? null : BreakerTime.WallTimeOf(due, now, _time.GetUtcNow(), _time.TimestampFrequency),
                IsolatedBy = _core.IsolatedBy, IsolationReason = _core.IsolationReason,
            };
        }
        Announce();
        return snapshot;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _stateTimer?.Dispose();
            _stateTimer = null;
            _core.Retire();
        }
        _rotation.Dispose();
    }

    // ---- slow paths ---------------------------------------------------------------------------

    private bool TryAcquireSlow(out BreakerPermit permit)
    {
        // Open or isolated with the deadline still ahead: refuse without the lock.
        var state = _core.State;
        if (state is BreakerState.Open or BreakerState.Isolated && !_core.IsDue(_time.GetTimestamp()))
        {
            permit = default;
            return false;
        }
        bool admitted;
        lock (_lock)
        {
            if (_disposed)
            {
                permit = default;
                return false;
            }
            var now = _time.GetTimestamp();
            if (ApplyDueLocked(now) == BreakerState.Closed)
            {
                permit = new BreakerPermit(_core.Generation);
                admitted = true;
            }
            else if (_core.TryAdmitTrial(now, out var generation, out var slot))
            {
                permit = new BreakerPermit(generation, slot);
                admitted = true;
            }
            else
            {
                permit = default;
                admitted = false;
            }
            ArmTimerLocked(now);
        }
        Announce();
        return admitted;
    }

    private void EvaluateWindow(int generation)
    {
        long calls = 0, failures = 0;
        foreach (ref readonly var bucket in _buckets.AsSpan())
        {
            calls += Volatile.Read(in bucket.Total);
            failures += Volatile.Read(in bucket.Failures);
        }
        if (calls < _minimumThroughput || !_failureRatio.IsReachedBy(failures, calls)) return;

        var details = string.Create(CultureInfo.InvariantCulture,
            $"{failures} of {calls} calls failed or were slow ({100.0 * failures / calls:0.#}% ≥ {100 * _failureRatioValue:0.#}%)");
        lock (_lock)
        {
            if (_core.Generation != generation || _core.State != BreakerState.Closed || _disposed) return;
            var now = _time.GetTimestamp();
            _core.Open(now, details);
            ArmTimerLocked(now);
        }
        Announce();
    }

    private void RecordTrial(in BreakerPermit permit, bool success)
    {
        lock (_lock)
        {
            if (_disposed) return;
            var now = _time.GetTimestamp();
            _core.RecordTrial(permit.Generation, permit.TrialSlot, success, now);
            ArmTimerLocked(now);
        }
        Announce();
    }

    private BreakerState ApplyDueLocked() => ApplyDueLocked(_time.GetTimestamp());

    private BreakerState ApplyDueLocked(long now)
    {
        if (!_disposed && _core.ApplyDue(now) > 0) ArmTimerLocked(now);
        return _core.State;
    }

    private void OnStateTimer(int generation)
    {
        lock (_lock)
        {
            if (_disposed || generation != _core.Generation)
            {
                _staleTimerFirings++;
                return;
            }
            var now = _time.GetTimestamp();
            _core.ApplyDue(now);
            // Fired early, or a deadline beyond one timer's reach: re-armed for what remains.
            _stateTimer?.Dispose();
            _stateTimer = null;
            ArmTimerLocked(now);
        }
        Announce();
    }

    /// <summary>Keeps one timer on the core's next deadline (under the lock). The timer only hurries a change along: reads apply it anyway.</summary>
    private void ArmTimerLocked(long now)
    {
        var deadline = _core.DueAt;
        var generation = _core.Generation;
        if (deadline == BreakerTime.Never ? _stateTimer is null : _stateTimer is not null && deadline == _timerDeadline && generation == _timerGeneration) return;
        _stateTimer?.Dispose();
        _stateTimer = null;
        _timerDeadline = BreakerTime.Never;
        if (deadline == BreakerTime.Never || _disposed) return;
        var delay = BreakerTime.TimerDelay(deadline, now, _time.TimestampFrequency);
        _stateTimer = _time.CreateTimer(static s => ((TimerState)s!).Fire(), new TimerState(this, generation), delay, Timeout.InfiniteTimeSpan);
        _timerDeadline = deadline;
        _timerGeneration = generation;
    }

    /// <summary>Queues a change (under the lock, so the queue is in generation order) for <see cref="Announce"/>.</summary>
    private void OnTransition(BreakerTransition transition)
    {
        if (transition.To == BreakerState.Closed) ClearWindow(); // closing starts a fresh window
        var wallTime = BreakerTime.WallTimeOf(transition.At, _time.GetTimestamp(), _time.GetUtcNow(), _time.TimestampFrequency);
        _pending.Enqueue(new BreakerStateChange(Component, transition.From, transition.To, transition.Generation, transition.Details, wallTime));
    }

    /// <summary>
    /// Delivers queued changes in order, outside the breaker's lock. One thread delivers at a time; a thread finding
    /// another one delivering leaves its changes to it, so observers never see two changes at once or out of order.
    /// </summary>
    private void Announce()
    {
        lock (_lock)
        {
            if (_announcing || _pending.Count == 0) return;
            _announcing = true;
        }
        var done = false;
        try
        {
            while (true)
            {
                BreakerStateChange change;
                lock (_lock)
                {
                    if (!_pending.TryDequeue(out change!))
                    {
                        _announcing = false;
                        done = true;
                        return;
                    }
                }
                Publish(change);
            }
        }
        finally
        {
            if (!done) lock (_lock) _announcing = false; // the bus threw: the next call delivers what is left
        }
    }

    private void Publish(BreakerStateChange change)
    {
        if (_bus is { } bus)
        {
            if (change.To is BreakerState.Isolated || (change.To is BreakerState.Open && change.From is BreakerState.Closed))
                bus.Publish(_critical ? EventType.FailCritical : EventType.FailSupport, Component, _openReason, "circuit breaker: " + change.Details, source: ConditionSource.Breaker(Component.Name));
            else if (change.To is BreakerState.Closed && change.From is not BreakerState.Closed)
                bus.Publish(EventType.Recovered, Component, ReasonCode.ComponentRecovered, "circuit breaker closed: " + change.Details, source: ConditionSource.Breaker(Component.Name));
            // A reopening from half-open publishes nothing: the component's failure is still reported from the first opening.
        }
        try { StateChanged?.Invoke(change); }
        catch (Exception) { /* an observer must not break the breaker */ }
    }

    private void Rotate()
    {
        var next = (Volatile.Read(ref _head) + 1) % _buckets.Length;
        Interlocked.Exchange(ref _buckets[next].Total, 0);
        Interlocked.Exchange(ref _buckets[next].Failures, 0);
        Volatile.Write(ref _head, next);
    }

    private void ClearWindow()
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            Interlocked.Exchange(ref _buckets[i].Total, 0);
            Interlocked.Exchange(ref _buckets[i].Failures, 0);
        }
    }

    private struct Bucket
    {
        public long Total;
        public long Failures;
    }

    private sealed class TimerState(ComponentCircuitBreaker owner, int generation)
    {
        public void Fire() => owner.OnStateTimer(generation);
    }
}
