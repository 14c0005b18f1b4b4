using Degradation.Tests.State;

namespace Degradation.Tests.Operator;

/// <summary>Operator commands tighten freely; loosening, leaving Halt and acting on a stale view are refused.</summary>
public class OperatorCommandTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Forcing_normal_over_an_active_Halt_is_refused_and_every_action_stays_blocked()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerMismatch).Expect(SystemMode.Halt);
        var result = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, "mallory", "x");
        Assert.False(result.Accepted);
        Assert.Equal(OperatorRefusal.HaltActive, result.Refusal);
        Assert.Null(result.Transition);
        Assert.Contains("halt", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(result.ActiveConditions, c => c.Component == ComponentId.Broker && c.Reason == ReasonCode.BrokerMismatch);
        foreach (var action in Enum.GetValues<ActionType>().Where(a => a != ActionType.Query))
            Assert.False(driver.Gate.Allows(action), $"{action} allowed after a refused force");
    }

    [Theory]
    [InlineData(SystemMode.SafeMode)]
    [InlineData(SystemMode.SafeModeDisconnected)]
    [InlineData(SystemMode.Recovering)]
    [InlineData(SystemMode.Degraded)]
    public void Tightening_is_always_accepted_without_acknowledgement(SystemMode mode)
    {
        using var driver = SystemDriver.Create().ToDegraded();
        var result = driver.Machine.ForceMode(mode, FiveMinutes, SystemDriver.Operator, "precaution");
        Assert.True(result.Accepted, result.Message);
        Assert.Equal(OperatorRefusal.None, result.Refusal);
        Assert.Equal(mode, driver.Mode);
        Assert.Equal(result.CurrentSequence, driver.Machine.CurrentSequence);
    }

    [Fact]
    public void Loosening_is_refused_listing_the_conditions_in_the_way_until_they_are_acknowledged_exactly()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown).Expect(SystemMode.SafeMode);
        var sequence = driver.Machine.CurrentSequence;

        var refused = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "trade anyway");
        Assert.Equal(OperatorRefusal.AcknowledgementRequired, refused.Refusal);
        Assert.Equal([ReasonCode.AlertsChannelDown, ReasonCode.MarketDataStale], refused.ActiveConditions.Select(c => c.Reason).OrderBy(r => r.Value));
        Assert.Contains("market_data.stale", refused.Message);
        Assert.Equal(sequence, driver.Machine.CurrentSequence);

        // Acknowledging only part of them, or something else, is not enough.
        Assert.Equal(OperatorRefusal.StaleAcknowledgement,
            driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r", acknowledge: [ReasonCode.MarketDataStale]).Refusal);
        Assert.Equal(OperatorRefusal.StaleAcknowledgement,
            driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r",
                acknowledge: [ReasonCode.MarketDataStale, ReasonCode.AlertsChannelDown, ReasonCode.RiskTimeout]).Refusal);
        driver.Expect(SystemMode.SafeMode);

        // Forcing Degraded only needs the stricter condition acknowledged.
        var degraded = driver.Machine.ForceMode(SystemMode.Degraded, FiveMinutes, SystemDriver.Operator, "r", acknowledge: [ReasonCode.MarketDataStale]);
        Assert.True(degraded.Accepted, degraded.Message);
        driver.Expect(SystemMode.Degraded);
        Assert.Equal(ReasonCode.MarketDataStale, Assert.Single(driver.Machine.Override!.Acknowledged).Reason);
    }

    [Fact]
    public void An_acknowledgement_made_against_conditions_that_have_since_changed_is_refused()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale).Expect(SystemMode.SafeMode);
        var shown = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r");
        var acknowledge = shown.ActiveConditions.Select(c => c.Reason).ToArray();

        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout); // the conditions change while the operator reads
        var stale = driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r", acknowledge: acknowledge);
        Assert.False(stale.Accepted);
        Assert.Equal(OperatorRefusal.StaleAcknowledgement, stale.Refusal);
        Assert.Contains(stale.ActiveConditions, c => c.Reason == ReasonCode.RiskTimeout);
        driver.Expect(SystemMode.SafeMode);
        Assert.False(driver.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public void An_acknowledged_override_ends_as_soon_as_a_condition_it_did_not_acknowledge_demands_more()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        Assert.True(driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, SystemDriver.Operator, "r", acknowledge: [ReasonCode.MarketDataStale]).Accepted);
        driver.Expect(SystemMode.Normal);
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown); // Degraded: stricter than Normal, and not acknowledged
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.Equal(ReasonCode.AlertsChannelDown, driver.Last.Reason);
        driver.Expect(SystemMode.SafeMode); // re-derived from every condition, the acknowledged one included
    }

    [Fact]
    public void Every_operator_write_checks_the_expected_sequence()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var seen = driver.Machine.CurrentSequence;
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown); // someone else's change
        Assert.NotEqual(seen, driver.Machine.CurrentSequence);

        Assert.Equal(OperatorRefusal.SequenceMismatch, driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, "a", "r", seen).Refusal);
        Assert.Equal(OperatorRefusal.SequenceMismatch, driver.Machine.Halt("a", "r", seen).Refusal);
        Assert.Equal(OperatorRefusal.SequenceMismatch, driver.Machine.ReleaseOverride("a", "r", seen).Refusal);
        Assert.Equal(OperatorRefusal.SequenceMismatch, driver.Machine.ReleaseHalt("a", "r", seen).Refusal);
        driver.Expect(SystemMode.Degraded);

        var current = driver.Machine.CurrentSequence;
        var forced = driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, "a", "r", current);
        Assert.True(forced.Accepted, forced.Message);
        // A second operator who looked before the first one acted is refused rather than overwriting it unknowingly.
        var second = driver.Machine.ForceMode(SystemMode.Recovering, FiveMinutes, "b", "r", current);
        Assert.Equal(OperatorRefusal.SequenceMismatch, second.Refusal);
        Assert.Equal(forced.Transition!.Sequence, second.CurrentSequence);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.Machine.Halt("a", "r", -1));
    }

    [Fact]
    public void Replacing_an_active_override_records_override_ended_then_override_started()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var first = driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, "alice", "first");
        var second = driver.Machine.ForceMode(SystemMode.SafeModeDisconnected, FiveMinutes, "bob", "second");
        var history = driver.Machine.GetHistory();
        Assert.Equal(TransitionKind.OverrideEnded, history[^2].Kind);
        Assert.Equal(ReasonCode.OverrideReplaced, history[^2].Reason);
        Assert.Equal((SystemMode.SafeMode, SystemMode.SafeMode), (history[^2].From, history[^2].To)); // no looser moment in between
        Assert.Equal("bob", history[^2].OperatorId);
        Assert.Equal(TransitionKind.OverrideStarted, history[^1].Kind);
        Assert.Same(history[^1], second.Transition);
        Assert.Equal(first.Transition!.Sequence + 2, second.Transition!.Sequence);
        Assert.Equal("bob", driver.Machine.Override!.OperatorId);
    }

    [Fact]
    public void The_kill_switch_halts_without_TTL_ends_an_override_and_is_left_only_by_ReleaseHalt_into_Recovering()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.ForceMode(SystemMode.SafeMode, FiveMinutes, "alice", "maintenance");
        var halted = driver.Machine.Halt("carol", "runaway algo");
        Assert.True(halted.Accepted);
        Assert.True(halted.Durable);
        Assert.Equal(TransitionKind.OperatorHalt, halted.Transition!.Kind);
        Assert.Equal(TransitionKind.OverrideEnded, driver.Machine.GetHistory()[^2].Kind);
        Assert.False(driver.Machine.IsOverrideActive);
        Assert.Contains(halted.ActiveConditions, c => c.Reason == ReasonCode.OperatorHalt && c.Source == ConditionSource.Operator("carol"));

        driver.Advance(TimeSpan.FromHours(3)).HeartbeatCritical();
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.AllHealthy);
        driver.Apply(EventType.Recovered, ComponentId.System, ReasonCode.RecoveryComplete).Expect(SystemMode.Halt);
        Assert.Equal(OperatorRefusal.HaltActive, driver.Machine.ForceMode(SystemMode.Normal, FiveMinutes, "carol", "r", acknowledge: [ReasonCode.OperatorHalt]).Refusal);
        Assert.Throws<InvalidOperationException>(() => driver.Machine.StartRecovery("carol"));
        Assert.True(driver.Machine.Halt("dave", "again").Accepted); // idempotent: no second entry into Halt
        Assert.Equal("carol", driver.Machine.OperatorHalt!.OperatorId);
        driver.Expect(SystemMode.Halt);

        var released = driver.Machine.ReleaseHalt("carol", "algo fixed"); // only operator Halt conditions: no acknowledgement needed
        Assert.True(released.Accepted, released.Message);
        Assert.Equal(TransitionKind.HaltReleased, released.Transition!.Kind);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Null(driver.Machine.OperatorHalt);
    }

    [Fact]
    public void Releasing_past_an_automatic_Halt_condition_needs_it_acknowledged()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Machine.Halt("carol", "suspicious fills");
        driver.Fail(ComponentId.Risk, ReasonCode.RiskBreachHard);
        var refused = driver.Machine.ReleaseHalt("carol", "done");
        Assert.Equal(OperatorRefusal.AcknowledgementRequired, refused.Refusal);
        Assert.Equal(ReasonCode.RiskBreachHard, Assert.Single(refused.ActiveConditions).Reason); // the operator's own Halt needs none
        Assert.Equal(OperatorRefusal.StaleAcknowledgement, driver.Machine.ReleaseHalt("carol", "done", acknowledge: [ReasonCode.BrokerMismatch]).Refusal);
        driver.Expect(SystemMode.Halt);
        Assert.True(driver.Machine.ReleaseHalt("carol", "done", acknowledge: [ReasonCode.RiskBreachHard]).Accepted);
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void A_store_that_cannot_save_refuses_loosening_commands_but_still_halts()
    {
        var store = new MemoryOperatorStateStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var machine = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), time, store);
        store.FailSaves = true;
        var halted = machine.Halt("carol", "kill");
        Assert.True(halted.Accepted);
        Assert.False(halted.Durable);
        Assert.Contains("not survive a restart", halted.Message);
        Assert.Equal(SystemMode.Halt, machine.Mode);
        var release = machine.ReleaseHalt("carol", "done");
        Assert.Equal(OperatorRefusal.NotPersisted, release.Refusal);
        Assert.Equal(SystemMode.Halt, machine.Mode);
        store.FailSaves = false;
        Assert.True(machine.ReleaseHalt("carol", "done").Accepted);
        Assert.Null(store.Saved!.Halt);
    }
}
