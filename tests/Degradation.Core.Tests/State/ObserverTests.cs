using System.Collections.Concurrent;

namespace Degradation.Tests.State;

/// <summary>Rule 11 in docs/RULES.md: observers run off the hot path; a slow or throwing observer never blocks or breaks the state machine.</summary>
public class ObserverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60); // hang guard only, never a timing assertion

    [Fact]
    public async Task A_blocked_observer_does_not_block_transitions_and_later_receives_them_in_order()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<long>();
        using var _ = driver.Machine.SubscribeTransitions(async (t, ct) =>
        {
            await release.Task.WaitAsync(ct);
            received.Enqueue(t.Sequence);
        });

        var start = driver.Machine.TransitionCount;
        for (var i = 0; i < 50; i++)
        {
            driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
            driver.Recover(ComponentId.Alerts).Advance(driver.RecoveryStable);
        }
        driver.Expect(SystemMode.Normal);
        Assert.Empty(received);
        Assert.Equal(start + 100, driver.Machine.TransitionCount);

        release.SetResult();
        await driver.Machine.FlushObserversAsync().WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range((int)start + 1, 100).Select(i => (long)i), received);
    }

    [Fact]
    public async Task A_throwing_observer_is_isolated_counted_and_reported()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var failures = new ConcurrentQueue<(ModeTransition, Exception)>();
        driver.Machine.ObserverFailed += (t, e) => failures.Enqueue((t, e));
        var good = new ConcurrentQueue<ModeTransition>();
        using var bad = driver.Machine.SubscribeTransitions(_ => throw new InvalidOperationException("observer bug"));
        using var ok = driver.Machine.SubscribeTransitions(good.Enqueue);

        driver.Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        driver.Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await driver.Machine.FlushObserversAsync().WaitAsync(Timeout);

        driver.Expect(SystemMode.SafeModeDisconnected);
        Assert.Equal(2, good.Count);
        Assert.Equal(2, driver.Machine.ObserverFailures);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal("observer bug", f.Item2.Message));
    }

    [Fact]
    public async Task A_failing_audit_store_never_breaks_the_state_machine()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var backlog = driver.Machine.GetHistory().Count; // an audit store also receives the retained history
        using var _ = driver.Machine.AddAuditStore(new ThrowingAuditStore());
        driver.Fail(ComponentId.Risk, ReasonCode.RiskBreachHard).Expect(SystemMode.Halt);
        driver.Machine.ReleaseHalt(SystemDriver.Operator, "ok", acknowledge: [ReasonCode.RiskBreachHard]);
        await driver.Machine.FlushObserversAsync().WaitAsync(Timeout);
        driver.Expect(SystemMode.Recovering);
        Assert.Equal(backlog + 2, driver.Machine.ObserverFailures);
    }

    [Fact]
    public async Task Unsubscribed_observers_receive_nothing_more()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var received = new ConcurrentQueue<ModeTransition>();
        var subscription = driver.Machine.SubscribeTransitions(received.Enqueue);
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        await driver.Machine.FlushObserversAsync().WaitAsync(Timeout);
        subscription.Dispose();
        driver.Fail(ComponentId.Risk, ReasonCode.RiskTimeout);
        await driver.Machine.FlushObserversAsync().WaitAsync(Timeout);
        Assert.Single(received);
    }

    [Fact]
    public async Task Flush_waits_for_a_transition_that_is_being_handled()
    {
        using var driver = SystemDriver.Create().ToNormal();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        using var _ = driver.Machine.SubscribeTransitions(async (t, ct) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(ct);
            Interlocked.Increment(ref handled);
        });
        driver.Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        await entered.Task.WaitAsync(Timeout);
        var flush = driver.Machine.FlushObserversAsync();
        await Task.Yield();
        Assert.False(flush.IsCompleted);
        release.SetResult();
        await flush.WaitAsync(Timeout);
        Assert.Equal(1, Volatile.Read(ref handled));
    }

    private sealed class ThrowingAuditStore : IAuditStore
    {
        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) =>
            throw new IOException("audit database down");
    }
}
