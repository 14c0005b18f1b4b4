using System.Diagnostics.Metrics;
using Degradation.Breakers;

namespace Degradation.Hosting;

/// <summary>Circuit breaker states and transitions.</summary>
internal sealed class BreakerInstruments
{
    private readonly TrackedSet<ComponentCircuitBreaker> _breakers = new();
    private readonly Counter<long> _transitions;

    public BreakerInstruments(Meter meter)
    {
        meter.CreateObservableGauge("degradation.breaker.state", Observe, "{state}",
            "Current circuit breaker state per component (0 closed, 1 open, 2 half_open, 3 isolated).");
        _transitions = meter.CreateCounter<long>("degradation.breaker.transitions", "{transition}",
            "Circuit breaker state changes by component, from and to state.");
    }

    public IDisposable Track(ComponentCircuitBreaker breaker)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        void OnChange(BreakerStateChange change) => _transitions.Add(1,
            MetricTags.Tag(MetricTags.Component, change.Component.Name),
            MetricTags.Tag(MetricTags.From, MetricTags.Of(change.From)),
            MetricTags.Tag(MetricTags.To, MetricTags.Of(change.To)));
        breaker.StateChanged += OnChange;
        return _breakers.Add(breaker, () => breaker.StateChanged -= OnChange);
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var breaker in _breakers.Items)
            yield return new Measurement<int>((int)breaker.State, MetricTags.Tag(MetricTags.Component, breaker.Component.Name));
    }
}
