namespace Degradation.Tests.Scenarios;

/// <summary>
/// An infrastructure outage, end to end: trading loop → broker probe fails → gate closes within the detection
/// bound → orders refused, cancels per the matrix → broker back → reconnect, reconcile, cache invalidation and ordered
/// replay in stage order → Normal. Variants: a reconciliation mismatch halts; recovery failing every attempt halts.
/// </summary>
public class InfraOutageScenarioTests
{
    /// <summary>
    /// Detection bound: FailThresholdCount (3) × probe interval (1 s) = 3 s. The first failing round comes within one
    /// interval of the outage; the next two come at the shorter unhealthy interval, so detection takes at most 2 s here.
    /// </summary>
    private static readonly TimeSpan DetectionBound = 3 * OutageHarness.ProbeInterval;

    private static async Task<(OutageHarness Harness, TimeSpan ClosedAt)> StartOutage(Action<DegradationOptions>? configure = null)
    {
        var h = new OutageHarness(configure);
        await h.StartAsync();
        h.RunFor(TimeSpan.FromSeconds(3));
        Assert.All(h.RefusedOrders, r => Assert.NotEqual(SystemMode.Normal, r.Mode));
        Assert.Contains(h.SentOrders, o => o.Mode == SystemMode.Normal);

        h.Broker.Up = false;
        var detection = h.RunUntil(() => h.System.Gate.Mode == SystemMode.SafeModeDisconnected, DetectionBound);
        Assert.True(detection <= DetectionBound, $"gate closed after {detection}, bound {DetectionBound}");
        var closedAt = h.Now;

        // Writes that could not reach their store during the outage, in the order they happened.
        foreach (var write in new[] { "fill:ord-1", "position:AAPL", "pnl:day" }) h.WriteBuffer.Enqueue(write);
        return (h, closedAt);
    }

    [Fact]
    public async Task Broker_outage_closes_the_gate_in_time_refuses_orders_and_recovers_in_stage_order_to_Normal()
    {
        var (h, closedAt) = await StartOutage();
        await using var _ = h;
        var sentBeforeOutage = h.SentOrders.Count;
        var (reconnects, invalidations) = (h.Broker.Reconnects, h.Positions.Invalidations); // the cold-start run did both once

        h.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(sentBeforeOutage, h.SentOrders.Count); // every order refused while disconnected
        Assert.All(h.RefusedOrders.Where(r => r.At >= closedAt), r => Assert.Contains("disconnected", r.Advice));
        var cancel = h.CancelDecisions[^1];
        Assert.Equal((SystemMode.SafeModeDisconnected, false), (cancel.Mode, cancel.Allowed));
        Assert.Contains("disconnected", cancel.Advice);
        var cached = h.Positions.Answer("AAPL", h.System.Gate); // queries are answered from cache, saying how stale
        Assert.True(cached.CacheOnly && cached.Found);
        Assert.True(cached.Reading.Age >= TimeSpan.FromSeconds(5));

        h.Broker.Up = true;
        h.RunUntil(() => h.System.Gate.Mode != SystemMode.SafeModeDisconnected, TimeSpan.FromSeconds(40));
        var leftAt = h.Now;
        Assert.True(leftAt - closedAt >= TimeSpan.FromSeconds(30), $"left SafeModeDisconnected after {leftAt - closedAt}, SafeMode:MinDwell is 30 s");
        Assert.True(leftAt - closedAt <= TimeSpan.FromSeconds(30) + OutageHarness.StepSize);
        Assert.Equal(SystemMode.Recovering, h.System.Gate.Mode);

        var run = h.System.StateMachine.ActiveRecoveryRun!.Value;
        var outcome = await h.Recovery.WhenRunFinishedAsync(run).Within();
        Assert.Equal((RecoveryRunStatus.Completed, RecoveryTrigger.Auto), (outcome.Status, outcome.Trigger));
        Assert.Equal(
        [
            "reconnect@ConnectBroker send=False cancel=False",
            "reconcile@ConnectBroker send=False cancel=False",
            "invalidate caches@CatchupMarketData send=False cancel=False",
            "replay@VerifyRisk send=False cancel=True",
            "verify risk@VerifyRisk send=False cancel=True",
        ], h.Log);
        Assert.Equal(["fill:ord-1", "position:AAPL", "pnl:day"], h.Replayed);
        Assert.Equal(reconnects + 1, h.Broker.Reconnects);
        Assert.Equal(invalidations + 1, h.Positions.Invalidations);

        h.RunUntil(() => h.System.Gate.Mode == SystemMode.Normal, TimeSpan.FromSeconds(11));
        h.Step();
        Assert.Equal(SystemMode.Normal, h.SentOrders[^1].Mode); // trading resumed
        Assert.True(h.Positions.TryGet("AAPL", out var fresh) && !fresh.IsStale);
    }

    [Fact]
    public async Task A_reconciliation_mismatch_after_the_outage_halts()
    {
        var (h, _) = await StartOutage();
        await using var _ = h;
        h.Broker.Positions["AAPL"] = 60; // an order filled during the outage that we never heard about

        h.Broker.Up = true;
        h.RunUntil(() => h.System.Gate.Mode == SystemMode.Recovering, TimeSpan.FromSeconds(40));
        var outcome = await h.Recovery.WhenRunFinishedAsync(h.System.StateMachine.ActiveRecoveryRun!.Value).Within();
        h.Step();

        Assert.Equal(RecoveryRunStatus.Fatal, outcome.Status);
        Assert.Equal(SystemMode.Halt, h.System.Gate.Mode);
        Assert.Equal(ReasonCode.BrokerMismatch, h.System.Gate.Snapshot.Reason);
        Assert.Contains("AAPL: local 100, broker 60", outcome.Details);
        Assert.Empty(h.Replayed); // nothing after the failed stage ran
        Assert.Contains("halted", h.RefusedOrders[^1].Advice);
        Assert.False(h.CancelDecisions[^1].Allowed);

        h.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(SystemMode.Halt, h.System.Gate.Mode); // sticky until an operator releases it
    }

    [Fact]
    public async Task Recovery_failing_MaxRecoveryAttempts_times_halts()
    {
        var (h, _) = await StartOutage(o => { o.Recovery.MaxAttempts = 3; o.Recovery.BackoffBase = TimeSpan.FromSeconds(1); });
        await using var _ = h;
        h.Broker.RejectLogin = true;

        h.Broker.Up = true;
        h.RunUntil(() => h.System.Gate.Mode == SystemMode.Recovering, TimeSpan.FromSeconds(40));
        var run = h.System.StateMachine.ActiveRecoveryRun!.Value;
        var delays = new List<TimeSpan>();
        for (var i = 1; i <= 2; i++)
        {
            var backoff = await h.Progress.WaitFor(p => p.Kind == RecoveryProgressKind.BackoffScheduled && p.Run == run, i);
            delays.Add(backoff.Delay!.Value);
            h.Time.Advance(backoff.Delay.Value);
        }
        var outcome = await h.Recovery.WhenRunFinishedAsync(run).Within();
        h.Step();

        Assert.Equal([1000, 2000], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(RecoveryRunStatus.Failed, outcome.Status);
        Assert.Equal(3, h.Log.Count(l => l.StartsWith("reconnect", StringComparison.Ordinal)));
        Assert.Equal(SystemMode.Halt, h.System.Gate.Mode);
        Assert.Equal(ReasonCode.RecoveryFailed, h.System.Gate.Snapshot.Reason);
        Assert.Contains("halted", h.RefusedOrders[^1].Advice);
    }
}
