namespace Degradation.Tests.State;

/// <summary>Rules 2–4 in docs/RULES.md and how conditions resolve.</summary>
public class ColdStartAndConflictTests
{
    [Fact]
    public void Cold_start_is_Recovering_ConnectBroker_with_run_1_and_nothing_may_trade()
    {
        using var driver = SystemDriver.Create();
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(new RecoveryRunId(1), driver.Machine.ActiveRecoveryRun);
        Assert.Equal(RecoveryTrigger.ColdStart, driver.Machine.ActiveRecoveryTrigger);
        var first = Assert.Single(driver.Machine.GetHistory());
        Assert.Equal(1, first.Sequence);
        Assert.Equal(ReasonCode.ColdStart, first.Reason);
        Assert.Equal(new RecoveryRunId(1), first.RecoveryRun);
        foreach (var action in Enum.GetValues<ActionType>())
            Assert.Equal(action == ActionType.Query, driver.Gate.Allows(action));
    }

    [Fact]
    public void Cold_start_does_not_pass_by_time_alone()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical();
        driver.Advance(TimeSpan.FromMinutes(10));
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void Events_are_verdicts_one_failure_event_applies_at_once()
    {
        // Hysteresis lives in the detectors: FailThresholdCount does not delay the state machine.
        using var driver = SystemDriver.Create(o => o.Probes.FailThresholdCount = 5).ToNormal();
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 1, 0)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 0, 1)]
    public void Target_mode_is_the_most_severe_active_condition_whatever_the_order(int a, int b, int c)
    {
        (ComponentId Component, ReasonCode Reason)[] failures =
        [
            (ComponentId.Alerts, ReasonCode.AlertsChannelDown),         // Degraded
            (ComponentId.MarketData, ReasonCode.MarketDataStale),       // SafeMode
            (ComponentId.Broker, ReasonCode.BrokerDisconnect),          // SafeModeDisconnected
        ];
        using var driver = SystemDriver.Create().ToNormal();
        foreach (var i in new[] { a, b, c }) driver.Fail(failures[i].Component, failures[i].Reason);
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Mode);
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Machine.DerivedMode);
    }

    [Fact]
    public void Conflict_resolution_alerts_then_market_data_gives_SafeMode()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
    }

    [Fact]
    public void A_milder_event_never_lowers_the_mode()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        driver.Fail(ComponentId.Db, ReasonCode.DbWriteFailBuffered);
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Mode);
    }

    [Fact]
    public void A_component_holds_several_conditions_and_its_recovery_clears_only_its_own()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        Assert.Equal(2, driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions.Count);

        driver.Recover(ComponentId.MarketData);
        Assert.Empty(driver.Machine.GetComponent(ComponentId.MarketData)!.Conditions);
        Assert.Single(driver.Machine.GetComponent(ComponentId.Alerts)!.Conditions);
        Assert.Equal(SystemMode.Degraded, driver.Machine.DerivedMode);
    }

    [Fact]
    public void Repeating_a_failure_does_not_stack_conditions()
    {
        using var driver = SystemDriver.Create().ToNormal();
        for (var i = 0; i < 3; i++) driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        Assert.Single(driver.Machine.GetComponent(ComponentId.Alerts)!.Conditions);
        driver.Recover(ComponentId.Alerts);
        Assert.Equal(SystemMode.Normal, driver.Machine.DerivedMode);
    }

    [Fact]
    public void Heartbeat_and_quality_events_do_not_clear_conditions()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Heartbeat(ComponentId.Alerts);
        Assert.Single(driver.Machine.GetComponent(ComponentId.Alerts)!.Conditions);
        Assert.Equal(SystemMode.Degraded, driver.Mode);
    }

    [Fact]
    public void Component_levels_reflect_conditions()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        Assert.Equal(ComponentLevel.Unstable, driver.Machine.GetComponent(ComponentId.Alerts)!.Level);
        Assert.Equal(ComponentLevel.Tripped, driver.Machine.GetComponent(ComponentId.Risk)!.Level);
        Assert.Equal(ComponentLevel.Healthy, driver.Machine.GetComponent(ComponentId.Broker)!.Level);
        Assert.Equal(ComponentLevel.Unknown, driver.Machine.GetComponent(ComponentId.Db)!.Level); // never reported
        var statuses = driver.Machine.GetComponents();
        Assert.Contains(statuses, s => s.Id == ComponentId.Broker && s.Critical);
        Assert.Contains(statuses, s => s.Id == ComponentId.Db && !s.Critical);
    }
}
