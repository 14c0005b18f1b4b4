namespace Degradation.Tests.State;

/// <summary>Operator overrides: bounds, expiry, release, and what ends them early.</summary>
public class OverrideTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(0.999)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3600.001)]
    [InlineData(86400)]
    public void A_TTL_outside_the_bounds_is_rejected_naming_ttl(double seconds)
    {
        using var driver = SystemDriver.Create().ToNormal();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(seconds), SystemDriver.Operator, "r"));
        Assert.Equal("ttl", error.ParamName);
        Assert.False(driver.Machine.IsOverrideActive);
        driver.Expect(SystemMode.Normal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    public void The_bounds_themselves_are_accepted(double seconds)
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromSeconds(seconds), SystemDriver.Operator, "r");
        Assert.True(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void Bounds_come_from_MinOverrideSeconds_and_MaxOverrideSeconds()
    {
        using var driver = SystemDriver.Create(o => { o.Operator.MinOverrideTtl = TimeSpan.FromSeconds(10); o.Operator.MaxOverrideTtl = TimeSpan.FromSeconds(60); }).ToNormal();
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromSeconds(9), SystemDriver.Operator, "r"));
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromSeconds(61), SystemDriver.Operator, "r"));
        driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromSeconds(60), SystemDriver.Operator, "r");
        driver.Expect(SystemMode.Halt);
    }

    [Theory]
    [InlineData(null, "reason", "operatorId")]
    [InlineData("", "reason", "operatorId")]
    [InlineData("  ", "reason", "operatorId")]
    [InlineData("ops", null, "reason")]
    [InlineData("ops", "", "reason")]
    public void Operator_and_reason_are_required(string? operatorId, string? reason, string parameter)
    {
        using var driver = SystemDriver.Create().ToNormal();
        var error = Assert.ThrowsAny<ArgumentException>(() => driver.Machine.ForceMode(SystemMode.Halt, FiveMinutes, operatorId!, reason!));
        Assert.Equal(parameter, error.ParamName);
        driver.Expect(SystemMode.Normal);
    }

    [Fact]
    public void An_unknown_mode_is_rejected_naming_mode()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => driver.Machine.ForceMode((SystemMode)42, FiveMinutes, SystemDriver.Operator, "r"));
        Assert.Equal("mode", error.ParamName);
    }

    [Fact]
    public void Force_mode_with_ttl_sets_the_mode_and_flags_the_override()
    {
        using var driver = SystemDriver.Create();
        // At cold start no critical component has reported: forcing Normal loosens and must acknowledge that.
        var refused = driver.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(300), "admin", "Emergency override");
        Assert.Equal(OperatorRefusal.AcknowledgementRequired, refused.Refusal);
        Assert.Equal(3, refused.ActiveConditions.Count(c => c.Reason == ReasonCode.ComponentUnknown));
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        var accepted = driver.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(300), "admin", "Emergency override", acknowledge: [ReasonCode.ComponentUnknown]);
        Assert.True(accepted.Accepted, accepted.Message);
        driver.Expect(SystemMode.Normal);
        Assert.True(driver.Machine.IsOverrideActive);
        var info = driver.Machine.Override!;
        Assert.Equal("admin", info.OperatorId);
        Assert.Equal(TimeSpan.FromSeconds(300), info.Ttl);
        Assert.Equal(info.StartedAt + info.Ttl, info.ExpiresAt);
    }

    [Fact]
    public void Automatic_transitions_are_suspended_but_events_are_still_tracked()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, "admin", "Testing");
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Recover(ComponentId.MarketData);
        driver.Expect(SystemMode.SafeMode);
        Assert.True(driver.Machine.IsOverrideActive);
        Assert.Equal(SystemMode.Degraded, driver.Machine.DerivedMode);
        Assert.Single(driver.Machine.GetComponent(ComponentId.Alerts)!.Conditions);
    }

    [Fact]
    public void On_expiry_the_mode_is_re_derived_from_current_component_state()
    {
        // Expiry does not leave the forced mode in place; rule 8 re-derives it.
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        var forced = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "keep trading", acknowledge: [ReasonCode.MarketDataStale]);
        Assert.True(forced.Accepted, forced.Message);
        driver.Advance(FiveMinutes - TimeSpan.FromMilliseconds(1)).Expect(SystemMode.Normal);
        driver.Advance(TimeSpan.FromMilliseconds(1)).Expect(SystemMode.SafeMode);
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.Equal(TransitionKind.OverrideEnded, driver.Last.Kind);
        Assert.Equal(ReasonCode.OverrideExpired, driver.Last.Reason);
    }

    [Fact]
    public void On_release_the_mode_is_re_derived()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r", acknowledge: [ReasonCode.AlertsChannelDown]);
        driver.Expect(SystemMode.Normal);
        var t = driver.Machine.ReleaseOverride("erin", "done").Transition!;
        driver.Expect(SystemMode.Degraded);
        Assert.Equal(TransitionKind.OverrideEnded, t.Kind);
        Assert.Equal("erin", t.OperatorId);
        Assert.Equal(ReasonCode.OverrideReleased, t.Reason);
    }

    [Fact]
    public void A_forced_SafeMode_ends_through_Recovering_even_with_nothing_wrong()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, SystemDriver.Operator, "drill");
        driver.Advance(FiveMinutes).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void Forcing_Normal_during_cold_start_with_a_silent_critical_component_ends_in_Recovering()
    {
        using var driver = SystemDriver.Create();
        driver.Heartbeat(ComponentId.Broker).Heartbeat(ComponentId.Risk); // market data never reported: Unknown
        var forced = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r", acknowledge: [ReasonCode.ComponentUnknown]);
        Assert.True(forced.Accepted, forced.Message);
        Assert.Equal(ComponentId.MarketData, Assert.Single(forced.ActiveConditions.Count == 0 ? driver.Machine.Override!.Acknowledged : forced.ActiveConditions).Component);
        driver.Advance(FiveMinutes).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void A_more_severe_must_deliver_event_breaks_the_override()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Degraded, FiveMinutes, SystemDriver.Operator, "r");
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.Equal(TransitionKind.OverrideEnded, driver.Last.Kind);
        Assert.Equal(ReasonCode.BrokerDisconnect, driver.Last.Reason);
    }

    [Fact]
    public void A_must_deliver_event_published_on_the_bus_breaks_the_override_before_Publish_returns()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r");
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Risk, ReasonCode.RiskBreachHard));
        driver.Expect(SystemMode.Halt);
        Assert.False(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void A_stricter_condition_the_override_did_not_acknowledge_always_ends_it()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r");
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.False(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void A_must_deliver_event_not_more_severe_than_the_forced_mode_keeps_the_override()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.SafeModeDisconnected, FiveMinutes, SystemDriver.Operator, "r");
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.True(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void A_stricter_condition_that_is_not_must_deliver_breaks_the_override_too()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r");
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        driver.Expect(SystemMode.SafeMode);
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.Equal(TransitionKind.OverrideEnded, driver.Last.Kind);
        Assert.Equal(ReasonCode.RiskTimeout, driver.Last.Reason);
    }

    [Fact]
    public void ReleaseOverride_without_an_override_is_refused()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var result = driver.Machine.ReleaseOverride(SystemDriver.Operator);
        Assert.False(result.Accepted);
        Assert.Equal(OperatorRefusal.NoOverride, result.Refusal);
        Assert.Throws<ArgumentException>(() => driver.Machine.ReleaseOverride(""));
    }

    [Fact]
    public void Stage_advances_are_refused_while_overridden()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical();
        var run = driver.Run;
        driver.Machine.ForceMode(SystemMode.Recovering, FiveMinutes, SystemDriver.Operator, "hold");
        var forcedRun = driver.Run;
        Assert.NotEqual(run, forcedRun);
        Assert.False(driver.Machine.TryAdvanceStage(forcedRun, RecoveryStage.CatchupMarketData));
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void A_new_override_replaces_the_previous_one()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Degraded, FiveMinutes, "a", "first");
        driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(1), "b", "second");
        driver.Expect(SystemMode.SafeMode);
        Assert.Equal("b", driver.Machine.Override!.OperatorId);
        driver.Advance(TimeSpan.FromMinutes(1));
        Assert.False(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void An_acknowledgement_covers_only_its_own_component_and_reason_not_every_condition_from_the_same_kind_of_source()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale).Expect(SystemMode.SafeMode);
        var forced = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "keep trading", acknowledge: [ReasonCode.MarketDataStale]);
        Assert.True(forced.Accepted, forced.Message);

        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout); // reported the same way (an event), by another component
        driver.Expect(SystemMode.SafeMode);
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.False(driver.Gate.Allows(ActionType.Open));
    }
}
