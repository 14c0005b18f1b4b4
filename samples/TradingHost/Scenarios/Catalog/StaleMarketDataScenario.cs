using Degradation;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Ticks stop: the market-data probe sees the age pass Probes:MarketDataStaleAfter and reports market_data.stale (SafeMode).</summary>
public sealed class StaleMarketDataScenario : Scenario
{
    public override string Name => "stale-market-data";
    public override string Description => "market data stops ticking; the probe reports it stale";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["SafeMode:market_data.stale", "Recovering/ConnectBroker", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        c.Fault("market-data feed stops ticking");
        env.MarketData.Fault.Set(FaultKind.Down);
        await c.WaitForModeAsync(SystemMode.SafeMode, ct);
        await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
        env.MarketData.Fault.Clear();
        c.Cleared("feed ticks again");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
