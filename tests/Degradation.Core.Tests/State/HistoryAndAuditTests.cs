using System.Collections.Concurrent;

namespace Degradation.Tests.State;

/// <summary>Rule 1 in docs/RULES.md: one transition path, every change recorded (history and audit store), sequenced.</summary>
public class HistoryAndAuditTests
{
    [Fact]
    public void Every_change_is_recorded_with_from_to_reason_component_times_and_a_sequence()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Time.Advance(TimeSpan.FromSeconds(5));
        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);

        var t = driver.Last;
        Assert.Equal(SystemMode.Normal, t.From);
        Assert.Equal(SystemMode.SafeMode, t.To);
        Assert.Equal(ReasonCode.MarketDataStale, t.Reason);
        Assert.Equal(ComponentId.MarketData, t.Component);
        Assert.Equal(driver.Time.GetUtcNow(), t.WallTime);
        Assert.Equal(driver.Time.GetTimestamp(), t.Timestamp);
        Assert.Null(t.OperatorId);
        Assert.True(t.IsEscalation);
        Assert.Equal(TransitionKind.ModeChange, t.Kind);
        Assert.Equal(driver.Machine.TransitionCount, t.Sequence);
    }

    [Fact]
    public void Sequence_numbers_start_at_1_and_increase_by_one_and_match_the_gate()
    {
        using var driver = SystemDriver.Create().ToNormal();
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        driver.Machine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(1), SystemDriver.Operator, "test");

        var history = driver.Machine.GetHistory();
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(t => t.Sequence));
        Assert.Equal(history[^1].Sequence, driver.Gate.Snapshot.Sequence);
        Assert.Equal(history[^1].To, driver.Gate.Mode);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].To, history[i].From); // one path: no change bypasses the record
            Assert.Equal(history[i - 1].ToStage, history[i].FromStage);
        }
    }

    [Fact]
    public void Operator_commands_record_the_operator_and_reason()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var t = driver.Machine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(2), "alice", "exchange maintenance").Transition!;
        Assert.Equal(TransitionKind.OverrideStarted, t.Kind);
        Assert.Equal("alice", t.OperatorId);
        Assert.Equal("exchange maintenance", t.Details);
        Assert.Equal(TimeSpan.FromMinutes(2), t.OverrideTtl);
        Assert.Equal(ReasonCode.ForceOverride, t.Reason);
        Assert.Same(t, driver.Last);
    }

    [Fact]
    public void History_is_bounded_and_pages_newest_first()
    {
        using var driver = SystemDriver.Create(o => o.StateMachine.TransitionHistorySize = 3).ToNormal();
        for (var i = 0; i < 5; i++)
        {
            driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
            driver.Recover(ComponentId.Alerts).Advance(driver.RecoveryStable);
        }
        var history = driver.Machine.GetHistory();
        Assert.Equal(3, history.Count);
        Assert.Equal(driver.Machine.TransitionCount, history[^1].Sequence);
        Assert.Equal(history[^1].Sequence - 2, history[0].Sequence);

        var page = driver.Machine.GetHistory(skip: 1, take: 5);
        Assert.Equal([history[1].Sequence, history[0].Sequence], page.Select(t => t.Sequence));
    }

    [Fact]
    public async Task Audit_store_receives_every_transition_in_order_including_the_emergency_path()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var store = new MemoryAuditStore();
        using var _ = driver.Machine.AddAuditStore(store);

        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        Assert.True(driver.Bus.Publish(EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect)); // emergency path
        Assert.True(driver.Machine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(30), SystemDriver.Operator, "test",
            acknowledge: [ReasonCode.AlertsChannelDown, ReasonCode.BrokerDisconnect]).Accepted);
        Assert.True(driver.Machine.ReleaseOverride(SystemDriver.Operator, "done").Accepted);
        driver.Bus.ProcessPending();

        await driver.Machine.FlushObserversAsync();
        var expected = driver.Machine.GetHistory().Where(t => t.Sequence > store.Received.First().Sequence - 1).ToList();
        Assert.Equal(expected.Select(t => t.Sequence), store.Received.Select(t => t.Sequence));
        Assert.Contains(store.Received, t => t.Reason == ReasonCode.BrokerDisconnect && t.To == SystemMode.SafeModeDisconnected);
        Assert.Contains(store.Received, t => t.Kind == TransitionKind.OverrideStarted);
        Assert.Contains(store.Received, t => t.Kind == TransitionKind.OverrideEnded);
    }

    private sealed class MemoryAuditStore : IAuditStore
    {
        private readonly ConcurrentQueue<ModeTransition> _received = new();
        public IReadOnlyList<ModeTransition> Received => [.. _received];

        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
        {
            _received.Enqueue(transition);
            return ValueTask.CompletedTask;
        }
    }
}
