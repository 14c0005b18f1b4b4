using System.Diagnostics.Metrics;
using Degradation.Load;

namespace Degradation.Hosting;

/// <summary>Load level, its transitions, and messages shed by tier and reason.</summary>
internal sealed class LoadInstruments
{
    private static readonly LoadLevel[] Levels = Enum.GetValues<LoadLevel>();
    private static readonly MessagePriority[] Priorities = Enum.GetValues<MessagePriority>();

    private readonly TrackedSet<LoadLevelMonitor> _monitors = new();
    private readonly TrackedSet<NamedShedder> _shedders = new();
    private readonly Counter<long> _transitions;

    public LoadInstruments(Meter meter)
    {
        meter.CreateObservableGauge("degradation.load.level", ObserveLevels, "{level}",
            "Current load level per monitor (0 normal, 1 soft, 2 graceful, 3 aggressive, 4 circuit_break).");
        _transitions = meter.CreateCounter<long>("degradation.load.transitions", "{transition}",
            "Load level changes by monitor, from and to level.");
        meter.CreateObservableCounter("degradation.load.shed", ObserveShed, "{message}",
            "Messages shed by the load shedder, by priority tier and by the load level that shed them (the reason).");
    }

    public IDisposable Track(LoadLevelMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var component = monitor.Component.Name;
        void OnChange(LoadLevelChange change) => _transitions.Add(1,
            MetricTags.Tag(MetricTags.Component, component),
            MetricTags.Tag(MetricTags.From, MetricTags.Of(change.From)),
            MetricTags.Tag(MetricTags.To, MetricTags.Of(change.To)));
        monitor.LevelChanged += OnChange;
        return _monitors.Add(monitor, () => monitor.LevelChanged -= OnChange);
    }

    public IDisposable Track(LoadShedder shedder, string name)
    {
        ArgumentNullException.ThrowIfNull(shedder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _shedders.Add(new NamedShedder(shedder, name));
    }

    private IEnumerable<Measurement<int>> ObserveLevels()
    {
        foreach (var monitor in _monitors.Items)
            yield return new Measurement<int>((int)monitor.Level, MetricTags.Tag(MetricTags.Component, monitor.Component.Name));
    }

    private IEnumerable<Measurement<long>> ObserveShed()
    {
        foreach (var (shedder, name) in _shedders.Items)
            foreach (var level in Levels)
                foreach (var priority in Priorities)
                {
                    var count = shedder.GetShedCount(priority, level);
                    if (count == 0) continue;
                    yield return new Measurement<long>(count,
                        MetricTags.Tag("degradation.shedder", name),
                        MetricTags.Tag(MetricTags.Priority, MetricTags.Of(priority)),
                        MetricTags.Tag(MetricTags.Reason, "load." + MetricTags.Of(level)));
                }
    }

    private sealed record NamedShedder(LoadShedder Shedder, string Name);
}
