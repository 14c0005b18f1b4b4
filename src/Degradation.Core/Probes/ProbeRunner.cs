namespace Degradation.Probes;

/// <summary>
/// Schedules <see cref="IProbe"/>s: each probe has its own loop and interval (shorter while unhealthy), a
/// timeout (a timeout is a failure with the component's timeout reason), exception isolation (a throwing or hung probe
/// is a failure, never a crash, and never holds up other probes), immediate retries of transient failures, and
/// hysteresis (<see cref="ProbeOptions.FailThresholdCount"/> / <see cref="ProbeOptions.FailThresholdDuration"/>
/// before a failure event, <see cref="RecoveryOptions.StablePeriod"/> before a Recovered event). Every
/// round without a new verdict publishes a heartbeat, keeping the component's status fresh (rule 9 in docs/RULES.md).
/// Time comes only from the <see cref="TimeProvider"/>, so tests drive it with a manual clock;
/// <see cref="ProbeNowAsync"/> and <see cref="RunOnceAsync"/> run rounds deterministically.
/// </summary>
public sealed class ProbeRunner : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<ComponentId, ProbeWorker> _workers = [];
    private readonly DegradationPolicy _policy;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private bool _started;
    private bool _stopped;

    /// <summary>Creates a runner that publishes to <paramref name="bus"/>.</summary>
    public ProbeRunner(DegradationPolicy policy, EventBus bus, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = policy;
        _bus = bus;
        _time = timeProvider;
    }

    /// <summary>Creates a runner for <paramref name="system"/>'s bus, policy and clock.</summary>
    public ProbeRunner(DegradationSystem system)
        : this((system ?? throw new ArgumentNullException(nameof(system))).Policy, system.Bus, system.TimeProvider)
    {
    }

    /// <summary>Raised after every round, on the thread that ran it. Exceptions thrown by handlers are ignored.</summary>
    public event Action<ProbeObservation>? Observed;

    /// <summary>The probed components.</summary>
    public IReadOnlyList<ComponentId> Components { get { lock (_lock) return [.. _workers.Keys]; } }

    /// <summary>True between <see cref="Start"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning { get { lock (_lock) return _started && !_stopped; } }

    /// <summary>Registers <paramref name="probe"/>; its loop starts at once if the runner is running.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it), or the component already has a probe.</exception>
    public void Add(IProbe probe, ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(settings);
        if (probe.Component.IsEmpty) throw new ArgumentException("The probe has no component.", nameof(probe));
        Validate(probe.Component, settings);
        var worker = new ProbeWorker(probe, settings, _policy, _bus, _time, RaiseObserved);
        bool start;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (!_workers.TryAdd(probe.Component, worker))
                throw new ArgumentException($"Component '{probe.Component}' already has a probe.", nameof(probe));
            start = _started;
        }
        if (start) worker.StartLoop();
    }

    /// <summary>Registers a delegate probe of <paramref name="component"/>.</summary>
    public void Add(ComponentId component, ProbeSettings settings, Func<CancellationToken, ValueTask<ProbeResult>> check) =>
        Add(new DelegateProbe(component, check), settings);

    /// <summary>Starts every probe's loop: a first round at once, then one per interval. Idempotent.</summary>
    public void Start()
    {
        ProbeWorker[] workers;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started) return;
            _started = true;
            workers = [.. _workers.Values];
        }
        // Outside the lock: a synchronous probe's first round runs right here.
        foreach (var worker in workers) worker.StartLoop();
    }

    /// <summary>Runs one round of <paramref name="component"/>'s probe now (after any round in progress) and returns its observation.</summary>
    /// <exception cref="KeyNotFoundException">No probe is registered for <paramref name="component"/>.</exception>
    public Task<ProbeObservation> ProbeNowAsync(ComponentId component, CancellationToken cancellationToken = default)
    {
        ProbeWorker? worker;
        lock (_lock) _workers.TryGetValue(component, out worker);
        if (worker is null) throw new KeyNotFoundException($"No probe is registered for component '{component}'.");
        return worker.RequestRound(cancellationToken);
    }

    /// <summary>Runs one round of every probe, concurrently, and returns their observations in registration order.</summary>
    public async Task<IReadOnlyList<ProbeObservation>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        ProbeWorker[] workers;
        lock (_lock) workers = [.. _workers.Values];
        return await Task.WhenAll(workers.Select(w => w.RequestRound(cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>The latest observation of <paramref name="component"/>, or null before its first round.</summary>
    public ProbeObservation? GetLastObservation(ComponentId component)
    {
        lock (_lock) return _workers.TryGetValue(component, out var worker) ? worker.Last : null;
    }

    /// <summary>Counters of <paramref name="component"/>'s probe: rounds, exceptions, timeouts.</summary>
    public ProbeStatistics GetStatistics(ComponentId component)
    {
        ProbeWorker? worker;
        lock (_lock) _workers.TryGetValue(component, out worker);
        if (worker is null) throw new KeyNotFoundException($"No probe is registered for component '{component}'.");
        return new ProbeStatistics(component, worker.Rounds, worker.Exceptions, worker.Timeouts, worker.Interval, worker.UnhealthyInterval, worker.Timeout, worker.TimeoutReason);
    }

    /// <summary>Stops every loop; a hung probe call is cancelled and abandoned, not awaited. Pending <see cref="ProbeNowAsync"/> calls are cancelled.</summary>
    public Task StopAsync()
    {
        ProbeWorker[] workers;
        lock (_lock)
        {
            if (_stopped) return Task.CompletedTask;
            _stopped = true;
            workers = [.. _workers.Values];
        }
        foreach (var worker in workers) worker.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void RaiseObserved(ProbeObservation observation)
    {
        try { Observed?.Invoke(observation); }
        catch (Exception) { /* an observer must not break probing */ }
    }

    private void Validate(ComponentId component, ProbeSettings settings)
    {
        var name = $"{nameof(ProbeSettings)} of '{component}'";
        if (settings.Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Interval, $"{name}: {nameof(ProbeSettings.Interval)} must be positive (was {settings.Interval}).");
        if (settings.UnhealthyInterval is { } unhealthy && (unhealthy <= TimeSpan.Zero || unhealthy > settings.Interval))
            throw new ArgumentOutOfRangeException(nameof(settings), unhealthy, $"{name}: {nameof(ProbeSettings.UnhealthyInterval)} must be positive and not above {nameof(ProbeSettings.Interval)} {settings.Interval} (was {unhealthy}).");
        if (settings.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(settings), timeout, $"{name}: {nameof(ProbeSettings.Timeout)} must be positive (was {timeout}).");
        if (settings.TransientRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TransientRetries, $"{name}: {nameof(ProbeSettings.TransientRetries)} must not be negative (was {settings.TransientRetries}).");
        if (settings.TransientRetryDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.TransientRetryDelay, $"{name}: {nameof(ProbeSettings.TransientRetryDelay)} must not be negative (was {settings.TransientRetryDelay}).");
        var effectiveTimeout = settings.Timeout ?? ProbeWorker.DefaultTimeout(component, _policy.Options) ?? settings.Interval;
        var ttl = _policy.GetComponent(component)?.StatusTtl ?? _policy.StatusTtl;
        if (settings.Interval + effectiveTimeout >= ttl)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Interval,
                $"{name}: {nameof(ProbeSettings.Interval)} {settings.Interval} plus timeout {effectiveTimeout} must stay below the component's status TTL {ttl}, or the component would go Unknown between rounds.");
    }
}
