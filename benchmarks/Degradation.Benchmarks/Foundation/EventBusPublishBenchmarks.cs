using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Foundation;

/// <summary>
/// <see cref="EventBus.Publish(in SystemEvent)"/> of a non-critical and of a must-deliver event, bus not started.
/// Each iteration publishes a fixed number of events into a queue large enough never to drop, and the queue is drained
/// in <see cref="IterationCleanup"/> (not measured), so the queue's ring segment is reused: steady state allocates nothing.
/// Target: non-critical Publish ≤ 50 ns and 0 B. The must-deliver path also applies the event to the state machine
/// synchronously (rule 7), so it costs more by design.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class EventBusPublishBenchmarks
{
    private const int Invocations = 8;
    private const int EventsPerInvoke = 32_768; // 8 × 32,768 = 262,144 events per iteration, well inside one queue segment

    private DegradationSystem _system = null!;
    private EventBus _bus = null!;
    private SystemEvent _heartbeat;
    private SystemEvent _qualityLow;
    private SystemEvent _disconnect;

    [GlobalSetup]
    public void Setup()
    {
        _system = FoundationSystems.Normal(FoundationSystems.Options(o => o.EventBus.QueueSize = 1_000_000));
        _bus = _system.Bus;
        _heartbeat = SystemEvent.Create(_system.TimeProvider, EventType.Heartbeat, ComponentId.MarketData);
        _qualityLow = SystemEvent.Create(_system.TimeProvider, EventType.QualityDegraded, ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        _disconnect = SystemEvent.Create(_system.TimeProvider, EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect);
    }

    [IterationCleanup]
    public void Drain()
    {
        _bus.ProcessPending();
        if (_bus.DroppedCount != 0) throw new InvalidOperationException("the benchmark queue overflowed");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public bool PublishHeartbeat()
    {
        var kept = true;
        for (var i = 0; i < EventsPerInvoke; i++) kept &= _bus.Publish(_heartbeat);
        return kept;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public bool PublishNonCriticalFailure()
    {
        var kept = true;
        for (var i = 0; i < EventsPerInvoke; i++) kept &= _bus.Publish(_qualityLow);
        return kept;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public bool PublishMustDeliver()
    {
        var kept = true;
        for (var i = 0; i < EventsPerInvoke; i++) kept &= _bus.Publish(_disconnect);
        return kept;
    }
}
