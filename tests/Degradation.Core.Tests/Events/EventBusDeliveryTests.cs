using Degradation.Tests.State;

namespace Degradation.Tests.Events;

/// <summary>
/// Delivery details of the bus that a wrong line would break silently: an idle consumer is woken by a publish,
/// ordinary events are never mistaken for queued must-deliver copies, and one Dispose unsubscribes.
/// </summary>
public class EventBusDeliveryTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60); // only against a hang, never a timing assertion

    [Fact]
    public async Task A_publish_wakes_an_idle_consumer_loop()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var seen = new TaskCompletionSource<SystemEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = driver.Bus.Subscribe(e => { if (e.Reason == ReasonCode.AlertsChannelDown) seen.TrySetResult(e); });
        driver.Bus.Start();
        try
        {
            // Wait until the loop has found the queue empty and parked: only a wake-up from Publish can move it now.
            while (!driver.Bus.IsConsumerParked) await Task.Yield();

            Assert.True(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));

            await seen.Task.WaitAsync(HangGuard);
            await driver.Bus.DrainAsync().WaitAsync(HangGuard);
            driver.Expect(SystemMode.Degraded);
        }
        finally
        {
            await driver.Bus.StopAsync();
        }
    }

    [Fact]
    public async Task Every_publish_to_an_idle_loop_is_delivered_one_after_another()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var count = 0;
        using var _ = driver.Bus.Subscribe(_ => Interlocked.Increment(ref count));
        driver.Bus.Start();
        try
        {
            for (var i = 1; i <= 5; i++)
            {
                while (!driver.Bus.IsConsumerParked) await Task.Yield();
                Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker));
                await driver.Bus.DrainAsync().WaitAsync(HangGuard);
                Assert.Equal(i, Volatile.Read(ref count));
            }
        }
        finally
        {
            await driver.Bus.StopAsync();
        }
    }

    [Fact]
    public void Ordinary_events_published_after_an_operator_command_are_applied()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), SystemDriver.Operator, "hold").Accepted);
        Assert.True(driver.Machine.ReleaseOverride(SystemDriver.Operator).Accepted);
        driver.CompleteRun().Expect(SystemMode.Normal);

        Assert.True(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));
        Assert.Equal(1, driver.Bus.ProcessPending());

        driver.Expect(SystemMode.Degraded);
        Assert.Contains(driver.Machine.GetConditions(), c => c.Reason == ReasonCode.AlertsChannelDown);
    }

    [Fact]
    public void A_single_Dispose_unsubscribes()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var seen = new List<SystemEvent>();
        var subscription = driver.Bus.Subscribe(seen.Add);
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        driver.Bus.ProcessPending();

        subscription.Dispose();
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        driver.Bus.ProcessPending();

        Assert.Single(seen);
    }

    [Fact]
    public void Disposing_one_subscription_leaves_the_others_subscribed()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var first = new List<SystemEvent>();
        var second = new List<SystemEvent>();
        var one = driver.Bus.Subscribe(first.Add);
        using var two = driver.Bus.Subscribe(second.Add);
        one.Dispose();
        one.Dispose();
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        driver.Bus.ProcessPending();
        Assert.Empty(first);
        Assert.Single(second);
    }
}
