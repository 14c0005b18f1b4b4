using BenchmarkDotNet.Attributes;
using Polly;
using Polly.CircuitBreaker;

namespace Degradation.Benchmarks.Foundation;

/// <summary>
/// The per-order question for one strategy of a scope tree, <c>gate.For(scope).Allows(ActionType.Send)</c>, with trees of
/// 1, 100 and 10,000 scopes below the process (venues × accounts × strategies, every scope Normal), beside the process
/// gate and the same decision through a Polly.Core circuit-breaker pipeline (closed circuit) in the same run.
/// Targets: ≤ 2 ns, 0 B, flat in the number of scopes.
/// </summary>
[MemoryDiagnoser]
public class ScopedGateBenchmarks
{
    private DegradationSystem _system = null!;
    private TradingGate _gate = null!;
    private TradingScope _scope = null!;
    private ScopedGate _scoped = null!;
    private ResiliencePipeline _pipeline = null!;

    [Params(1, 100, 10_000)]
    public int Scopes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = FoundationSystems.Normal();
        var small = new ScopeOptions { TransitionHistorySize = 8 };
        // 1 → one venue; 100 → 1 venue × 9 accounts × 10 strategies (+ accounts and venue); 10,000 → 10 × 10 × ~98.
        var (venues, accounts) = Scopes switch { 1 => (1, 0), 100 => (1, 9), _ => (10, 10) };
        var strategies = accounts == 0 ? 0 : (Scopes - venues - venues * accounts) / (venues * accounts);
        for (var v = 0; v < venues; v++)
        {
            _system.Scopes.Add($"venue-{v}", small);
            for (var a = 0; a < accounts; a++)
            {
                _system.Scopes.Add($"venue-{v}/acct-{a}", small);
                for (var s = 0; s < strategies; s++) _system.Scopes.Add($"venue-{v}/acct-{a}/strat-{s}", small);
            }
        }
        foreach (var scope in _system.Scopes.GetScopes())
        {
            if (scope.IsProcess) continue;
            var machine = scope.StateMachine;
            var run = machine.ActiveRecoveryRun!.Value;
            foreach (var stage in new[] { RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready })
                machine.TryAdvanceStage(run, stage);
            machine.Tick();
        }
        _gate = _system.Gate;
        var all = _system.Scopes.GetScopes();
        _scope = all[^1];
        _scoped = _gate.For(_scope);
        if (all.Count - 1 < Scopes * 0.98 || all.Count - 1 > Scopes * 1.02) throw new InvalidOperationException($"{all.Count - 1} scopes, expected about {Scopes}");
        if (all.Any(s => !_gate.For(s).Allows(ActionType.Send))) throw new InvalidOperationException("a scope is not open");

        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { ManualControl = new CircuitBreakerManualControl() })
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The process gate (no scope).</summary>
    [Benchmark(Baseline = true)]
    public bool ProcessAllows() => _gate.Allows(ActionType.Send);

    /// <summary>The documented per-order call: resolve the scope's gate and ask.</summary>
    [Benchmark]
    public bool ScopedAllows() => _gate.For(_scope).Allows(ActionType.Send);

    /// <summary>The full decision through the scope's gate.</summary>
    [Benchmark]
    public GateDecision ScopedCheck() => _gate.For(_scope).Check(ActionType.Send);

    /// <summary>A caller that keeps the scope's gate.</summary>
    [Benchmark]
    public bool CachedScopedGateAllows() => _scoped.Allows(ActionType.Send);

    /// <summary>Polly's exception-free path (<c>ExecuteOutcomeAsync</c> with a pooled context), closed circuit.</summary>
    [Benchmark]
    public bool PollyExecuteOutcome()
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            var outcome = _pipeline.ExecuteOutcomeAsync(static (_, _) => Outcome.FromResultAsValueTask(true), context, 0)
                .AsTask().GetAwaiter().GetResult();
            return outcome.Exception is null && outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
