using BenchmarkDotNet.Attributes;
using Polly;
using Polly.CircuitBreaker;

namespace Degradation.Benchmarks.Breakers;

/// <summary>
/// The component circuit breaker's hot path (target: TryAcquire + Record ≤ 20 ns, 0 B) beside Polly.Core's circuit
/// breaker strategy executing a no-op through a <see cref="ResiliencePipeline"/>.
/// </summary>
[MemoryDiagnoser]
public class BreakerBenchmarks
{
    private DegradationSystem _system = null!;
    private ComponentCircuitBreaker _breaker = null!;
    private ComponentCircuitBreaker _open = null!;
    private ResiliencePipeline _polly = null!;
    private int _calls;

    [GlobalSetup]
    public void Setup()
    {
        _system = DegradationSystem.Create();
        // A throughput threshold that is never reached: failures are counted and the window evaluated, but it never opens.
        _breaker = _system.CreateCircuitBreaker(new ComponentId("bench-api"), new ComponentBreakerOptions { MinimumThroughput = int.MaxValue });
        // Isolated without a TTL: every call is refused (a clock read against a deadline that never comes).
        _open = _system.CreateCircuitBreaker(new ComponentId("bench-open-api"));
        _open.Isolate("bench", "refusal path");
        _polly = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { MinimumThroughput = int.MaxValue })
            .Build();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _breaker.Dispose();
        _open.Dispose();
        await _system.DisposeAsync();
    }

    /// <summary>Closed breaker, successful call: the common case.</summary>
    [Benchmark(Baseline = true)]
    public bool Component_TryAcquire_Record_Success()
    {
        if (!_breaker.TryAcquire(out var permit)) return false;
        _breaker.Record(permit, success: true);
        return true;
    }

    /// <summary>Closed breaker, one call in ten fails (a failure sums the window).</summary>
    [Benchmark]
    public bool Component_TryAcquire_Record_TenPercentFailures()
    {
        if (!_breaker.TryAcquire(out var permit)) return false;
        _breaker.Record(permit, success: ++_calls % 10 != 0);
        return true;
    }

    /// <summary>Open (isolated) breaker refusing a call: lock-free, allocation-free.</summary>
    [Benchmark]
    public bool Component_TryAcquire_Refused() => _open.TryAcquire(out _);

    /// <summary>Polly.Core 8 circuit breaker executing a no-op (closed, success).</summary>
    [Benchmark]
    public int Polly_CircuitBreaker_Execute() => _polly.Execute(static () => 1);
}
