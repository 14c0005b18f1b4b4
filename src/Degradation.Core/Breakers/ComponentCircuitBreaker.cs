using System.Globalization;

namespace Degradation;

/// <summary>
/// A circuit breaker for calls to one component (SPEC §7): Closed / Open / HalfOpen, plus Isolated by an operator.
/// Opens when the failure ratio over a sliding window reaches <see cref="ComponentBreakerOptions.FailureRatio"/> with at
/// least <see cref="ComponentBreakerOptions.MinimumThroughput"/> calls (slow calls count as failures), stays open for
/// <see cref="ComponentBreakerOptions.BreakDuration"/>, then admits a limited number of trial calls.
/// Opening (and isolating) publishes a failure event for the component; closing publishes <see cref="EventType.Recovered"/>.
/// </summary>
/// <remarks>
/// <para>Hot path: <see cref="TryAcquire"/> and <see cref="Record(in BreakerPermit, bool)"/> allocate nothing and take no
/// lock while closed (a volatile read, then an interlocked increment of the current window bucket). The window slides
/// on a <see cref="TimeProvider"/> timer, so recording never reads the clock.</para>
/// <para>Open → HalfOpen happens on a timer even when nobody calls, and any state read (<see cref="State"/>,
/// <see cref="TryAcquire"/>) also performs a transition that is due, so a breaker is never left stuck open. Every state
/// change increments a generation; each timer carries the generation it was scheduled for and is ignored when it is
/// stale, so a break timer scheduled before an operator's isolate cannot move the isolated breaker to half-open
/// (resilience4j #991), and an isolation TTL ended by a reset cannot fire later.</para>
/// </remarks>
public sealed class ComponentCircuitBreaker : IDisposable
{
    private readonly object _lock = new();
    private readonly EventBus? _bus;
    private readonly TimeProvider _time;
    private readonly bool _critical;
    private readonly ReasonCode _openReason;
    private readonly double _failureRatio;
    private readonly int _minimumThroughput;
    private readonly long _slowCallTicks;
    private readonly TimeSpan _breakDuration;
    private readonly int _trialCalls;
    private readonly Bucket[] _buckets;
    private readonly ITimer _rotation;

    private int _state;
    private int _generation = 1;
    private int _head;
    private int _trialsIssued;
    private int _trialsSucceeded;
    private long _dueAt = long.MaxValue;
    private ITimer? _stateTimer;
    private string? _isolatedBy;
    private string? _isolationReason;
    private long _timesOpened;
    private long _slowCalls;
    private long _staleTimerFirings;
    private bool _disposed;

