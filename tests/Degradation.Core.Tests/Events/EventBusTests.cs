using System.Collections.Concurrent;
using Degradation.Tests.State;

namespace Degradation.Tests.Events;

/// <summary>The event bus (docs/RULES.md, Event bus), rule 7, the publish result and bus vs observers.</summary>
public class EventBusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60); // hang guard only, never a timing assertion

    private static SystemDriver NormalWithQueue(int size, bool dropOnFull = true) =>
        SystemDriver.Create(o => { o.EventBus.QueueSize = size; o.EventBus.DropOnFull = dropOnFull; }).ToNormal();

    [Fact]
    public void Non_critical_events_wait_in_the_queue_until_processed()
    {
        using var driver = NormalWithQueue(10);
        Assert.True(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));
        Assert.Equal(1, driver.Bus.PendingCount);
        driver.Expect(SystemMode.Normal);
        Assert.Equal(1, driver.Bus.ProcessPending());
        driver.Expect(SystemMode.Degraded);
        Assert.Equal(0, driver.Bus.PendingCount);
        Assert.Equal(1, driver.Bus.ProcessedCount);
    }

    [Fact]
    public void A_non_critical_event_on_a_full_bus_is_dropped_counted_and_logged_and_Publish_returns_false()
    {
        using var driver = NormalWithQueue(2);
        Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker));
        Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Risk));
        var dropped = driver.Event(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown, details: "the one dropped");
        Assert.False(driver.Bus.Publish(dropped));
        Assert.Equal(1, driver.Bus.DroppedCount);
        Assert.Equal(2, driver.Bus.PendingCount);
        Assert.Equal(1, driver.Bus.DroppedEvents.Total);
        Assert.Equal("the one dropped", Assert.Single(driver.Bus.DroppedEvents.Snapshot()).Details);

        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.Normal); // the dropped failure never reached the state machine
        Assert.True(driver.Bus.Publish(dropped)); // room again
    }

    [Fact]
    public void A_must_deliver_event_is_applied_before_Publish_returns_even_on_a_full_bus_and_is_also_queued()
    {
        using var driver = NormalWithQueue(1);
        Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker));
        var before = driver.Machine.EventsApplied;

        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.False(driver.Gate.Allows(ActionType.Cancel));
        Assert.Equal(0, driver.Bus.DroppedCount);
        Assert.Equal(1, driver.Bus.MustDeliverCount);
        Assert.Equal(2, driver.Bus.PendingCount); // kept beyond capacity
        Assert.Equal(before + 1, driver.Machine.EventsApplied);

        Assert.Equal(2, driver.Bus.ProcessPending()); // the state machine later processes it normally, in order
        driver.Expect(SystemMode.SafeModeDisconnected);
    }

    [Fact]
    public void Must_deliver_events_are_never_dropped_however_many()
    {
        using var driver = NormalWithQueue(1);
        Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker));
        for (var i = 0; i < 1000; i++)
            Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.PositionUnknown));
        Assert.Equal(0, driver.Bus.DroppedCount);
        Assert.Equal(1001, driver.Bus.ProcessPending());
        driver.Expect(SystemMode.Halt);
    }

    [Fact]
    public void A_queued_older_recovery_cannot_undo_a_later_must_deliver_event()
    {
        using var driver = SystemDriver.Create(o => o.SafeMode.MinDwell = TimeSpan.Zero).ToNormal();
        Assert.True(driver.Bus.Publish(EventType.Recovered, ComponentId.Broker));
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.Contains(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions, c => c.Reason == ReasonCode.BrokerDisconnect);
    }

    [Fact]
    public void The_queued_copy_of_a_must_deliver_event_does_not_undo_an_operator_command_made_in_between()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerMismatch));
        driver.Expect(SystemMode.Halt);
        Assert.True(driver.Machine.ReleaseHalt(SystemDriver.Operator, "reconciled", acknowledge: [ReasonCode.BrokerMismatch]).Accepted);
        driver.Expect(SystemMode.Recovering);

        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.Recovering); // the duplicate must not re-halt a released system
        Assert.DoesNotContain(driver.Machine.GetComponent(ComponentId.Broker)!.Conditions, c => c.Mode == SystemMode.Halt);
    }

    [Fact]
    public void The_queued_copy_of_a_must_deliver_event_does_not_break_an_override_started_after_it()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        Assert.True(driver.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), SystemDriver.Operator, "trade through the outage",
            acknowledge: [ReasonCode.BrokerDisconnect]).Accepted);
        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.Normal);
        Assert.True(driver.Machine.IsOverrideActive);
    }

    [Fact]
    public void With_drop_on_full_off_non_critical_events_are_kept_beyond_capacity()
    {
        using var driver = NormalWithQueue(1, dropOnFull: false);
        Assert.True(driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker));
        Assert.True(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));
        Assert.Equal(0, driver.Bus.DroppedCount);
        Assert.Equal(1, driver.Bus.OverCapacityCount);
        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.Degraded);
    }

    [Fact]
    public async Task Subscribers_see_every_published_event_in_order_and_never_transitions()
    {
        using var driver = NormalWithQueue(100);
        var seen = new ConcurrentQueue<SystemEvent>();
        using var _ = driver.Bus.Subscribe(seen.Enqueue);
        driver.Bus.Start();
        var published = new List<SystemEvent>();
        for (var i = 0; i < 20; i++)
        {
            var e = driver.Event(EventType.Heartbeat, ComponentId.Broker, details: i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            published.Add(e);
            Assert.True(driver.Bus.Publish(e));
        }
        var critical = driver.Event(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        published.Add(critical);
        Assert.True(driver.Bus.Publish(critical));
        await driver.Bus.DrainAsync().WaitAsync(Timeout);
        await driver.Bus.StopAsync().WaitAsync(Timeout);

        Assert.Equal(published.Select(e => (e.Reason, e.Details)), seen.Select(e => (e.Reason, e.Details)));
        Assert.True(driver.Machine.TransitionCount > 0);
    }

    [Fact]
    public void A_throwing_subscriber_is_isolated_and_counted()
    {
        using var driver = NormalWithQueue(10);
        var failures = new List<Exception>();
        driver.Bus.HandlerFailed += (_, ex) => failures.Add(ex);
        var after = new List<SystemEvent>();
        using var bad = driver.Bus.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        using var good = driver.Bus.Subscribe(after.Add);
        driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        Assert.Equal(2, driver.Bus.ProcessPending());
        Assert.Equal(2, after.Count);
        Assert.Equal(2, driver.Bus.HandlerFailures);
        Assert.Equal(2, failures.Count);
        driver.Expect(SystemMode.Degraded);
    }

    [Fact]
    public void Unsubscribing_stops_delivery()
    {
        using var driver = NormalWithQueue(10);
        var seen = new List<SystemEvent>();
        var subscription = driver.Bus.Subscribe(seen.Add);
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        driver.Bus.ProcessPending();
        subscription.Dispose();
        subscription.Dispose(); // idempotent
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        driver.Bus.ProcessPending();
        Assert.Single(seen);
    }

    [Fact]
    public async Task Stop_drains_the_queue_and_a_stopped_bus_drops_non_critical_but_still_applies_must_deliver()
    {
        using var driver = NormalWithQueue(100);
        var seen = new ConcurrentQueue<SystemEvent>();
        using var _ = driver.Bus.Subscribe(seen.Enqueue);
        driver.Bus.Start();
        Assert.True(driver.Bus.IsRunning);
        for (var i = 0; i < 50; i++) driver.Bus.Publish(EventType.Heartbeat, ComponentId.Risk);
        await driver.Bus.StopAsync().WaitAsync(Timeout);
        Assert.False(driver.Bus.IsRunning);
        Assert.Equal(50, seen.Count);
        Assert.Equal(0, driver.Bus.PendingCount);

        Assert.False(driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));
        Assert.Equal(1, driver.Bus.DroppedCount);
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        driver.Expect(SystemMode.SafeModeDisconnected);
    }

    [Fact]
    public async Task A_stopped_bus_refuses_to_restart_instead_of_silently_dropping_everything()
    {
        using var driver = NormalWithQueue(10);
        driver.Bus.Start();
        driver.Bus.Start(); // idempotent while running
        await driver.Bus.StopAsync().WaitAsync(Timeout);
        await driver.Bus.StopAsync().WaitAsync(Timeout); // idempotent
        var error = Assert.Throws<InvalidOperationException>(driver.Bus.Start);
        Assert.Contains("stopped", error.Message);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await driver.System.DisposeAsync();
            driver.System.Start();
        });
    }

    [Fact]
    public void ProcessPending_is_refused_while_the_consumer_loop_runs()
    {
        using var driver = NormalWithQueue(10);
        driver.Bus.Start();
        try
        {
            Assert.Throws<InvalidOperationException>(() => driver.Bus.ProcessPending());
        }
        finally
        {
            driver.Bus.StopAsync().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public async Task DrainAsync_on_a_bus_that_is_not_started_processes_synchronously()
    {
        using var driver = NormalWithQueue(10);
        driver.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        await driver.Bus.DrainAsync().WaitAsync(Timeout);
        driver.Expect(SystemMode.Degraded);
    }

    [Fact]
    public async Task DrainAsync_waits_for_an_event_a_slow_subscriber_is_handling()
    {
        using var driver = NormalWithQueue(10);
        var entered = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var handled = 0;
        using var _ = driver.Bus.Subscribe(e =>
        {
            entered.Set();
            release.Wait(Timeout);
            Interlocked.Increment(ref handled);
        });
        driver.Bus.Start();
        driver.Bus.Publish(EventType.Heartbeat, ComponentId.Broker);
        Assert.True(entered.Wait(Timeout));
        var drain = driver.Bus.DrainAsync();
        Assert.False(drain.IsCompleted);
        release.Set();
        await drain.WaitAsync(Timeout);
        Assert.Equal(1, Volatile.Read(ref handled));
        await driver.Bus.StopAsync().WaitAsync(Timeout);
    }

    [Fact]
    public async Task DegradationSystem_report_helpers_publish_through_the_bus()
    {
        using var driver = SystemDriver.Create().ToNormal();
        Assert.True(driver.System.ReportFailure(ComponentId.Alerts, ReasonCode.AlertsChannelDown, "smtp refused"));
        driver.Bus.ProcessPending();
        driver.Expect(SystemMode.Degraded);
        Assert.Equal(ReasonCode.AlertsChannelDown, driver.Machine.GetComponent(ComponentId.Alerts)!.LastReason);
        Assert.Equal("smtp refused", driver.Machine.GetComponent(ComponentId.Alerts)!.LastDetails);
        Assert.True(driver.System.ReportRecovered(ComponentId.Alerts));
        Assert.True(driver.System.Heartbeat(ComponentId.Broker));
        driver.Bus.ProcessPending();
        Assert.Empty(driver.Machine.GetComponent(ComponentId.Alerts)!.Conditions);
        Assert.True(driver.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect)); // must-deliver: at once
        driver.Expect(SystemMode.SafeModeDisconnected);
        await driver.System.DisposeAsync();
    }
}
