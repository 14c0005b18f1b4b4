using System.Collections.Concurrent;
using Degradation.Tests.State;

namespace Degradation.Tests.Acceptance;

/// <summary>The event bus: non-blocking publish, dropping on a full queue, the must-deliver path, subscribers and the drop log.</summary>
public class EventBusAcceptanceTests
{
    private static SystemDriver Bus(int size, bool dropOnFull = true) =>
        SystemDriver.Create(o => { o.EventBus.QueueSize = size; o.EventBus.DropOnFull = dropOnFull; });

    private static SystemEvent MakeEvent(SystemDriver d, ReasonCode? reason = null) =>
        SystemEvent.Create(d.Time, EventType.FailSupport, ComponentId.MarketData, reason ?? ReasonCode.MarketDataStale, Severity.Warning);

    [Fact]
    public void test_publish_success()
    {
        using var d = Bus(10);
        Assert.True(d.Bus.Publish(MakeEvent(d)));
        Assert.Equal(1, d.Bus.PendingCount);
    }

    [Fact]
    public void test_publish_non_blocking()
    {
        using var d = Bus(1);
        d.Bus.Publish(MakeEvent(d));
        Assert.Equal(1, d.Bus.PendingCount);
        Assert.False(d.Bus.Publish(MakeEvent(d))); // does not block: drops
        Assert.Equal(1, d.Bus.DroppedCount);
    }

    [Fact]
    public void test_drop_on_full_non_critical()
    {
        using var d = Bus(1, dropOnFull: true);
        d.Bus.Publish(MakeEvent(d));
        Assert.False(d.Bus.Publish(MakeEvent(d, ReasonCode.AlertsChannelDown)));
        Assert.Equal(1, d.Bus.DroppedCount);
    }

    [Fact]
    public void test_critical_event_triggers_local_fallback()
    {
        // Rule 7 in docs/RULES.md: returning false for a critical event on a full queue and only then degrading
        // locally would leave the gate open too long. Here a must-deliver event always applies locally
        // before Publish returns, is kept (not dropped) and Publish returns true.
        using var d = Bus(1);
        d.Bus.Publish(MakeEvent(d));
        Assert.True(d.Bus.Publish(MakeEvent(d, ReasonCode.BrokerDisconnect)));
        Assert.Equal(SystemMode.SafeModeDisconnected, d.Gate.Mode);
        Assert.Equal(0, d.Bus.DroppedCount);
        Assert.Equal(1, d.Bus.MustDeliverCount);
    }

    [Fact]
    public async Task test_subscribe_receives_events()
    {
        using var d = Bus(10);
        var received = new ConcurrentQueue<SystemEvent>();
        d.Bus.Subscribe(received.Enqueue);
        d.Bus.Start();
        var e = SystemEvent.Create(d.Time, EventType.FailSupport, ComponentId.MarketData, ReasonCode.MarketDataStale, details: "event-1");
        d.Bus.Publish(e);
        await d.Bus.DrainAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await d.Bus.StopAsync();
        var got = Assert.Single(received);
        Assert.Equal((e.Reason, e.Component, e.Timestamp, e.Details), (got.Reason, got.Component, got.Timestamp, got.Details));
    }

    [Fact]
    public void test_fallback_log_on_drop()
    {
        using var d = Bus(1);
        d.Bus.Publish(MakeEvent(d));
        var dropped = SystemEvent.Create(d.Time, EventType.FailSupport, ComponentId.MarketData, ReasonCode.MarketDataStale, details: "dropped");
        d.Bus.Publish(dropped);
        Assert.Equal(1, d.Bus.DroppedEvents.Total);
        Assert.Equal("dropped", Assert.Single(d.Bus.DroppedEvents.Snapshot()).Details);
    }
}
