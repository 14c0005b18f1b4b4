namespace Degradation.Probes;

/// <summary>
/// Runs one probe: rounds (timeout, isolation, transient retries, hysteresis, publishing) and its timer loop.
/// </summary>
/// <remarks>
/// Written with timer callbacks and synchronous task continuations instead of <c>await</c>: a round that completes
/// synchronously (or on a timer) finishes and reschedules on the same thread, so a manual clock's <c>Advance</c> runs
/// probe rounds deterministically even when the caller has a synchronization context (where <c>await</c> continuations
/// would be queued to the thread pool). Rounds never overlap: a request during a round waits for the next one.
/// </remarks>
internal sealed class ProbeWorker : IDisposable
{
    private readonly object _gate = new();
    private readonly IProbe _probe;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly ProbeHysteresis _hysteresis;
    private readonly bool _critical;
    private readonly ReasonCode _failureReason;
    private readonly ReasonCode _timeoutReason;
    private readonly ReasonCode _qualityReason;
    private readonly int _transientRetries;
    private readonly TimeSpan _transientRetryDelay;
    private readonly Action<ProbeObservation> _observed;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TaskCompletionSource<ProbeObservation>> _requests = [];
    private ITimer? _loopTimer;
    private bool _looping;
    private bool _roundActive;
    private bool _disposed;
    private Task? _inFlight;
    private ProbeObservation? _last;
    private long _rounds;
    private long _exceptions;
    private long _timeouts;

    public ProbeWorker(IProbe probe, ProbeSettings settings, DegradationPolicy policy, EventBus bus, TimeProvider time, Action<ProbeObservation> observed)
    {
        _probe = probe;
        _bus = bus;
        _time = time;
        _observed = observed;
        var component = probe.Component;
        var registration = policy.GetComponent(component);
        _critical = registration?.Critical ?? false;
        var options = policy.Options;

        Interval = settings.Interval;
        UnhealthyInterval = settings.UnhealthyInterval ?? settings.Interval / 2;
        Timeout = settings.Timeout ?? DefaultTimeout(component, options) ?? settings.Interval;
        _transientRetries = settings.TransientRetries;
        _transientRetryDelay = settings.TransientRetryDelay;
        _failureReason = settings.FailureReason
            ?? (registration?.TimeoutReason is { } tr ? new ReasonCode(tr) : new ReasonCode(component.Name + ".unavailable"));
        _timeoutReason = registration?.TimeoutReason is { } timeout ? new ReasonCode(timeout) : _failureReason;
        _qualityReason = settings.QualityReason
            ?? (component == ComponentId.MarketData ? ReasonCode.MarketDataQualityLow : new ReasonCode(component.Name + ".quality_low"));
        _hysteresis = new ProbeHysteresis(options, time);
    }

    public ComponentId Component => _probe.Component;

    // A probe's recovered clears only what this probe raised (not, say, an open breaker's condition on the same component).
    private ConditionSource Source => ConditionSource.Probe(Component.Name);
    public TimeSpan Interval { get; }
    public TimeSpan UnhealthyInterval { get; }
    public TimeSpan Timeout { get; }
    public ReasonCode TimeoutReason => _timeoutReason;
    public ReasonCode FailureReason => _failureReason;
    public ProbeObservation? Last => Volatile.Read(ref _last);
    public long Rounds => Interlocked.Read(ref _rounds);
    public long Exceptions => Interlocked.Read(ref _exceptions);
    public long Timeouts => Interlocked.Read(ref _timeouts);

    public static TimeSpan? DefaultTimeout(ComponentId component, DegradationOptions options)
    {
        if (component == ComponentId.Broker) return TimeSpan.FromMilliseconds(options.BrokerTimeoutMs);
        if (component == ComponentId.Risk) return TimeSpan.FromMilliseconds(options.RiskTimeoutMs);
        if (component == ComponentId.Db) return TimeSpan.FromMilliseconds(options.DbTimeoutMs);
        if (component == ComponentId.MarketData) return TimeSpan.FromMilliseconds(options.MarketDataStaleMs);
        return null;
    }

    /// <summary>Starts the loop: a first round at once, then one round per interval (shorter while unhealthy) after each round ends.</summary>
    public void StartLoop()
    {
        lock (_gate)
        {
            if (_looping || _disposed) return;
            _looping = true;
            _loopTimer = _time.CreateTimer(static s => ((ProbeWorker)s!).OnLoopTimer(), this, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
        }
        OnLoopTimer();
    }

    /// <summary>Runs one round now, or right after the round in progress.</summary>
    public Task<ProbeObservation> RequestRound(CancellationToken cancellationToken)
    {
        var request = new TaskCompletionSource<ProbeObservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        Round? round;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _requests.Add(request);
            round = _roundActive ? null : BeginRoundLocked();
        }
        if (round is not null) StartCall(round);
        return cancellationToken.CanBeCanceled ? request.Task.WaitAsync(cancellationToken) : request.Task;
    }

