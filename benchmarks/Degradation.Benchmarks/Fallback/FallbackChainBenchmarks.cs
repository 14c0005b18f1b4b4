using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Fallback;

/// <summary>Target: a chain call answered by the active primary adds ≤ 50 ns over calling the primary directly, and allocates nothing.</summary>
[MemoryDiagnoser]
public class FallbackChainBenchmarks
{
    private Func<CancellationToken, ValueTask<int>> _primary = null!;
    private FallbackChain<int> _chain = null!;
    private int _value;

    [GlobalSetup]
    public void Setup()
    {
        _primary = Primary;
        _chain = new FallbackChainBuilder<int>("bench")
            .Primary(_primary)
            .Secondary(_ => new ValueTask<int>(2))
            .Cache(_ => new ValueTask<int>(3))
            .Error(-1)
            .Build();
    }

    private ValueTask<int> Primary(CancellationToken cancellationToken) => new(++_value);

    [Benchmark(Baseline = true)]
    public int DirectCall()
    {
        var pending = _primary(CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public int ChainCall()
    {
        var pending = _chain.ExecuteAsync(CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result.Value : pending.AsTask().GetAwaiter().GetResult().Value;
    }

    [Benchmark]
    public async ValueTask<int> DirectCall_Awaited() => await _primary(CancellationToken.None).ConfigureAwait(false);

    [Benchmark]
    public async ValueTask<int> ChainCall_Awaited() => (await _chain.ExecuteAsync(CancellationToken.None).ConfigureAwait(false)).Value;
}
