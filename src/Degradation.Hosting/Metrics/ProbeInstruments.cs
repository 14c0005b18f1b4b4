using System.Diagnostics.Metrics;
using Degradation.Probes;

namespace Degradation.Hosting;

/// <summary>Probe failures and latency.</summary>
internal sealed class ProbeInstruments(Meter meter)
{
    private readonly Counter<long> _failures = meter.CreateCounter<long>("degradation.probe.failures", "{probe}",
        "Probe rounds that found their component degraded or unhealthy (timeouts and exceptions included), by component, status and reason.");
    private readonly Histogram<double> _latency = meter.CreateHistogram<double>("degradation.probe.latency", "s",
        "Probe round latency by component and status (a timed-out round reports the timeout).");

    public IDisposable Track(ProbeRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        runner.Observed += Record;
        return new Unsubscribe(() => runner.Observed -= Record);
    }

    private void Record(ProbeObservation observation)
    {
        var component = MetricTags.Tag(MetricTags.Component, observation.Component.Name);
        var status = MetricTags.Tag(MetricTags.Status, MetricTags.Of(observation.Status));
        _latency.Record(observation.Latency.TotalSeconds, component, status);
        if (observation.Status != ProbeStatus.Healthy)
            _failures.Add(1, component, status, MetricTags.Tag(MetricTags.Reason, observation.Reason.IsEmpty ? null : observation.Reason.Value));
    }
}
