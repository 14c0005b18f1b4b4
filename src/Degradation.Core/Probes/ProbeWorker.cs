namespace Degradation;

/// <summary>Runs one probe: rounds (timeout, isolation, transient retries, hysteresis, publishing) and its timer loop.</summary>
internal sealed class ProbeWorker
{
    private readonly IProbe _probe;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly ProbeHysteresis _hysteresis;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly bool _critical;
    private readonly ReasonCode _failureReason;
    private readonly ReasonCode _timeoutReason;
    private readonly ReasonCode _qualityReason;
    private readonly int _transientRetries;
    private readonly TimeSpan _transientRetryDelay;
    private readonly Action<ProbeObservation> _observed;
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
    public TimeSpan Interval { get; }
    public TimeSpan UnhealthyInterval { get; }
    public TimeSpan Timeout { get; }
    public ReasonCode TimeoutReason => _timeoutReason;
    public ReasonCode FailureReason => _failureReason;
    public ProbeObservation? Last => Volatile.Read(ref _last);
    public long Rounds => Interlocked.Read(ref _rounds);
    public long Exceptions => Interlocked.Read(ref _exceptions);
    public long Timeouts => Interlocked.Read(ref _timeouts);
    public Task Loop { get; private set; } = Task.CompletedTask;

    public static TimeSpan? DefaultTimeout(ComponentId component, DegradationOptions options)
    {
        if (component == ComponentId.Broker) return TimeSpan.FromMilliseconds(options.BrokerTimeoutMs);
        if (component == ComponentId.Risk) return TimeSpan.FromMilliseconds(options.RiskTimeoutMs);
        if (component == ComponentId.Db) return TimeSpan.FromMilliseconds(options.DbTimeoutMs);
        if (component == ComponentId.MarketData) return TimeSpan.FromMilliseconds(options.MarketDataStaleMs);
        return null;
    }

    /// <summary>Starts the timer loop: a first round at once, then one round per interval (shorter while unhealthy).</summary>
    public void StartLoop(CancellationToken stop) => Loop = LoopAsync(stop);

    private async Task LoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // RunRoundAsync isolates probe failures; anything else (an observer, the bus) must not end the loop.
            }
            var next = _hysteresis.IsUnhealthy ? UnhealthyInterval : Interval;
            try
            {
                await Task.Delay(next, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs one round; rounds of one probe never overlap.</summary>
    public async Task<ProbeObservation> RunRoundAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var call = await CallAsync(cancellationToken).ConfigureAwait(false);
            var attempts = 1;
            while (call.Result.Status == ProbeStatus.Unhealthy && call.Result.IsTransient && attempts <= _transientRetries)
            {
                if (_transientRetryDelay > TimeSpan.Zero) await Task.Delay(_transientRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                call = await CallAsync(cancellationToken).ConfigureAwait(false);
                attempts++;
            }
            return Conclude(call, attempts);
        }
        finally
        {
            _round.Release();
        }
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
        var (verdict, verdictReason) = _hysteresis.Observe(result.Status, reason, now);
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
        ProbeVerdict.Failure => _bus.Publish(_critical ? EventType.FailCritical : EventType.FailSupport, Component, reason, Describe(result, call)),
        ProbeVerdict.QualityDegraded => _bus.Publish(EventType.QualityDegraded, Component, reason, Describe(result, call)),
        ProbeVerdict.Recovered => _bus.Publish(EventType.Recovered, Component, ReasonCode.ComponentRecovered, "probe stable for the recovery window"),
        _ => _bus.Publish(EventType.Heartbeat, Component, ReasonCode.ComponentHeartbeat, result.Status == ProbeStatus.Healthy ? null : "probe: " + result),
    };

    private static string Describe(in ProbeResult result, in Call call) =>
        result.Details is { Length: > 0 } details ? $"probe: {details}" : $"probe: {result}{(call.TimedOut ? " (timeout)" : "")}";

    private async ValueTask<Call> CallAsync(CancellationToken stop)
    {
        var start = _time.GetTimestamp();
        // A call still hung from an earlier round is not called again (that would pile up hung calls): it is a timeout.
        if (_inFlight is { IsCompleted: false })
        {
            Interlocked.Increment(ref _timeouts);
            return new Call(ProbeResult.Unhealthy(_timeoutReason, $"previous probe call still running after {Timeout.TotalMilliseconds:0} ms timeout"), TimeSpan.Zero, TimedOut: true, Threw: false);
        }

        var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        ValueTask<ProbeResult> pending;
        try
        {
            pending = _probe.ProbeAsync(cts.Token);
        }
        catch (Exception ex)
        {
            cts.Dispose();
            return Threw(ex, start);
        }
        if (pending.IsCompletedSuccessfully)
        {
            cts.Dispose();
            return Completed(pending.Result, start);
        }

        var task = pending.AsTask();
        _inFlight = task;
        // The token source lives as long as the call: a hung probe may still hold its token after we give up on it.
        _ = task.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), cts,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            var result = await task.WaitAsync(Timeout, _time, stop).ConfigureAwait(false);
            return Completed(result, start);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Interlocked.Increment(ref _timeouts);
            try { cts.Cancel(); } catch (ObjectDisposedException) { /* the call finished meanwhile */ }
            return new Call(ProbeResult.Unhealthy(_timeoutReason, $"probe timed out after {Timeout.TotalMilliseconds:0} ms"), _time.GetElapsedTime(start), TimedOut: true, Threw: false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            try { cts.Cancel(); } catch (ObjectDisposedException) { /* the call finished meanwhile */ }
            throw;
        }
        catch (Exception ex)
        {
            return Threw(ex, start);
        }
    }

    private Call Completed(in ProbeResult result, long start) => new(result, result.Latency ?? _time.GetElapsedTime(start), TimedOut: false, Threw: false);

    private Call Threw(Exception ex, long start)
    {
        Interlocked.Increment(ref _exceptions);
        var result = ProbeResult.Unhealthy(_failureReason, $"probe threw {ex.GetType().Name}: {ex.Message}");
        return new Call(result, _time.GetElapsedTime(start), TimedOut: false, Threw: true);
    }

    private readonly record struct Call(ProbeResult Result, TimeSpan Latency, bool TimedOut, bool Threw);
}
