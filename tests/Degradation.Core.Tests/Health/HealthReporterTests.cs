using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Health;

public class HealthReporterTests
{
    private static readonly ComponentId Fills = new("fills-ws");
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private DegradationSystem Create(Action<DegradationOptions>? configure = null) => TestSystems.Create(_time, o =>
    {
        o.Components[Fills.Name] = new ComponentOptions { Category = "fills stream", Fallback = "order_status_polling", StatusTtl = TimeSpan.FromSeconds(5) };
        configure?.Invoke(o);
    });

    [Fact]
    public async Task Cold_start_is_paused_and_names_the_unknown_critical_components()
    {
        await using var system = Create();
        var report = new HealthReporter(system).Build();

        Assert.Equal((OverallHealth.Paused, false, SystemMode.Recovering), (report.Overall, report.CanTrade, report.Mode));
        Assert.Contains("broker: no report yet", report.CriticalIssues);
        Assert.Equal(RecoveryStage.ConnectBroker, report.Stage);
    }

    [Fact]
    public async Task Optional_components_that_never_reported_do_not_make_a_normal_system_degraded()
    {
        await using var system = Create();
        TestSystems.DriveToNormal(system, _time);

        var report = new HealthReporter(system).Build();

        Assert.Equal(OverallHealth.FullyOperational, report.Overall);
        Assert.Equal(ComponentLevel.Unknown, report.GetComponent(ComponentId.Db)!.Level);
        Assert.Contains("db: no report yet", report.OptionalIssues);
        Assert.Equal(["broker", "market_data", "risk"], report.Components.Take(3).Select(c => c.Id.Name));
    }

    [Fact]
    public async Task Without_a_coordinator_a_failing_components_registered_fallback_is_shown_active()
    {
        await using var system = Create();
        TestSystems.DriveToNormal(system, _time);
        system.ReportFailure(Fills, new ReasonCode("fills.disconnected"), "socket closed");
        system.Bus.ProcessPending();

        var report = new HealthReporter(system).Build();

        Assert.Equal(OverallHealth.Degraded, report.Overall);
        Assert.True(report.CanTrade);
        var fills = report.GetComponent(Fills)!;
        Assert.Equal(("order_status_polling", "fills stream"), (fills.ActiveFallback, fills.Description));
        Assert.Equal(["fills.disconnected (Degraded): socket closed"], fills.Issues);
        Assert.Contains("fills-ws -> order_status_polling", report.FallbackStrategies);
        Assert.Contains("fills-ws", report.ToString());
    }

