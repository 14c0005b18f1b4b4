using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Foundation;

/// <summary>
/// The gate with metrics on: <see cref="GateOptions.CountDenials"/> enabled (the
/// <c>degradation.gate.denials</c> metric), in a mode that allows Send and in one that refuses it.
/// </summary>
[MemoryDiagnoser]
public class GateDenialCounterBenchmarks
{
    private DegradationSystem _system = null!;
    private TradingGate _gate = null!;

    [Params(SystemMode.Normal, SystemMode.SafeMode)]
    public SystemMode Mode { get; set; }

    [Params(false, true)]
    public bool CountGateDenials { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = FoundationSystems.In(Mode, FoundationSystems.Options(o => o.Gate.CountDenials = CountGateDenials));
        _gate = _system.Gate;
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public bool Allows() => _gate.Allows(ActionType.Send);

    [Benchmark]
    public GateDecision Check() => _gate.Check(ActionType.Send);
}
