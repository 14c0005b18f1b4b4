namespace Degradation.Tests.State;

/// <summary>Staged recovery (rule 5 and Recovery in docs/RULES.md: Recovering vs Degraded, run ids).</summary>
public class RecoveryRunTests
{
    private static readonly TimeSpan Epsilon = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Stages_advance_one_by_one_and_each_change_is_recorded()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical();
        var run = driver.Run;
        Assert.False(driver.Machine.TryAdvanceStage(run, RecoveryStage.VerifyRisk)); // skip
        Assert.False(driver.Machine.TryAdvanceStage(run, RecoveryStage.ConnectBroker)); // repeat
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.False(driver.Machine.TryAdvanceStage(run, RecoveryStage.ConnectBroker)); // backwards
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(driver.Machine.TryAdvanceStage(run, RecoveryStage.Ready));
        driver.Expect(SystemMode.Recovering, RecoveryStage.Ready);

        var stageChanges = driver.Machine.GetHistory().Where(t => t.Kind == TransitionKind.StageChange).ToList();
        Assert.Equal([RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready], stageChanges.Select(t => t.ToStage!.Value));
        Assert.All(stageChanges, t => Assert.Equal(run, t.RecoveryRun));
    }

    [Fact]
    public void Ready_lands_in_Normal_after_RecoveryStableSeconds_of_quiet_with_auto_recovery()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical();
        driver.Advance(driver.RecoveryStable * 3); // quiet time before Ready does not count
        driver.AdvanceTo(RecoveryStage.Ready).Tick().Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Advance(driver.RecoveryStable - Epsilon).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Advance(Epsilon).Expect(SystemMode.Normal);
        Assert.Equal(ReasonCode.RecoveryComplete, driver.Last.Reason);
        Assert.Null(driver.Machine.ActiveRecoveryRun);
    }

    [Fact]
    public void A_disturbance_in_Ready_restarts_the_quiet_time()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        driver.Advance(driver.RecoveryStable - Epsilon);
        driver.Fail(ComponentId.Db, ReasonCode.DbWriteFailBuffered).Recover(ComponentId.Db);
        driver.Advance(driver.RecoveryStable - Epsilon).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.Advance(Epsilon).Expect(SystemMode.Normal);
    }

    [Fact]
    public void Without_auto_recovery_Ready_waits_for_the_operator()
    {
        using var driver = SystemDriver.Create(o => o.Recovery.AutoToNormal = false).HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        driver.Advance(TimeSpan.FromHours(1)).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        var t = driver.Machine.CompleteRecovery("bob", "checked positions");
        driver.Expect(SystemMode.Normal);
        Assert.Equal(TransitionKind.OperatorCommand, t.Kind);
        Assert.Equal("bob", t.OperatorId);
    }

    [Fact]
    public void CompleteRecovery_outside_Ready_is_refused()
    {
        using var driver = SystemDriver.Create(o => o.Recovery.AutoToNormal = false).HeartbeatCritical().AdvanceTo(RecoveryStage.VerifyRisk);
        var error = Assert.Throws<InvalidOperationException>(() => driver.Machine.CompleteRecovery(SystemDriver.Operator));
        Assert.Contains("Ready", error.Message);
        Assert.Throws<ArgumentException>(() => driver.Machine.CompleteRecovery(" "));
    }

    [Fact]
    public void A_Degraded_condition_raised_while_Recovering_keeps_Recovering_and_lands_in_Degraded()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.CatchupMarketData);
        var run = driver.Run;
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Expect(SystemMode.Recovering, RecoveryStage.CatchupMarketData);
        Assert.Equal(run, driver.Run); // not pre-empted
        Assert.False(driver.Gate.Allows(ActionType.Open));
        driver.CompleteRun().Expect(SystemMode.Degraded);
        driver.Recover(ComponentId.Alerts).Advance(driver.RecoveryStable).Expect(SystemMode.Normal);
    }

    [Theory]
    [InlineData("market_data.stale", SystemMode.SafeMode)]
    [InlineData("broker.disconnect", SystemMode.SafeModeDisconnected)]
    [InlineData("position.unknown", SystemMode.Halt)]
    public void SafeMode_or_worse_aborts_the_run_and_its_stale_id_is_rejected(string reason, SystemMode expected)
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.CatchupMarketData);
        var aborted = driver.Run;
        driver.Apply(EventType.FailCritical, ComponentId.Broker, new ReasonCode(reason));
        Assert.Equal(expected, driver.Mode);
        Assert.Null(driver.Machine.ActiveRecoveryRun);
        Assert.False(driver.Machine.TryAdvanceStage(aborted, RecoveryStage.VerifyRisk));
        Assert.False(driver.Machine.FailRecovery(aborted, "late"));
        Assert.Equal(expected, driver.Mode);
    }

    [Fact]
    public void A_new_run_gets_a_new_id_and_the_old_id_stays_rejected()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.CatchupMarketData);
        var old = driver.Run;
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Recover(ComponentId.MarketData).Advance(driver.MinSafeMode).Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        var fresh = driver.Run;
        Assert.True(fresh.Value > old.Value);
        Assert.False(driver.Machine.TryAdvanceStage(old, RecoveryStage.CatchupMarketData));
        Assert.True(driver.Machine.TryAdvanceStage(fresh, RecoveryStage.CatchupMarketData));
    }

    [Fact]
    public void TryAdvanceStage_outside_Recovering_changes_nothing()
    {
        using var driver = SystemDriver.Create();
        var run = driver.Run;
        driver.ToNormal();
        var count = driver.Machine.TransitionCount;
        Assert.False(driver.Machine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.Equal(count, driver.Machine.TransitionCount);
        driver.Expect(SystemMode.Normal);
    }

    [Fact]
    public void FailRecovery_halts_with_recovery_failed()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.VerifyRisk);
        Assert.True(driver.Machine.FailRecovery(driver.Run, "risk did not answer"));
        driver.Expect(SystemMode.Halt);
        Assert.Equal(ReasonCode.RecoveryFailed, driver.Last.Reason);
        Assert.Contains(driver.Machine.GetComponent(ComponentId.System)!.Conditions, c => c.Reason == ReasonCode.RecoveryFailed);
    }

    [Fact]
    public void StartRecovery_from_Normal_starts_a_manual_run()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var run = driver.Machine.StartRecovery("carol", "post-deploy check");
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
        Assert.Equal(run, driver.Run);
        Assert.Equal(RecoveryTrigger.Manual, driver.Machine.ActiveRecoveryTrigger);
        Assert.Equal("carol", driver.Last.OperatorId);
        Assert.Equal(TransitionKind.OperatorCommand, driver.Last.Kind);
    }

    [Fact]
    public void StartRecovery_is_refused_while_SafeMode_conditions_remain_or_halted_or_overridden()
    {
        using var safe = SystemDriver.Create().ToSafeMode();
        var error = Assert.Throws<InvalidOperationException>(() => safe.Machine.StartRecovery(SystemDriver.Operator));
        Assert.Contains("market_data.stale", error.Message);

        using var halted = SystemDriver.Create().ToHalt();
        Assert.Throws<InvalidOperationException>(() => halted.Machine.StartRecovery(SystemDriver.Operator));

        using var forced = SystemDriver.Create().ToNormal();
        forced.Machine.ForceMode(SystemMode.Degraded, TimeSpan.FromMinutes(1), SystemDriver.Operator, "test");
        Assert.Throws<InvalidOperationException>(() => forced.Machine.StartRecovery(SystemDriver.Operator));
    }

    [Fact]
    public void Escalating_from_Recovering_is_immediate()
    {
        using var driver = SystemDriver.Create().HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        driver.Expect(SystemMode.SafeMode);
        Assert.False(driver.Gate.Allows(ActionType.Open));
    }

    [Fact]
    public void Reports_from_critical_components_already_known_do_not_restart_the_stability_time_in_Ready()
    {
        using var driver = SystemDriver.Create();
        driver.HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        var half = driver.RecoveryStable / 2;
        driver.Advance(half).Expect(SystemMode.Recovering, RecoveryStage.Ready);
        driver.HeartbeatCritical(); // known components keep reporting: no change of status, no new disturbance
        driver.Advance(driver.RecoveryStable - half).Expect(SystemMode.Normal);
    }
}
