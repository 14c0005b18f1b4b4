using Degradation;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Optional component failure: the optional order-book websocket fails; the system only degrades and REST polling takes over.</summary>
public sealed class OrderbookFallbackScenario : Scenario
{
    public override string Name => "orderbook-fallback";
    public override string Description => "optional order-book websocket down: Degraded, REST polling fallback";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = ["Degraded:orderbook-ws.unavailable", "Normal:all.healthy"];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        c.Fault("order-book websocket disconnects");
        env.Orderbook.Fault.Set(FaultKind.Down);
        await c.WaitForModeAsync(SystemMode.Degraded, ct);
        await c.WaitUntilAsync(() => env.Fallbacks.GetActive(OrderbookProbe.Id) == RestPollingFallback.StrategyName, "the REST fallback", ct);
        var restBefore = env.Orderbook.RestFallbackReads;
        await c.DelayAsync(TimeSpan.FromSeconds(10), ct);
        var restReads = env.Orderbook.RestFallbackReads - restBefore;
        var degradedSends = env.Strategy.Stats.Allowed(SystemMode.Degraded);
        c.Expect(restReads > 0, "no order-book read went through REST polling while the websocket was down");
        c.Expect(degradedSends > 0, "trading did not continue in Degraded");
        c.Log($"REST polling served {restReads} reads; {degradedSends:N0} decisions allowed in Degraded");
        env.Orderbook.Fault.Clear();
        c.Cleared("websocket reconnects");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
        c.Expect(!env.Orderbook.UseRestPolling, "the REST fallback is still active after the websocket recovered");
        c.Result.Notes.Add($"{env.Orderbook.RestFallbackReads} order-book reads served by REST polling; {env.Orderbook.FailedReads} reads missed before the fallback took over");
    }
}