    /// <summary>Creates a breaker for <paramref name="component"/> that publishes its opening and closing on <paramref name="bus"/>.</summary>
    /// <param name="component">The component whose calls it guards.</param>
    /// <param name="options">Settings; validated (the message names a bad one).</param>
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
        _failureRatio = options.FailureRatio;
        _minimumThroughput = options.MinimumThroughput;
        _slowCallTicks = options.SlowCallThreshold?.Ticks ?? long.MaxValue;
        _breakDuration = options.BreakDuration;
        _trialCalls = options.HalfOpenTrialCalls;
        _buckets = new Bucket[options.WindowBuckets];
        var slide = TimeSpan.FromTicks(options.SamplingDuration.Ticks / options.WindowBuckets);
        _rotation = timeProvider.CreateTimer(static s => ((ComponentCircuitBreaker)s!).Rotate(), this, slide, slide);
    }

    /// <summary>The component whose calls this breaker guards.</summary>
    public ComponentId Component { get; }

    /// <summary>The reason published when the breaker opens.</summary>
    public ReasonCode OpenReason => _openReason;

    /// <summary>Raised after every state change, outside the breaker's lock. Handler exceptions are ignored.</summary>
    public event Action<BreakerStateChange>? StateChanged;

    /// <summary>The state. Reading it performs a transition that is due (Open → HalfOpen after the break), so it never reports a stale Open.</summary>
    public BreakerState State
    {
        get
        {
            var state = (BreakerState)Volatile.Read(ref _state);
            if (state is BreakerState.Open or BreakerState.Isolated && _time.GetTimestamp() >= Volatile.Read(ref _dueAt))
            {
                ToHalfOpenIfDue(Volatile.Read(ref _generation));
                state = (BreakerState)Volatile.Read(ref _state);
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
        var generation = Volatile.Read(ref _generation);
        if (Volatile.Read(ref _state) == (int)BreakerState.Closed)
        {
            permit = new BreakerPermit(generation, isTrial: false);
            return true;
        }
        return TryAcquireSlow(out permit);
    }

    /// <summary>Records the outcome of a call admitted by <paramref name="permit"/>. Outcomes of stale permits are ignored. Allocation-free.</summary>
    public void Record(in BreakerPermit permit, bool success)
    {
        if (permit.Generation != Volatile.Read(ref _generation)) return;
        if (permit.IsTrial)
        {
            RecordTrial(permit.Generation, success);
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
    /// a <paramref name="ttl"/> the isolation ends by itself into HalfOpen; without one it lasts until <see cref="Reset"/>.
    /// Isolating again replaces the earlier isolation and its TTL.
    /// </summary>
    /// <exception cref="ArgumentException">Empty operator id or reason.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is not positive.</exception>
    public void Isolate(string operatorId, string reason, TimeSpan? ttl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (ttl is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "The isolation TTL must be positive.");
        BreakerStateChange change;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _isolatedBy = operatorId;
            _isolationReason = reason;
            var details = $"isolated by {operatorId}: {reason}{(ttl is { } d ? string.Create(CultureInfo.InvariantCulture, $" (for {d.TotalSeconds:0.###} s)") : "")}";
            change = ChangeState(BreakerState.Isolated, ttl, details);
            _timesOpened++;
        }
        Announce(change, EventKind.Failure);
    }

    /// <summary>Closes the breaker by hand, ending any isolation (its TTL included), and clears the window. Publishes Recovered if it was not closed.</summary>
    public void Reset(string operatorId, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        BreakerStateChange change;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var wasClosed = _state == (int)BreakerState.Closed;
            _isolatedBy = null;
            _isolationReason = null;
            ClearWindow();
            change = ChangeState(BreakerState.Closed, null, $"reset by {operatorId}{(reason is null ? "" : ": " + reason)}");
            if (wasClosed) change = change with { Details = change.Details + " (was closed)" };
        }
        Announce(change, change.From == BreakerState.Closed ? EventKind.None : EventKind.Recovered);
    }

    /// <summary>A consistent view of the breaker.</summary>
    public BreakerSnapshot GetSnapshot()
    {
        var state = State;
        lock (_lock)
        {
            long calls = 0, failures = 0;
            foreach (ref readonly var bucket in _buckets.AsSpan())
            {
                calls += Interlocked.Read(in bucket.Total);
                failures += Interlocked.Read(in bucket.Failures);
            }
            var due = _dueAt;
            return new BreakerSnapshot
            {
                Component = Component, State = state, Generation = _generation, WindowCalls = calls, WindowFailures = failures,
                TimesOpened = _timesOpened, SlowCalls = Interlocked.Read(ref _slowCalls), StaleTimerFirings = _staleTimerFirings,
                ReopensAt = due == long.MaxValue ? null : _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, due - _time.GetTimestamp()) / (double)_time.TimestampFrequency),
                IsolatedBy = _isolatedBy, IsolationReason = _isolationReason,
            };
        }
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
            _generation++;
        }
        _rotation.Dispose();
    }

    // ---- slow paths ---------------------------------------------------------------------------

    private bool TryAcquireSlow(out BreakerPermit permit)
    {
        var state = State;
        var generation = Volatile.Read(ref _generation);
        if (state == BreakerState.Closed)
        {
            permit = new BreakerPermit(generation, isTrial: false);
            return true;
        }
        if (state == BreakerState.HalfOpen)
        {
            if (Volatile.Read(ref _trialsIssued) < _trialCalls && Interlocked.Increment(ref _trialsIssued) <= _trialCalls
                && Volatile.Read(ref _generation) == generation)
            {
                permit = new BreakerPermit(generation, isTrial: true);
                return true;
            }
        }
        permit = default;
        return false;
    }

    private void EvaluateWindow(int generation)
    {
        long calls = 0, failures = 0;
        foreach (ref readonly var bucket in _buckets.AsSpan())
        {
            calls += Volatile.Read(in bucket.Total);
            failures += Volatile.Read(in bucket.Failures);
        }
        if (calls < _minimumThroughput || failures < _failureRatio * calls) return;

        BreakerStateChange? change = null;
        lock (_lock)
        {
            if (_generation == generation && _state == (int)BreakerState.Closed && !_disposed)
            {
                change = ChangeState(BreakerState.Open, _breakDuration, string.Create(CultureInfo.InvariantCulture,
                    $"{failures} of {calls} calls failed or were slow ({100.0 * failures / calls:0.#}% ≥ {100 * _failureRatio:0.#}%)"));
                _timesOpened++;
            }
        }
        if (change is not null) Announce(change, EventKind.Failure);
    }

    private void RecordTrial(int generation, bool success)
    {
        BreakerStateChange? change = null;
        EventKind kind;
        lock (_lock)
        {
            if (_generation != generation || _state != (int)BreakerState.HalfOpen || _disposed) return;
            if (!success)
            {
                change = ChangeState(BreakerState.Open, _breakDuration, "a half-open trial call failed");
                _timesOpened++;
                kind = EventKind.None; // the component's failure is still reported from the first opening
            }
            else
            {
                if (++_trialsSucceeded < _trialCalls) return;
                ClearWindow();
                change = ChangeState(BreakerState.Closed, null, string.Create(CultureInfo.InvariantCulture, $"{_trialCalls} half-open trial call(s) succeeded"));
                kind = EventKind.Recovered;
            }
        }
        Announce(change, kind);
    }

    private void ToHalfOpenIfDue(int generation)
    {
        BreakerStateChange? change = null;
        lock (_lock)
        {
            if (_generation != generation || _disposed) return;
            if (_state is not ((int)BreakerState.Open or (int)BreakerState.Isolated) || _time.GetTimestamp() < _dueAt) return;
            var details = _state == (int)BreakerState.Isolated ? $"isolation by {_isolatedBy} expired" : "break duration elapsed";
            _isolatedBy = null;
            _isolationReason = null;
            change = ChangeState(BreakerState.HalfOpen, _breakDuration, details);
        }
        Announce(change, EventKind.None);
    }

    private void OnStateTimer(int generation)
    {
        BreakerStateChange? change = null;
        lock (_lock)
        {
            if (_generation != generation || _disposed)
            {
                _staleTimerFirings++;
                return;
            }
            if (_state == (int)BreakerState.HalfOpen)
            {
                if (Volatile.Read(ref _trialsIssued) == 0)
                {
                    // Nobody called yet: keep waiting for trial calls, and keep watching for trials that never report.
                    _stateTimer?.Dispose();
                    _stateTimer = _time.CreateTimer(static s => ((TimerState)s!).Fire(), new TimerState(this, generation), _breakDuration, Timeout.InfiniteTimeSpan);
                    return;
                }
                // Trial calls were admitted but did not all report within the break duration: reopen rather than stay half-open forever.
                change = ChangeState(BreakerState.Open, _breakDuration, "half-open trial calls did not report in time");
            }
        }
        if (change is not null)
        {
            Announce(change, EventKind.None);
            return;
        }
        ToHalfOpenIfDue(generation);
    }

    /// <summary>Moves to <paramref name="to"/> under the lock: new generation, new deadline timer (or none), trial counters reset.</summary>
    private BreakerStateChange ChangeState(BreakerState to, TimeSpan? deadline, string details)
    {
        var from = (BreakerState)_state;
        var generation = ++_generation;
        _trialsIssued = 0;
        _trialsSucceeded = 0;
        _stateTimer?.Dispose();
        _stateTimer = null;
        if (deadline is { } d)
        {
            Volatile.Write(ref _dueAt, _time.GetTimestamp() + (long)(d.TotalSeconds * _time.TimestampFrequency));
            // One timer per deadline, carrying its generation: a stale firing is recognised and ignored.
            _stateTimer = _time.CreateTimer(static s => ((TimerState)s!).Fire(), new TimerState(this, generation), d, Timeout.InfiniteTimeSpan);
        }
        else
        {
            Volatile.Write(ref _dueAt, long.MaxValue);
        }
        Volatile.Write(ref _state, (int)to);
        return new BreakerStateChange(Component, from, to, generation, details, _time.GetUtcNow());
    }

    private void Announce(BreakerStateChange? change, EventKind kind)
    {
        if (change is null) return;
        if (_bus is { } bus)
        {
            if (kind == EventKind.Failure)
                bus.Publish(_critical ? EventType.FailCritical : EventType.FailSupport, Component, _openReason, "circuit breaker: " + change.Details, source: ConditionSource.Breaker(Component.Name));
            else if (kind == EventKind.Recovered)
                bus.Publish(EventType.Recovered, Component, ReasonCode.ComponentRecovered, "circuit breaker closed: " + change.Details, source: ConditionSource.Breaker(Component.Name));
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

    private enum EventKind : byte { None, Failure, Recovered }

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
