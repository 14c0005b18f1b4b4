namespace Degradation.Tests.State;

/// <summary>
/// The queued copy of a must-deliver event is skipped when any operator command came in between: the operator acted
/// on a state that already held the event. Each command is checked on its own, with a must-deliver reason that
/// demands only Degraded so that every command is allowed while its condition is active.
/// </summary>
public class CommandEpochTests
{
    private static readonly ReasonCode FeedGap = new("feed.gap");
    private static readonly ComponentId Feed = new("feed");

    private static SystemDriver Driver(bool autoRecovery = true) => SystemDriver.Create(o =>
    {
        o.Components[Feed.Name] = new ComponentOptions { Critical = false };
        o.DecisionMatrix[FeedGap.Value] = SystemMode.Degraded;
        o.MustDeliverReasons.Add(FeedGap.Value);
        o.Recovery.AutoToNormal = autoRecovery;
    });

    /// <summary>Publishes the must-deliver gap (applied at once, copy queued), then clears it directly as a newer report would.</summary>
    private static void GapThenRecovered(SystemDriver driver)
    {
        Assert.True(driver.Bus.Publish(EventType.FailSupport, Feed, FeedGap));
        Assert.Contains(driver.Machine.GetConditions(), c => c.Reason == FeedGap);
        Assert.Equal(1, driver.Bus.PendingCount);
        driver.Recover(Feed);
        Assert.DoesNotContain(driver.Machine.GetConditions(), c => c.Reason == FeedGap);
    }

    [Fact]
    public void Without_a_command_in_between_the_queued_copy_is_applied_again()
    {
        using var driver = Driver().ToNormal();
        GapThenRecovered(driver);
        driver.Bus.ProcessPending();
        Assert.Contains(driver.Machine.GetConditions(), c => c.Reason == FeedGap); // the control case for the tests below
    }

    [Fact]
    public void StartRecovery_in_between_skips_the_queued_copy()
    {
        using var driver = Driver().ToNormal();
        GapThenRecovered(driver);
        driver.Machine.StartRecovery(SystemDriver.Operator, "after the gap");
        driver.Bus.ProcessPending();
        Assert.Empty(driver.Machine.GetConditions());
        driver.Expect(SystemMode.Recovering, RecoveryStage.ConnectBroker);
    }

    [Fact]
    public void CompleteRecovery_in_between_skips_the_queued_copy()
    {
        using var driver = Driver(autoRecovery: false).HeartbeatCritical().AdvanceTo(RecoveryStage.Ready);
        GapThenRecovered(driver);
        driver.Machine.CompleteRecovery(SystemDriver.Operator, "checked");
        driver.Expect(SystemMode.Normal);
        driver.Bus.ProcessPending();
        Assert.Empty(driver.Machine.GetConditions());
        driver.Expect(SystemMode.Normal);
    }

    [Fact]
    public void ReleaseOverride_in_between_skips_the_queued_copy()
    {
        using var driver = Driver().ToNormal();
        Assert.True(driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), SystemDriver.Operator, "hold").Accepted);
        GapThenRecovered(driver);
        Assert.True(driver.Machine.ReleaseOverride(SystemDriver.Operator, "done").Accepted);
        driver.Bus.ProcessPending();
        Assert.Empty(driver.Machine.GetConditions());
        driver.Expect(SystemMode.Recovering);
    }

    [Fact]
    public void ForceMode_in_between_skips_the_queued_copy()
    {
        using var driver = Driver().ToNormal();
        GapThenRecovered(driver);
        Assert.True(driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), SystemDriver.Operator, "hold").Accepted);
        driver.Bus.ProcessPending();
        Assert.Empty(driver.Machine.GetConditions());
    }

    [Fact]
    public void Halt_in_between_skips_the_queued_copy()
    {
        using var driver = Driver().ToNormal();
        GapThenRecovered(driver);
        Assert.True(driver.Machine.Halt(SystemDriver.Operator, "stop").Accepted);
        driver.Bus.ProcessPending();
        Assert.DoesNotContain(driver.Machine.GetConditions(), c => c.Reason == FeedGap);
    }
}
