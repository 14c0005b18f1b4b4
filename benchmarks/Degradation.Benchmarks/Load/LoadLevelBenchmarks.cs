using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Load;

/// <summary>Target: level evaluation ≤ 50 ns. Caller-supplied heap load (no GC query).</summary>
[MemoryDiagnoser]
public class LoadLevelBenchmarks
{
    private LoadLevelMonitor _monitor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _monitor = new LoadLevelMonitor();
        _monitor.Evaluate(150_000, 40); // Soft
    }

    /// <summary>The signal stays within the current level.</summary>
    [Benchmark(Baseline = true)]
    public LoadLevel Evaluate_SameLevel() => _monitor.Evaluate(150_000, 40);

    /// <summary>The thresholds say Normal but hysteresis (recovery below 50K) holds Soft.</summary>
    [Benchmark]
    public LoadLevel Evaluate_HeldByHysteresis() => _monitor.Evaluate(60_000, 40);

    /// <summary>The threshold scan alone.</summary>
    [Benchmark]
    public LoadLevel TargetLevel() => _monitor.TargetLevel(150_000, 40);

    /// <summary>A helper read (level check).</summary>
    [Benchmark]
    public bool IsAcceptingData() => _monitor.IsAcceptingData;
}
