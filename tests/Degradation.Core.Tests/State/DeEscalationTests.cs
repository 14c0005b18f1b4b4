namespace Degradation.Tests.State;

/// <summary>Rule 5 in docs/RULES.md, dwell and stability: escalation is immediate, de-escalation is earned.</summary>
public class DeEscalationTests
{
    private static readonly TimeSpan Epsilon = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Degraded_to_Normal_waits_RecoveryStableSeconds_after_the_last_condition_clears()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        driver.Advance(driver.RecoveryStable * 2); // time in Degraded before the clear does not count
        driver.Recover(ComponentId.Alerts);
        driver.Expect(SystemMode.Degraded);
        driver.Advance(driver.RecoveryStable - Epsilon).Expect(SystemMode.Degraded);
        driver.Advance(Epsilon).Expect(SystemMode.Normal);
        Assert.Equal(TransitionKind.ModeChange, driver.Last.Kind);
    }

    [Fact]
    public void Degraded_never_leaves_while_a_condition_is_active()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        driver.Advance(TimeSpan.FromHours(1));
        driver.Expect(SystemMode.Degraded);
    }

    [Fact]
    public void A_new_disturbance_restarts_the_stability_time()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        var half = driver.RecoveryStable / 2;
        driver.Recover(ComponentId.Alerts).Advance(half + half / 2);
        driver.Fail(ComponentId.Db, ReasonCode.DbWriteFailBuffered).Recover(ComponentId.Db);
        driver.Advance(half + half / 2).Expect(SystemMode.Degraded);
        driver.Advance(half).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Escalation_is_immediate_even_right_after_a_transition()
    {
        using var driver = SystemDriver.Create().ToDegraded();
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.Equal(SystemMode.SafeModeDisconnected, driver.Mode);
        driver.Fail(ComponentId.Risk, ReasonCode.RiskBreachHard);
        Assert.Equal(SystemMode.Halt, driver.Mode);
    }

    [Theory]
    [InlineData(SystemMode.SafeMode)]
    [InlineData(SystemMode.SafeModeDisconnected)]
    public void Safe_modes_last_at_least_MinSafeModeSeconds_then_lead_to_Recovering(SystemMode mode)
    {
        using var driver = SystemDriver.Create().To(mode);
        var entered = driver.Time.GetTimestamp();
        driver.Recover(mode == SystemMode.SafeMode ? ComponentId.MarketData : ComponentId.Broker);
        Assert.Equal(SystemMode.Normal, driver.Machine.DerivedMode);
        driver.Advance(driver.MinSafeMode - Epsilon).Expect(mode);
        driver.Advance(Epsilon).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.True(driver.Time.GetElapsedTime(entered) >= driver.MinSafeMode);
        Assert.Equal(RecoveryTrigger.Auto, driver.Machine.ActiveRecoveryTrigger);
    }

    [Fact]
    public void Dwell_is_counted_from_entering_SafeMode_not_from_the_clear()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        driver.Advance(driver.MinSafeMode + TimeSpan.FromSeconds(5)).Expect(SystemMode.SafeMode);
        driver.Recover(ComponentId.MarketData);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void SafeMode_is_kept_past_the_dwell_while_its_condition_is_active()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        driver.Advance(driver.MinSafeMode * 10).Expect(SystemMode.SafeMode);
    }

    [Fact]
    public void Leaving_SafeMode_never_skips_Recovering()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        driver.Recover(ComponentId.MarketData).Advance(driver.MinSafeMode);
        driver.CompleteRun().Expect(SystemMode.Normal);
        var fromSafe = driver.Machine.GetHistory().Where(t => t.From is SystemMode.SafeMode or SystemMode.SafeModeDisconnected && t.To != t.From);
        Assert.All(fromSafe, t => Assert.True(t.To is SystemMode.Recovering or SystemMode.SafeMode or SystemMode.SafeModeDisconnected or SystemMode.Halt, t.ToString()));
    }

    [Fact]
    public void A_recovered_component_with_other_conditions_active_lands_on_their_mode_not_Normal()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale).Expect(SystemMode.SafeMode);
        driver.Recover(ComponentId.MarketData).Advance(driver.MinSafeMode).Expect(SystemMode.Recovering);
        driver.CompleteRun().Expect(SystemMode.Degraded);
        Assert.Equal(ReasonCode.RecoveryComplete, driver.Last.Reason);
    }

    [Fact]
    public void Broker_reconnected_is_reachable_from_SafeModeDisconnected()
    {
        // Rejecting every de-escalation but to Normal would mean broker.reconnected (→ Recovering) could never fire
        // from SafeModeDisconnected. Rule 5 routes de-escalation through Recovering instead.
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        driver.Advance(driver.MinSafeMode);
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void Broker_reconnected_before_the_dwell_is_remembered_until_the_dwell_ends()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected).Expect(SystemMode.SafeModeDisconnected);
        driver.Advance(driver.MinSafeMode).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(ReasonCode.BrokerReconnected, driver.Last.Reason);
    }

    [Fact]
    public void Broker_back_while_market_data_is_still_stale_keeps_the_system_closed()
    {
        using var driver = SystemDriver.Create().ToSafeModeDisconnected();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        driver.Advance(driver.MinSafeMode * 2);
        Assert.Equal(SystemMode.SafeMode, driver.Mode);
        Assert.False(driver.Gate.Allows(ActionType.Open));
    }

    [Fact]
    public void Dwell_stability_and_override_expiry_use_the_monotonic_clock_not_wall_time()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        driver.Recover(ComponentId.MarketData);
        driver.Time.JumpWallClock(TimeSpan.FromDays(1));
        driver.Tick().Expect(SystemMode.SafeMode);

        using var degraded = SystemDriver.Create().ToDegraded();
        degraded.Recover(ComponentId.Alerts);
        degraded.Time.JumpWallClock(TimeSpan.FromDays(1));
        degraded.Tick().Expect(SystemMode.Degraded);

        using var forced = SystemDriver.Create().ToNormal();
        forced.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), SystemDriver.Operator, "test");
        forced.Time.JumpWallClock(TimeSpan.FromDays(1));
        forced.Tick().Expect(SystemMode.SafeMode);
        Assert.True(forced.Machine.IsOverrideActive);

        using var backwards = SystemDriver.Create().ToDegraded();
        backwards.Recover(ComponentId.Alerts);
        backwards.Time.JumpWallClock(TimeSpan.FromDays(-1));
        backwards.Advance(backwards.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Zero_dwell_and_stability_options_are_honoured()
    {
        using var driver = SystemDriver.Create(o => { o.SafeMode.MinDwell = TimeSpan.Zero; o.Recovery.StablePeriod = TimeSpan.Zero; });
        var run = driver.HeartbeatCritical().Run;
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.Ready));
        driver.Expect(SystemMode.Normal); // no stability time asked: Ready lands at once
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale).Expect(SystemMode.SafeMode);
        driver.Recover(ComponentId.MarketData).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }
}
