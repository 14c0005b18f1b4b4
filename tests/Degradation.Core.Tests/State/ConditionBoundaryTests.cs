namespace Degradation.Tests.State;

/// <summary>
/// The edges of condition bookkeeping and mode derivation: a condition whose demanded mode changes, a repeated
/// failure at the mode the system is already in, a must-deliver event exactly as strict as a forced mode, and a
/// recovery run id that is no longer the active one.
/// </summary>
public class ConditionBoundaryTests
{
    private static readonly ReasonCode VendorGlitch = new("vendor.glitch"); // in no matrix: its mode follows the event type

    [Fact]
    public void A_second_report_raises_an_existing_condition_from_Degraded_to_SafeMode_and_a_recovery_clears_it_completely()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Apply(EventType.FailSupport, ComponentId.Risk, VendorGlitch).Expect(SystemMode.Degraded);

        driver.Apply(EventType.FailCritical, ComponentId.Risk, VendorGlitch).Expect(SystemMode.SafeMode);
        var condition = Assert.Single(driver.Machine.GetConditions());
        Assert.Equal(SystemMode.SafeMode, condition.Mode);
        Assert.Equal(SystemMode.SafeMode, driver.Machine.DerivedMode);

        driver.Recover(ComponentId.Risk);
        Assert.Empty(driver.Machine.GetConditions());
        Assert.Equal(SystemMode.Normal, driver.Machine.DerivedMode); // no Degraded count left behind by the raise
    }

    [Fact]
    public void A_condition_lowered_from_SafeMode_to_Degraded_leaves_no_SafeMode_count_behind()
    {
        using var driver = SystemDriver.Create(o => o.SafeMode.MinDwell = TimeSpan.Zero).ToNormal();
        driver.Apply(EventType.FailCritical, ComponentId.Risk, VendorGlitch).Expect(SystemMode.SafeMode);
        driver.Apply(EventType.FailSupport, ComponentId.Risk, VendorGlitch);
        Assert.Equal(SystemMode.Degraded, driver.Machine.DerivedMode);
        Assert.Equal(SystemMode.Degraded, Assert.Single(driver.Machine.GetConditions()).Mode);
    }

    [Fact]
    public void Raising_a_condition_keeps_the_time_it_was_first_raised()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Apply(EventType.FailSupport, ComponentId.Risk, VendorGlitch);
        var since = Assert.Single(driver.Machine.GetConditions()).Since;
        driver.Advance(7);
        driver.Apply(EventType.FailCritical, ComponentId.Risk, VendorGlitch);
        Assert.Equal(since, Assert.Single(driver.Machine.GetConditions()).Since);
    }

    [Theory]
    [InlineData(SystemMode.SafeMode)]
    [InlineData(SystemMode.SafeModeDisconnected)]
    public void A_repeated_failure_at_the_current_closed_mode_records_no_transition(SystemMode mode)
    {
        using var driver = SystemDriver.Create().To(mode);
        var count = driver.Machine.TransitionCount;
        var (component, reason) = mode == SystemMode.SafeMode
            ? (ComponentId.MarketData, ReasonCode.MarketDataStale)
            : (ComponentId.Broker, ReasonCode.BrokerDisconnect);

        driver.Fail(component, reason);                      // the same condition again
        driver.Fail(ComponentId.Risk, mode == SystemMode.SafeMode ? ReasonCode.RiskTimeout : ReasonCode.BrokerDisconnect); // another one at the same level
        driver.Tick();

        Assert.Equal(count, driver.Machine.TransitionCount);
        driver.Expect(mode);
        Assert.DoesNotContain(driver.Machine.GetHistory(), t => t.From == mode && t.To == mode);
    }

    [Fact]
    public void A_must_deliver_event_exactly_as_strict_as_the_forced_mode_does_not_break_the_override()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.Machine.ForceMode(SystemMode.SafeModeDisconnected, TimeSpan.FromMinutes(5), SystemDriver.Operator, "broker maintenance").Accepted);
        var count = driver.Machine.TransitionCount;

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        driver.Bus.ProcessPending();

        Assert.True(driver.Machine.IsOverrideActive);
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.Equal(count, driver.Machine.TransitionCount);
    }

    [Fact]
    public void A_must_deliver_event_one_step_stricter_than_the_forced_mode_breaks_the_override()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), SystemDriver.Operator, "quiet hours").Accepted);

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));

        Assert.False(driver.Machine.IsOverrideActive);
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.Equal(TransitionKind.OverrideEnded, driver.Last.Kind);
        Assert.Equal(ReasonCode.BrokerDisconnect, driver.Last.Reason);
    }

    [Fact]
    public void FailRecovery_with_a_stale_run_id_while_a_newer_run_is_Recovering_changes_nothing()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var first = driver.Machine.StartRecovery(SystemDriver.Operator, "first");
        var second = driver.Machine.StartRecovery(SystemDriver.Operator, "second");
        Assert.NotEqual(first, second);
        var count = driver.Machine.TransitionCount;

        Assert.False(driver.Machine.FailRecovery(first, "late report from the first run"));

        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(second, driver.Machine.ActiveRecoveryRun);
        Assert.Equal(count, driver.Machine.TransitionCount);
        Assert.Empty(driver.Machine.GetConditions());
        Assert.True(driver.Machine.FailRecovery(second, "the active run fails"));
        driver.Expect(SystemMode.Halt);
    }

    [Fact]
    public void FailRecovery_outside_Recovering_changes_nothing_even_with_the_last_run_id()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var run = driver.Machine.StartRecovery(SystemDriver.Operator, "probe");
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale).Expect(SystemMode.SafeMode);
        Assert.False(driver.Machine.FailRecovery(run, "too late"));
        driver.Expect(SystemMode.SafeMode);
    }
}
