using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Foundation;

/// <summary>
/// Events per second through bus + state machine: publish a batch of non-critical events, then process them
/// (<see cref="EventBus.ProcessPending"/> applies each to the state machine). One operation = one event published
/// and applied. Target: ≥ 5 M events/s, i.e. ≤ 200 ns per operation.
/// </summary>
[MemoryDiagnoser]
public class EventThroughputBenchmarks
{
    private const int Batch = 4_096; // below the default queue size: nothing is dropped

    private DegradationSystem _system = null!;
    private EventBus _bus = null!;
    private SystemEvent[] _mixed = [];
    private SystemEvent _heartbeat;

    [GlobalSetup]
    public void Setup()
    {
        _system = FoundationSystems.Normal();
        _bus = _system.Bus;
        var time = _system.TimeProvider;
        _heartbeat = SystemEvent.Create(time, EventType.Heartbeat, ComponentId.MarketData);
        // Heartbeats from every component plus recoveries of healthy components: all apply, none changes the mode.
        ComponentId[] components = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, ComponentId.Db, ComponentId.Alerts];
        _mixed = [.. Enumerable.Range(0, 16).Select(i => SystemEvent.Create(time, i % 4 == 3 ? EventType.Recovered : EventType.Heartbeat, components[i % components.Length]))];
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int Heartbeats()
    {
        for (var i = 0; i < Batch; i++) _bus.Publish(_heartbeat);
        return _bus.ProcessPending();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int MixedComponents()
    {
        var mixed = _mixed;
        for (var i = 0; i < Batch; i++) _bus.Publish(mixed[i & 15]);
        return _bus.ProcessPending();
    }
}