    [Fact]
    public async Task A_failed_recovery_is_a_critical_issue()
    {
        await using var system = Create(o => o.Recovery.MaxAttempts = 1);
        system.StateMachine.FailRecovery(system.StateMachine.ActiveRecoveryRun!.Value, "reconnect failed");

        var report = new HealthReporter(system).Build();

        Assert.Equal(OverallHealth.Paused, report.Overall);
        Assert.Contains(report.CriticalIssues, i => i.StartsWith("system: recovery.failed (Halt)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_component_activates_its_fallback_and_a_report_deactivates_it()
    {
        await using var system = Create();
        TestSystems.DriveToNormal(system, _time);
        using var coordinator = new ComponentFallbackCoordinator(system);
        var log = new List<string>();
        coordinator.Register(new DelegateComponentFallback("order_status_polling", (c, issue) => log.Add($"on {c}: {issue}"), c => log.Add($"off {c}")));
        coordinator.Start();
        system.Heartbeat(Fills);
        system.Bus.ProcessPending();
        Assert.Empty(log);

        _time.Advance(TimeSpan.FromSeconds(6));
        system.StateMachine.Tick();
        coordinator.Refresh();
        Assert.Equal(["on fills-ws: status expired (no report within its TTL)"], log);
        Assert.Equal("order_status_polling", coordinator.GetActive(Fills));

        system.Heartbeat(Fills);
        system.Bus.ProcessPending(); // the coordinator re-reads the state after each processed event
        Assert.Equal("off fills-ws", log[^1]);
        Assert.Empty(coordinator.ActiveFallbacks);
    }

    [Fact]
    public async Task A_throwing_fallback_is_isolated_and_an_unregistered_one_is_still_reported()
    {
        await using var system = Create(o => o.Components["quotes-ws"] = new ComponentOptions { Fallback = "snapshot_polling" });
        TestSystems.DriveToNormal(system, _time);
        using var coordinator = new ComponentFallbackCoordinator(system);
        coordinator.Register(new DelegateComponentFallback("order_status_polling", (_, _) => throw new InvalidOperationException("boom"), _ => { }));
        var changes = new List<FallbackActivation>();
        coordinator.Changed += changes.Add;
        coordinator.Start();

        system.ReportFailure(Fills, new ReasonCode("fills.disconnected"));
        system.ReportFailure(new ComponentId("quotes-ws"), new ReasonCode("quotes.disconnected"));
        system.Bus.ProcessPending();

        Assert.Equal(1, coordinator.Failures);
        Assert.Equal("order_status_polling", coordinator.GetActive(Fills));
        Assert.Equal("snapshot_polling", coordinator.GetActive(new ComponentId("quotes-ws")));
        Assert.IsType<InvalidOperationException>(changes.Single(c => c.Component == Fills).Error);
        Assert.Throws<ArgumentException>(() => coordinator.Register(new DelegateComponentFallback("order_status_polling", (_, _) => { }, _ => { })));
    }

    [Fact]
    public async Task An_active_fallback_refreshes_its_data_every_30_s_and_stops_once_deactivated()
    {
        await using var system = Create();
        TestSystems.DriveToNormal(system, _time);
        using var coordinator = new ComponentFallbackCoordinator(system);
        var refreshes = new List<string>();
        coordinator.Register(new DelegateComponentFallback("order_status_polling", (_, _) => { }, _ => { },
            "Polls order status over REST", "Fills arrive up to 30 s late", c => refreshes.Add(c.Name)));
        coordinator.Start();
        Assert.Equal(TimeSpan.FromSeconds(30), system.Options.Fallbacks.RefreshInterval);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(refreshes); // nothing active: nothing to refresh

        system.ReportFailure(Fills, new ReasonCode("fills.disconnected"));
        system.Bus.ProcessPending();
        _time.Advance(TimeSpan.FromSeconds(29));
        var before = refreshes.Count;
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(refreshes.Count > before, "no refresh within 30 s of activity");
        Assert.All(refreshes, r => Assert.Equal("fills-ws", r));

        system.ReportRecovered(Fills);
        system.Bus.ProcessPending();
        Assert.Null(coordinator.GetActive(Fills));
        var afterRecovery = refreshes.Count;
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(afterRecovery, refreshes.Count);
        Assert.Equal(refreshes.Count, coordinator.DataRefreshes);
    }

    [Fact]
    public async Task The_report_describes_fallbacks_and_shows_tracked_breakers_and_chains()
    {
        await using var system = Create();
        TestSystems.DriveToNormal(system, _time);
        using var coordinator = new ComponentFallbackCoordinator(system);
        coordinator.Register(new DelegateComponentFallback("order_status_polling", (_, _) => { }, _ => { }, "Polls order status over REST", "Fills arrive late"));
        coordinator.Start();
        var reporter = new HealthReporter(system, coordinator);
        using var breaker = system.CreateCircuitBreaker(ComponentId.Db);
        var chain = new FallbackChainBuilder<int>("quotes").Primary(_ => new ValueTask<int>(1)).Cache(_ => new ValueTask<int>(2)).Build(_time);
        using var trackedBreaker = reporter.Track(breaker);
        using var trackedChain = reporter.Track(chain);
        system.Heartbeat(Fills);
        system.Bus.ProcessPending();
        Assert.Equal(OverallHealth.FullyOperational, reporter.Build().Overall);

        breaker.Isolate("ops-1", "maintenance");
        chain.FailOver("ops-1", "feed down");
        system.Bus.ProcessPending();
        var report = reporter.Build();

        Assert.Equal(OverallHealth.Degraded, report.Overall);
        Assert.Equal(BreakerState.Isolated, Assert.Single(report.Breakers).State);
        Assert.Equal(PrimaryTierState.Broken, Assert.Single(report.FallbackChains).PrimaryState);
        Assert.Contains("quotes -> cache", report.FallbackStrategies);
        Assert.Contains(report.OptionalIssues, i => i.StartsWith("db: circuit breaker isolated by ops-1", StringComparison.Ordinal));
        var fills = report.GetComponent(Fills)!;
        Assert.Equal(new FallbackStrategyInfo("order_status_polling", "Polls order status over REST", "Fills arrive late", Active: false), fills.Fallback);

        trackedBreaker.Dispose();
        trackedChain.Dispose();
        Assert.Empty(reporter.Build().Breakers);
    }
}
