using Microsoft.Extensions.DependencyInjection;

namespace Degradation.Tests.Infrastructure;

/// <summary>
/// What a host's health reporter knows besides the state machine: an optional orderbook with a described fallback, a db
/// circuit breaker, a quotes fallback chain, and a probe runner whose orderbook probe answers 503.
/// </summary>
public sealed class HealthReportParts
{
    public static readonly ComponentId Orderbook = new("orderbook");

    public HealthReportParts(DegradationSystem system)
    {
        Coordinator = new ComponentFallbackCoordinator(system);
        Coordinator.Register(new DelegateComponentFallback("rest_api_polling", (_, _) => { }, _ => { },
            "Fetches orderbook snapshots over the REST API", "Price updates every 30 s instead of real time"));
        Reporter = new HealthReporter(system, Coordinator);
        Breaker = system.CreateCircuitBreaker(ComponentId.Db);
        Chain = new FallbackChainBuilder<int>("quotes").Primary(_ => new ValueTask<int>(1)).Cache(_ => new ValueTask<int>(2)).Build(system.TimeProvider);
        Probes = new ProbeRunner(system);
        Probes.Add(new DelegateProbe(Orderbook, _ => ValueTask.FromResult(
                ProbeResult.Unhealthy(new ReasonCode("orderbook.down"), "503 Service Unavailable", transient: true))),
            new ProbeSettings { Interval = TimeSpan.FromSeconds(10) });
        Reporter.Track(Breaker);
        Reporter.Track(Chain);
        Reporter.Track(Probes);
    }

    public ComponentFallbackCoordinator Coordinator { get; }
    public HealthReporter Reporter { get; }
    public ComponentCircuitBreaker Breaker { get; }
    public FallbackChain<int> Chain { get; }
    public ProbeRunner Probes { get; }

    /// <summary>The test host's fast options plus the optional orderbook.</summary>
    public static DegradationOptions Options()
    {
        var options = DegradationTestHost.FastOptions();
        options.Components["orderbook"] = new ComponentOptions { Critical = false, Category = "market data websocket", Fallback = "rest_api_polling" };
        return options;
    }

    public static void Register(IServiceCollection services) => services
        .AddSingleton(sp => new HealthReportParts(sp.GetRequiredService<DegradationSystem>()))
        .AddSingleton(sp => sp.GetRequiredService<HealthReportParts>().Reporter);

    /// <summary>The orderbook fails its probe (503), the db breaker is isolated, the quotes chain fails over.</summary>
    public async Task BreakAsync(DegradationSystem system)
    {
        Coordinator.Start();
        // Failing rounds until the hysteresis reports the failure (after the configured failure count).
        for (var round = 0; (await Probes.ProbeNowAsync(Orderbook)).Verdict != ProbeVerdict.Failure; round++)
            if (round == 20) throw new InvalidOperationException("The orderbook probe never reported its failure.");
        Breaker.Isolate("alice", "db maintenance");
        if (!Chain.FailOver("alice", "primary quotes feed down")) throw new InvalidOperationException("The quotes chain did not fail over.");
        await system.Bus.DrainAsync();
    }
}