    /// <summary>Stops the loop and abandons any hung call; pending requests are cancelled.</summary>
    public void Dispose()
    {
        TaskCompletionSource<ProbeObservation>[] pending;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _looping = false;
            _loopTimer?.Dispose();
            _loopTimer = null;
            pending = [.. _requests];
            _requests.Clear();
        }
        try { _stop.Cancel(); } catch (AggregateException) { /* a probe's cancellation callback threw; it is abandoned anyway */ }
        foreach (var request in pending) request.TrySetCanceled();
    }

    private void OnLoopTimer()
    {
        Round round;
        lock (_gate)
        {
            if (!_looping || _roundActive) return; // the round in progress reschedules the loop when it ends
            round = BeginRoundLocked();
        }
        StartCall(round);
    }

    private Round BeginRoundLocked()
    {
        _roundActive = true;
        var round = new Round([.. _requests]);
        _requests.Clear();
        return round;
    }

    private void StartCall(Round round)
    {
        if (_stop.IsCancellationRequested)
        {
            Abandon(round);
            return;
        }
        var start = _time.GetTimestamp();
        // A call still hung from an earlier round is not called again (that would pile up hung calls): it is a timeout.
        if (_inFlight is { IsCompleted: false })
        {
            Interlocked.Increment(ref _timeouts);
            OnCallDone(round, new Call(ProbeResult.Unhealthy(_timeoutReason, $"previous probe call still running after the {Timeout.TotalMilliseconds:0} ms timeout"),
                TimeSpan.Zero, TimedOut: true, Threw: false));
            return;
        }
        CancellationTokenSource callCancellation;
        try
        {
            callCancellation = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        }
        catch (ObjectDisposedException)
        {
            Abandon(round);
            return;
        }
        ValueTask<ProbeResult> pending;
        try
        {
            pending = _probe.ProbeAsync(callCancellation.Token);
        }
        catch (Exception ex)
        {
            callCancellation.Dispose();
            OnCallDone(round, Threw(ex, start));
            return;
        }
        if (pending.IsCompleted)
        {
            callCancellation.Dispose();
            OnCallDone(round, Settled(pending, start));
            return;
        }

        var task = pending.AsTask();
        _inFlight = task;
        var race = new CallRace(this, round, task, start, callCancellation);
        race.Arm();
    }

    private void OnCallDone(Round round, Call call)
    {
        if (_stop.IsCancellationRequested)
        {
            // Stopped: a call that ends now (often because we cancelled it) is not news about the component.
            Abandon(round);
            return;
        }
        round.Attempts++;
        if (call.Result.Status == ProbeStatus.Unhealthy && call.Result.IsTransient && round.Attempts <= _transientRetries)
        {
            if (_transientRetryDelay <= TimeSpan.Zero)
            {
                StartCall(round);
                return;
            }
            ITimer? retry = null;
            lock (_gate)
            {
                if (_disposed)
                {
                    _roundActive = false;
                    foreach (var waiter in round.Waiters) waiter.TrySetCanceled();
                    return;
                }
                retry = _time.CreateTimer(static s =>
                {
                    var (worker, r) = ((ProbeWorker, Round))s!;
                    r.RetryTimer?.Dispose();
                    worker.StartCall(r);
                }, (this, round), System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
                round.RetryTimer = retry;
            }
            retry.Change(_transientRetryDelay, System.Threading.Timeout.InfiniteTimeSpan);
            return;
        }
        FinishRound(round, call);
    }

    private void Abandon(Round round)
    {
        lock (_gate) _roundActive = false;
        foreach (var waiter in round.Waiters) waiter.TrySetCanceled();
    }

    private void FinishRound(Round round, Call call)
    {
        ProbeObservation? observation = null;
        Exception? failure = null;
        try
        {
            observation = Conclude(call, round.Attempts);
        }
        catch (Exception ex)
        {
            failure = ex; // the bus or the state machine threw; never wedge the worker
        }

        Round? next = null;
        lock (_gate)
        {
            if (_requests.Count > 0 && !_disposed)
            {
                next = BeginRoundLocked();
            }
            else
            {
                _roundActive = false;
                if (_looping) _loopTimer?.Change(_hysteresis.IsUnhealthy ? UnhealthyInterval : Interval, System.Threading.Timeout.InfiniteTimeSpan);
            }
        }
        foreach (var waiter in round.Waiters)
        {
            if (observation is not null) waiter.TrySetResult(observation);
            else waiter.TrySetException(failure!);
        }
        if (next is not null) StartCall(next);
    }

    private ProbeObservation Conclude(in Call call, int attempts)
    {
        var result = call.Result;
        var reason = result.Status switch
        {
            ProbeStatus.Healthy => default,
            ProbeStatus.Degraded => result.Reason.IsEmpty ? _qualityReason : result.Reason,
            _ => result.Reason.IsEmpty ? _failureReason : result.Reason,
        };
        var now = _time.GetTimestamp();
        ProbeVerdict verdict;
        ReasonCode verdictReason;
        lock (_hysteresis) (verdict, verdictReason) = _hysteresis.Observe(result.Status, reason, now);
        var published = Publish(verdict, verdictReason, result, call);
        var observation = new ProbeObservation
        {
            Component = Component, Status = result.Status, Reason = reason, Details = result.Details, Quality = result.Quality,
            Latency = call.Latency, TimedOut = call.TimedOut, Threw = call.Threw, Transient = result.IsTransient,
            Attempts = attempts, StreakFailures = _hysteresis.StreakFailures, Verdict = verdict, Published = published,
            WallTime = _time.GetUtcNow(), Timestamp = now,
        };
        Volatile.Write(ref _last, observation);
        Interlocked.Increment(ref _rounds);
        _observed(observation);
        return observation;
    }

    private bool Publish(ProbeVerdict verdict, ReasonCode reason, in ProbeResult result, in Call call) => verdict switch
    {
        ProbeVerdict.Failure => _bus.Publish(_critical ? EventType.FailCritical : EventType.FailSupport, Component, reason, Describe(result, call), source: Source),
        ProbeVerdict.QualityDegraded => _bus.Publish(EventType.QualityDegraded, Component, reason, Describe(result, call), source: Source),
        ProbeVerdict.Recovered => _bus.Publish(EventType.Recovered, Component, ReasonCode.ComponentRecovered, "probe stable for the recovery window", source: Source),
        _ => _bus.Publish(EventType.Heartbeat, Component, ReasonCode.ComponentHeartbeat, result.Status == ProbeStatus.Healthy ? null : "probe: " + result, source: Source),
    };

    private static string Describe(in ProbeResult result, in Call call) =>
        result.Details is { Length: > 0 } details ? "probe: " + details : $"probe: {result}{(call.TimedOut ? " (timeout)" : "")}";

    private Call Settled(ValueTask<ProbeResult> completed, long start)
    {
        try
        {
#pragma warning disable RS0030 // completed: reading it does not block (and rethrows the probe's exception, caught below)
            var result = completed.Result;
#pragma warning restore RS0030
            return new Call(result, result.Latency ?? _time.GetElapsedTime(start), TimedOut: false, Threw: false);
        }
        catch (Exception ex)
        {
            return Threw(ex, start);
        }
    }

    private Call Settled(Task<ProbeResult> completed, long start)
    {
        if (completed.IsCompletedSuccessfully)
        {
#pragma warning disable RS0030 // completed successfully: reading it does not block
            var result = completed.Result;
#pragma warning restore RS0030
            return new Call(result, result.Latency ?? _time.GetElapsedTime(start), TimedOut: false, Threw: false);
        }
        var ex = completed.Exception?.InnerException ?? new OperationCanceledException("The probe call was cancelled.");
        return Threw(ex, start);
    }

    private Call Threw(Exception ex, long start)
    {
        Interlocked.Increment(ref _exceptions);
        var result = ProbeResult.Unhealthy(_failureReason, $"probe threw {ex.GetType().Name}: {ex.Message}");
        return new Call(result, _time.GetElapsedTime(start), TimedOut: false, Threw: true);
    }

    private Call TimedOut(long start)
    {
        Interlocked.Increment(ref _timeouts);
        return new Call(ProbeResult.Unhealthy(_timeoutReason, $"probe timed out after {Timeout.TotalMilliseconds:0} ms"),
            _time.GetElapsedTime(start), TimedOut: true, Threw: false);
    }

    private readonly record struct Call(ProbeResult Result, TimeSpan Latency, bool TimedOut, bool Threw);

    private sealed class Round(TaskCompletionSource<ProbeObservation>[] waiters)
    {
        public TaskCompletionSource<ProbeObservation>[] Waiters { get; } = waiters;
        public int Attempts { get; set; }
        public ITimer? RetryTimer { get; set; }
    }

    /// <summary>One asynchronous probe call racing its timeout; whichever settles first concludes the call, exactly once.</summary>
    private sealed class CallRace(ProbeWorker worker, Round round, Task<ProbeResult> task, long start, CancellationTokenSource cancellation)
    {
        private int _settled;
        private ITimer? _timeout;

        public void Arm()
        {
            var timeout = worker._time.CreateTimer(static s => ((CallRace)s!).OnTimeout(), this, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _timeout, timeout);
            // Continuations run synchronously on the completing thread (no await): see the class remarks.
            task.ContinueWith(static (_, s) => ((CallRace)s!).OnCompleted(), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (Volatile.Read(ref _settled) == 0) timeout.Change(worker.Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }

        private void OnCompleted()
        {
            cancellation.Dispose();
            if (Interlocked.Exchange(ref _settled, 1) != 0) return;
            Volatile.Read(ref _timeout)?.Dispose();
            worker.OnCallDone(round, worker.Settled(task, start));
        }

        private void OnTimeout()
        {
            Volatile.Read(ref _timeout)?.Dispose();
            if (Interlocked.Exchange(ref _settled, 1) != 0) return;
            try { cancellation.Cancel(); }
            catch (ObjectDisposedException) { /* the call finished meanwhile */ }
            catch (AggregateException) { /* the probe's cancellation callback threw; the call is abandoned anyway */ }
            worker.OnCallDone(round, worker.TimedOut(start));
        }
    }
}
