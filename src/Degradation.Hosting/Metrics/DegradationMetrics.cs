using System.Diagnostics.Metrics;

namespace Degradation.Hosting;

/// <summary>
/// Instruments of the meter <c>"Degradation"</c> (OpenTelemetry semantic-convention style names). Counters
/// that the hot path owns (bus, gate) are observed, so recording them costs the hot path nothing.
/// </summary>
public sealed class DegradationMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Degradation";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _transitions;

    /// <summary>Creates the instruments for <paramref name="system"/>, on a meter from <paramref name="meterFactory"/> when given.</summary>
    public DegradationMetrics(DegradationSystem system, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (meterFactory is not null) _meter = meterFactory.Create(MeterName);
        else { _meter = new Meter(MeterName); _ownsMeter = true; }

        var gate = system.Gate;
        var bus = system.Bus;
        _meter.CreateObservableGauge("degradation.mode", () => (int)gate.Mode,
            description: "Current system mode (0 normal, 1 recovering, 2 degraded, 3 safe_mode, 4 safe_mode_disconnected, 5 halt).");
        _meter.CreateObservableGauge("degradation.recovery.stage", () => gate.Stage is { } s ? (int)s : -1,
            description: "Current recovery stage (-1 when not recovering).");
        _transitions = _meter.CreateCounter<long>("degradation.transitions", "{transition}", "Mode transitions by from, to and reason.");
        _meter.CreateObservableCounter("degradation.events.processed", () => bus.ProcessedCount, "{event}", "Events processed by the bus.");
        _meter.CreateObservableCounter("degradation.events.dropped", () => bus.DroppedCount, "{event}", "Non-critical events dropped by a full bus.");
        _meter.CreateObservableCounter("degradation.events.must_deliver", () => bus.MustDeliverCount, "{event}", "Must-deliver events applied on the emergency path.");
        _meter.CreateObservableUpDownCounter("degradation.events.pending", () => (long)bus.PendingCount, "{event}", "Events waiting in the bus.");
        if (gate.CountsDenials)
            _meter.CreateObservableCounter("degradation.gate.denials", () => ObserveDenials(gate), "{decision}", "Gate refusals by action and mode (DegradationOptions.CountGateDenials).");
    }

    /// <summary>The meter.</summary>
    public Meter Meter => _meter;

    /// <summary>Records one transition (called by the hosted service's observer).</summary>
    public void RecordTransition(ModeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        _transitions.Add(1,
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
