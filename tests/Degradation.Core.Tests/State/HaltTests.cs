namespace Degradation.Tests.State;

/// <summary>Rule 6 in docs/RULES.md and release: Halt is sticky; only an operator leaves it, into Recovering.</summary>
public class HaltTests
{
    [Theory]
    [InlineData("broker.mismatch")]
    [InlineData("risk.breach_hard")]
    [InlineData("position.unknown")]
    public void Halt_survives_recovery_events_reconnects_and_time(string reason)
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Apply(EventType.FailCritical, ComponentId.Risk, new ReasonCode(reason)).Expect(SystemMode.Halt);

        driver.Recover(ComponentId.Risk);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
        driver.Apply(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.ColdStart);
        driver.HeartbeatCritical().Advance(TimeSpan.FromHours(2));

        driver.Expect(SystemMode.Halt);
        Assert.Equal(SystemMode.Halt, driver.Machine.DerivedMode);
        Assert.Contains(driver.Machine.GetComponent(ComponentId.Risk)!.Conditions, c => c.Mode == SystemMode.Halt);
    }

    [Fact]
    public void ReleaseHalt_clears_Halt_conditions_is_audited_and_leads_to_a_manual_recovery_run()
    {
        using var driver = SystemDriver.Create().ToHalt();
        var t = driver.Machine.ReleaseHalt("dave", "positions reconciled by hand", acknowledge: [ReasonCode.PositionUnknown]).Transition!;
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(TransitionKind.HaltReleased, t.Kind);
        Assert.Equal(ReasonCode.HaltReleased, t.Reason);
        Assert.Equal("dave", t.OperatorId);
        Assert.Equal("positions reconciled by hand", t.Details);
        Assert.Equal(RecoveryTrigger.Manual, driver.Machine.ActiveRecoveryTrigger);
        Assert.Equal(SystemMode.Normal, driver.Machine.DerivedMode);
        driver.CompleteRun().Expect(SystemMode.Normal);
    }

    [Fact]
    public void ReleaseHalt_clears_Halt_conditions_on_every_component()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical();
        Assert.True(driver.Machine.FailRecovery(driver.Run, "cold start failed")); // system: recovery.failed
        driver.Fail(ComponentId.Risk, ReasonCode.RiskBreachHard);
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerMismatch);
        Assert.Equal(3, driver.Machine.GetComponents().Count(c => c.Conditions.Any(x => x.Mode == SystemMode.Halt)));
        var released = driver.Machine.ReleaseHalt(SystemDriver.Operator, "all clear",
            acknowledge: [ReasonCode.RecoveryFailed, ReasonCode.RiskBreachHard, ReasonCode.BrokerMismatch]);
        Assert.True(released.Accepted, released.Message);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.All(driver.Machine.GetComponents(), c => Assert.DoesNotContain(c.Conditions, x => x.Mode == SystemMode.Halt));
    }

    [Fact]
    public void ReleaseHalt_with_a_SafeMode_condition_left_lands_in_SafeMode()
    {
        using var driver = SystemDriver.Create().ToHalt();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        var released = driver.Machine.ReleaseHalt(SystemDriver.Operator, "mismatch resolved", acknowledge: [ReasonCode.PositionUnknown]);
        driver.Expect(SystemMode.SafeMode);
        // Through Recovering: the release itself never jumps to another derived mode; the SafeMode condition takes over from there.
        var history = driver.Machine.GetHistory();
        Assert.Equal(TransitionKind.HaltReleased, history[^2].Kind);
        Assert.Equal(SystemMode.Recovering, history[^2].To);
        Assert.Same(history[^1], released.Transition);
        driver.Recover(ComponentId.MarketData).Advance(driver.MinSafeMode).Expect(SystemMode.Recovering);
    }

    [Fact]
    public void ReleaseHalt_when_not_halted_is_refused()
    {
        using var driver = SystemDriver.Create().ToSafeMode();
        var result = driver.Machine.ReleaseHalt(SystemDriver.Operator, "oops");
        Assert.False(result.Accepted);
        Assert.Equal(OperatorRefusal.NotHalted, result.Refusal);
        Assert.Contains("not halted", result.Message);
        driver.Expect(SystemMode.SafeMode);
    }

    [Theory]
    [InlineData("", "reason", "operatorId")]
    [InlineData("ops", " ", "reason")]
    public void ReleaseHalt_needs_an_operator_and_a_reason(string operatorId, string reason, string parameter)
    {
        using var driver = SystemDriver.Create().ToHalt();
        var error = Assert.Throws<ArgumentException>(() => driver.Machine.ReleaseHalt(operatorId, reason));
        Assert.Equal(parameter, error.ParamName);
        driver.Expect(SystemMode.Halt);
    }

    [Fact]
    public void A_force_never_leaves_an_automatic_Halt_even_with_acknowledgement()
    {
        using var driver = SystemDriver.Create().ToHalt();
        var before = driver.Machine.CurrentSequence;
        foreach (var mode in new[] { SystemMode.Normal, SystemMode.Degraded, SystemMode.Recovering, SystemMode.SafeMode, SystemMode.SafeModeDisconnected })
        {
            var result = driver.Machine.ForceMode(mode, TimeSpan.FromMinutes(5), SystemDriver.Operator, "flatten manually", acknowledge: [ReasonCode.PositionUnknown]);
            Assert.False(result.Accepted);
            Assert.Equal(OperatorRefusal.HaltActive, result.Refusal);
            Assert.Contains(result.ActiveConditions, c => c.Reason == ReasonCode.PositionUnknown);
        }
        driver.Expect(SystemMode.Halt);
        Assert.Equal(before, driver.Machine.CurrentSequence);
        Assert.False(driver.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public void A_forced_Halt_is_the_kill_switch_and_has_no_TTL()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var result = driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(1), SystemDriver.Operator, "drill");
        Assert.True(result.Accepted);
        Assert.Equal(TransitionKind.OperatorHalt, result.Transition!.Kind);
        Assert.False(driver.Machine.IsOverrideActive);
        driver.Advance(driver.Machine.Policy.Options.Operator.MaxOverrideTtl * 2).Expect(SystemMode.Halt);
        Assert.Equal(SystemDriver.Operator, driver.Machine.OperatorHalt!.OperatorId);
    }

    [Fact]
    public void ReleaseHalt_ends_a_forced_Halt()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(10), SystemDriver.Operator, "drill");
        driver.Machine.ReleaseHalt(SystemDriver.Operator, "drill over");
        Assert.False(driver.Machine.IsOverrideActive);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }
}
