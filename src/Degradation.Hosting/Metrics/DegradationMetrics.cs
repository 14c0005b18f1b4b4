using System.Diagnostics.Metrics;
using Degradation.Breakers;
using Degradation.Buffering;
using Degradation.Caching;
using Degradation.Load;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.Retry;
using Degradation.Scopes;
using Degradation.State;

namespace Degradation.Hosting;

/// <summary>
/// Instruments of the meter <c>"Degradation"</c> (OpenTelemetry semantic-convention style names). Counters
/// that the hot path owns (bus, gate, load shedder) are observed, so recording them costs the hot path nothing.
/// </summary>
/// <remarks>
/// Mode, transitions, bus and gate instruments are always there. The hosted service also tracks the registered
/// <see cref="ProbeRunner"/>, <see cref="RecoveryOrchestrator"/> and write-buffer replay step; parts the
/// application creates itself (load monitors and shedders, circuit breakers, idempotent retries, reconciliation
/// and cache-invalidation steps) report once passed to a <c>Track</c> overload. Disposing what <c>Track</c>
/// returns stops reporting that part.
/// </remarks>
public sealed class DegradationMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Degradation";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _transitions;
    private readonly LoadInstruments _load;
    private readonly BreakerInstruments _breakers;
    private readonly ProbeInstruments _probes;
    private readonly RecoveryInstruments _recovery;

    /// <summary>Creates the instruments for <paramref name="system"/>, on a meter from <paramref name="meterFactory"/> when given.</summary>
    public DegradationMetrics(DegradationSystem system, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (meterFactory is not null) _meter = meterFactory.Create(MeterName);
        else { _meter = new Meter(MeterName); _ownsMeter = true; }

        var gate = system.Gate;
        var bus = system.Bus;
        var scopes = system.Scopes;
        _meter.CreateObservableGauge("degradation.mode", () => ObserveScopes(scopes, static s => (int)s.Mode),
            description: "Current effective mode per scope (tag degradation.scope, empty for the process): 0 normal, 1 recovering, 2 degraded, 3 safe_mode, 4 safe_mode_disconnected, 5 halt.");
        _meter.CreateObservableGauge("degradation.recovery.stage", () => ObserveScopes(scopes, static s => s.Stage is { } stage ? (int)stage : -1),
            description: "Current recovery stage per scope (tag degradation.scope, empty for the process; -1 when not recovering).");
        _transitions = _meter.CreateCounter<long>("degradation.transitions", "{transition}", "Mode transitions by scope, from, to and reason.");
        _meter.CreateObservableCounter("degradation.events.processed", () => bus.ProcessedCount, "{event}", "Events processed by the bus.");
        _meter.CreateObservableCounter("degradation.events.dropped", () => bus.DroppedCount, "{event}", "Non-critical events dropped by a full bus.");
        _meter.CreateObservableCounter("degradation.events.must_deliver", () => bus.MustDeliverCount, "{event}", "Must-deliver events applied on the emergency path.");
        _meter.CreateObservableUpDownCounter("degradation.events.pending", () => (long)bus.PendingCount, "{event}", "Events waiting in the bus.");
        if (gate.CountsDenials)
            _meter.CreateObservableCounter("degradation.gate.denials", () => ObserveDenials(gate), "{decision}", "Gate refusals by action and mode (DegradationOptions.CountGateDenials).");
        _load = new LoadInstruments(_meter);
        _breakers = new BreakerInstruments(_meter);
        _probes = new ProbeInstruments(_meter);
        _recovery = new RecoveryInstruments(_meter);
    }

    /// <summary>The meter.</summary>
    public Meter Meter => _meter;

    /// <summary>
    /// Records one transition (called by the hosted service's observer for every scope), tagged with its scope
    /// (<see cref="ModeTransition.Scope"/>; empty for the process).
    /// </summary>
    public void RecordTransition(ModeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        _transitions.Add(1,
            new KeyValuePair<string, object?>(MetricTags.Scope, transition.Scope ?? string.Empty),
            new KeyValuePair<string, object?>("degradation.mode.from", WireNames.Of(transition.From)),
            new KeyValuePair<string, object?>("degradation.mode.to", WireNames.Of(transition.To)),
            new KeyValuePair<string, object?>("degradation.reason", transition.Reason.Value));
    }

    /// <summary>Adds an observable counter owned by another part (write buffer, shedder, breakers).</summary>
    public void AddObservableGauge(string name, Func<long> observe, string? unit = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(observe);
        _meter.CreateObservableGauge(name, observe, unit, description);
    }

    /// <summary>Adds an observable counter owned by another part (write buffer, shedder, breakers).</summary>
    public void AddObservableCounter(string name, Func<long> observe, string? unit = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(observe);
        _meter.CreateObservableCounter(name, observe, unit, description);
    }

    /// <summary>Reports <paramref name="monitor"/>'s level (<c>degradation.load.level</c>) and its changes (<c>degradation.load.transitions</c>).</summary>
    /// <returns>Dispose to stop reporting the monitor.</returns>
    public IDisposable Track(LoadLevelMonitor monitor) => _load.Track(monitor);

    /// <summary>Reports messages <paramref name="shedder"/> shed, by priority tier and by the load level that shed them (<c>degradation.load.shed</c>).</summary>
    /// <param name="shedder">The shedder.</param>
    /// <param name="name">Tells several shedders apart (tag <c>degradation.shedder</c>).</param>
    /// <returns>Dispose to stop reporting the shedder.</returns>
    public IDisposable Track(LoadShedder shedder, string name = "default") => _load.Track(shedder, name);

    /// <summary>Reports <paramref name="breaker"/>'s state (<c>degradation.breaker.state</c>) and its changes (<c>degradation.breaker.transitions</c>).</summary>
    /// <returns>Dispose to stop reporting the breaker.</returns>
    public IDisposable Track(ComponentCircuitBreaker breaker) => _breakers.Track(breaker);

    /// <summary>Reports <paramref name="runner"/>'s failed rounds (<c>degradation.probe.failures</c>) and round latency (<c>degradation.probe.latency</c>).</summary>
    /// <returns>Dispose to stop reporting the runner.</returns>
    public IDisposable Track(ProbeRunner runner) => _probes.Track(runner);

    /// <summary>Reports the stage retries <paramref name="orchestrator"/> schedules (<c>degradation.retry.attempts</c>, source <c>recovery</c>).</summary>
    /// <returns>Dispose to stop reporting the orchestrator.</returns>
    public IDisposable Track(RecoveryOrchestrator orchestrator) => _recovery.Track(orchestrator);

    /// <summary>Reports the retries <paramref name="retry"/> schedules (<c>degradation.retry.attempts</c>, source <c>operation</c>).</summary>
    /// <param name="retry">The retry policy.</param>
    /// <param name="operation">The operation it retries (tag <c>degradation.operation</c>), e.g. <c>"submit_order"</c>.</param>
    /// <returns>Dispose to stop reporting the retries.</returns>
    public IDisposable Track(IdempotentRetry retry, string operation) => _recovery.Track(retry, operation);

    /// <summary>Reports the replays <paramref name="step"/> runs (<c>degradation.replay.duration</c>, <c>degradation.replay.entries</c>).</summary>
    /// <returns>Dispose to stop reporting the step.</returns>
    public IDisposable Track(WriteBufferReplayStep step) => _recovery.Track(step);

    /// <summary>Reports how many instruments diverged at each of <paramref name="step"/>'s reconciliations (<c>degradation.reconciliation.divergence</c>).</summary>
    /// <returns>Dispose to stop reporting the step.</returns>
    public IDisposable Track(PositionReconciliationStep step) => _recovery.Track(step);

    /// <summary>Reports the caches <paramref name="step"/> invalidates (<c>degradation.cache.invalidations</c>, <c>degradation.cache.invalidated_entries</c>).</summary>
    /// <returns>Dispose to stop reporting the step.</returns>
    public IDisposable Track(CacheInvalidationStep step) => _recovery.Track(step);

    // One measurement per scope, the process first (tag value ""): what each scope's gate answers now.
    private static IEnumerable<Measurement<int>> ObserveScopes(ScopeTree scopes, Func<ScopeSnapshot, int> value)
    {
        foreach (var scope in scopes.GetScopes())
            yield return new Measurement<int>(value(scope.Snapshot), new KeyValuePair<string, object?>(MetricTags.Scope, scope.Path));
    }

    private static IEnumerable<Measurement<long>> ObserveDenials(TradingGate gate)
    {
        foreach (var mode in Enum.GetValues<SystemMode>())
            foreach (var action in Enum.GetValues<ActionType>())
            {
                var count = gate.GetDenials(mode, action);
                if (count > 0)
                    yield return new Measurement<long>(count,
                        new KeyValuePair<string, object?>("degradation.mode", WireNames.Of(mode)),
                        new KeyValuePair<string, object?>("degradation.action", WireNames.Of(action)));
            }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
