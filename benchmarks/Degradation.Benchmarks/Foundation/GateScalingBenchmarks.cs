using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Foundation;

/// <summary>
/// <see cref="TradingGate.Allows"/> and <see cref="TradingGate.Check"/> with 1, 100 and 10,000 registered components
/// (options.Components): the cost must not depend on the number of components (O(1)).
/// </summary>
[MemoryDiagnoser]
public class GateScalingBenchmarks
{
    private TradingGate _gate = null!;
    private DegradationSystem _system = null!;

    [Params(1, 100, 10_000)]
    public int Components { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = FoundationSystems.Options(o =>
        {
            for (var i = 0; i < Components; i++) o.Components[$"feed-{i}"] = new ComponentOptions { Critical = false };
        });
        _system = FoundationSystems.Normal(options);
        _gate = _system.Gate;
        if (_system.StateMachine.GetComponents().Count < Components) throw new InvalidOperationException("components were not registered");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public bool Allows() => _gate.Allows(ActionType.Send);

    [Benchmark]
    public GateDecision Check() => _gate.Check(ActionType.Send);
}
