namespace Degradation.Tests.Scenarios;

/// <summary>
/// An optional component (the orderbook WebSocket) failing degrades the system but trading goes on with its
/// fallback (REST polling) active; a critical component (the exchange/broker) failing pauses trading; both recover.
/// </summary>
public sealed class CriticalOptionalScenarioTests : IAsyncLifetime
{
    private static readonly ComponentId Orderbook = new("orderbook-ws");
    private readonly OutageHarness _h;
    private readonly ComponentFallbackCoordinator _fallbacks;
    private readonly HealthReporter _health;
    private readonly List<string> _fallbackLog = [];
    private volatile bool _orderbookUp = true;

    public CriticalOptionalScenarioTests()
    {
        _h = new OutageHarness(o => o.Components[Orderbook.Name] = new ComponentOptions
        {
            Critical = false, Category = "market data stream", Fallback = "rest_api_polling",
        });
        _h.Probes.Add(Orderbook, new ProbeSettings { Interval = OutageHarness.ProbeInterval }, _ => ValueTask.FromResult(_orderbookUp
            ? ProbeResult.Healthy()
            : ProbeResult.Unhealthy(details: "503 Service Unavailable", transient: true)));
        _fallbacks = new ComponentFallbackCoordinator(_h.System);
        _fallbacks.Register(new DelegateComponentFallback("rest_api_polling",
            (component, issue) => _fallbackLog.Add($"activate {component}: {issue}"),
            component => _fallbackLog.Add($"deactivate {component}")));
        _fallbacks.Start();
        _health = new HealthReporter(_h.System, _fallbacks);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit calls this after each test (it never calls <see cref="IAsyncDisposable"/> on a test class).</summary>
    public async Task DisposeAsync()
    {
        _fallbacks.Dispose();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task Optional_component_down_degrades_keeps_trading_with_its_fallback_then_recovers()
    {
        await _h.StartAsync();
        var healthy = _health.Build();
        Assert.Equal((OverallHealth.FullyOperational, true), (healthy.Overall, healthy.CanTrade));

        _orderbookUp = false;
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.Degraded, 3 * OutageHarness.ProbeInterval);
        _h.RunFor(TimeSpan.FromSeconds(2));

        Assert.Equal(SystemMode.Degraded, _h.SentOrders[^1].Mode); // still trading
        var open = _h.System.Gate.Check(ActionType.Open);
        Assert.True(open.Allowed);
        Assert.Contains("restricted", open.Advice);
        Assert.Equal(50m, open.Limits!.MaxOrderQuantity);
        Assert.Equal(["activate orderbook-ws: orderbook-ws.unavailable"], _fallbackLog);
        var degraded = _health.Build();
        Assert.Equal((OverallHealth.Degraded, true), (degraded.Overall, degraded.CanTrade));
        var line = degraded.GetComponent(Orderbook)!;
        Assert.Equal((ComponentCategory.Optional, ComponentLevel.Unstable, "rest_api_polling"), (line.Category, line.Level, line.ActiveFallback));
        Assert.Equal(["orderbook-ws -> rest_api_polling"], degraded.FallbackStrategies);
        Assert.Single(degraded.OptionalIssues, i => i.StartsWith("orderbook-ws: orderbook-ws.unavailable (Degraded)", StringComparison.Ordinal));
        Assert.Empty(degraded.CriticalIssues);

        _orderbookUp = true;
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.Normal, TimeSpan.FromSeconds(25)); // 10 s to trust it + 10 s of calm
        Assert.Equal(["activate orderbook-ws: orderbook-ws.unavailable", "deactivate orderbook-ws"], _fallbackLog);
        var recovered = _health.Build();
        Assert.Equal(OverallHealth.FullyOperational, recovered.Overall);
        Assert.Null(recovered.GetComponent(Orderbook)!.ActiveFallback);
    }

    [Fact]
    public async Task Critical_component_down_pauses_trading_and_both_recover()
    {
        await _h.StartAsync();
        _orderbookUp = false;
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.Degraded, 3 * OutageHarness.ProbeInterval);

        _h.Broker.Up = false;
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.SafeModeDisconnected, 3 * OutageHarness.ProbeInterval);
        var paused = _health.Build();
        Assert.Equal((OverallHealth.Paused, false), (paused.Overall, paused.CanTrade));
        Assert.Contains(paused.CriticalIssues, i => i.StartsWith("broker: broker.disconnect (SafeModeDisconnected)", StringComparison.Ordinal));
        Assert.Contains(paused.OptionalIssues, i => i.StartsWith("orderbook-ws:", StringComparison.Ordinal));
        Assert.Equal("rest_api_polling", paused.GetComponent(Orderbook)!.ActiveFallback);
        Assert.Equal(ComponentCategory.Critical, paused.GetComponent(ComponentId.Broker)!.Category);
        Assert.Equal(SystemMode.SafeModeDisconnected, _h.RefusedOrders[^1].Mode);

        _orderbookUp = true;
        _h.Broker.Up = true;
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.Recovering, TimeSpan.FromSeconds(40));
        var outcome = await _h.Recovery.WhenRunFinishedAsync(_h.System.StateMachine.ActiveRecoveryRun!.Value).Within();
        Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
        _h.RunUntil(() => _h.System.Gate.Mode == SystemMode.Normal, TimeSpan.FromSeconds(11));

        var report = _health.Build();
        Assert.Equal((OverallHealth.FullyOperational, true), (report.Overall, report.CanTrade));
        Assert.Empty(report.FallbackStrategies);
        Assert.Equal("deactivate orderbook-ws", _fallbackLog[^1]);
    }
}
