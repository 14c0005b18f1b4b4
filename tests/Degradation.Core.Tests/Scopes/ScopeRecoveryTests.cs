namespace Degradation.Tests.Scopes;

/// <summary>Recovery per scope: a venue's reconnect runs that venue's staged recovery while the other venues keep trading.</summary>
public class ScopeRecoveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_venue_reconnect_runs_that_venues_recovery_steps_while_another_venue_keeps_trading()
    {
        await using var kit = ScopeKit.Normal();
        var venueA = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        var strategyA = kit.AddOpen("venue-a/acct-1/strat-x");
        var venueB = kit.AddOpen("venue-b", new ScopeOptions().WithCritical("broker"));
        var strategyB = kit.AddOpen("venue-b/acct-2/strat-y");
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var venueBSteps = 0;
        venueA.Recovery!.AddStep(RecoveryStage.ConnectBroker, "reconnect venue-a", async token =>
        {
            reconnecting.TrySetResult();
            await proceed.Task.WaitAsync(token);
        });
        venueB.Recovery!.AddStep(RecoveryStage.ConnectBroker, "reconnect venue-b", _ => { Interlocked.Increment(ref venueBSteps); return ValueTask.CompletedTask; });
        venueA.Recovery.Start();
        venueB.Recovery.Start();

        venueA.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));
        venueA.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        venueA.Bus.ProcessPending();
        var run = venueA.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("no run after the reconnect");
        await reconnecting.Task.WaitAsync(Wait);

        // Venue A is recovering (closed); venue B trades on.
        Assert.Equal(SystemMode.Recovering, kit.Gate.For(strategyA).Mode);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));
        Assert.True(kit.Gate.For(strategyB).Allows(ActionType.Send));
        Assert.True(kit.Gate.Allows(ActionType.Send));

        proceed.TrySetResult();
        var outcome = await venueA.Recovery.WhenRunFinishedAsync(run).WaitAsync(Wait);
        Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
        Assert.Contains("reconnect venue-a", outcome.StepsRun);
        Assert.Equal(RecoveryStage.Ready, venueA.StateMachine.Stage);
        Assert.True(kit.Gate.For(strategyA).Allows(ActionType.ReduceOnly));
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));

        kit.Time.Advance(TimeSpan.FromSeconds(kit.System.Options.RecoveryStableSeconds));
        kit.Scopes.Tick();
        Assert.True(kit.Gate.For(strategyA).Allows(ActionType.Send));
        Assert.Equal(0, Volatile.Read(ref venueBSteps));
        Assert.Null(venueB.StateMachine.ActiveRecoveryRun);
    }

    [Fact]
    public async Task Starting_the_system_starts_every_scopes_recovery_and_a_scope_added_later_too()
    {
        await using var kit = ScopeKit.Normal();
        var early = kit.Scopes.Add("venue-a");
        kit.System.Start();
        var late = kit.Scopes.Add("venue-b");

        foreach (var scope in new[] { early, late })
        {
            var run = scope.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException($"{scope}: no cold-start run");
            var outcome = await scope.Recovery!.WhenRunFinishedAsync(run).WaitAsync(Wait);
            Assert.Equal(RecoveryRunStatus.Completed, outcome.Status);
            Assert.Equal(RecoveryStage.Ready, scope.StateMachine.Stage);
        }
        await kit.System.StopAsync();
    }

    [Fact]
    public async Task A_venue_whose_reconnect_recovery_fails_is_halted_alone_and_only_an_acknowledged_release_reopens_it()
    {
        await using var kit = ScopeKit.Normal(o => o.MaxRecoveryAttempts = 1);
        var venueA = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        var strategyA = kit.AddOpen("venue-a/acct-1/strat-x");
        var strategyB = kit.AddOpen("venue-b/acct-2/strat-y");
        var failing = 1;
        venueA.Recovery!.AddStep(RecoveryStage.ConnectBroker, "reconnect venue-a", _ =>
            Volatile.Read(ref failing) == 1 ? throw new IOException("venue-a gateway refused the session") : ValueTask.CompletedTask);
        venueA.Recovery.Start();

        venueA.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        venueA.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected);
        venueA.Bus.ProcessPending();
        var run = venueA.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("no run after the reconnect");
        var outcome = await venueA.Recovery.WhenRunFinishedAsync(run).WaitAsync(Wait);
        Assert.Equal(RecoveryRunStatus.Failed, outcome.Status);
        venueA.Bus.ProcessPending();

        // Venue A is halted by its failed recovery; venue B and the process trade on, their state machines untouched.
        Assert.Equal(SystemMode.Halt, venueA.StateMachine.Mode);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));
        Assert.Equal(venueA, kit.Gate.For(strategyA).Snapshot.Governing);
        Assert.True(kit.Gate.For(strategyB).Allows(ActionType.Send));
        Assert.True(kit.Gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.Normal, kit.System.StateMachine.Mode);

        // Nothing short of an acknowledged Halt release opens venue A.
        Interlocked.Exchange(ref failing, 0);
        venueA.ReportRecovered(ComponentId.Broker);
        venueA.Heartbeat(ComponentId.Broker);
        venueA.Bus.ProcessPending();
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        kit.Scopes.Tick();
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));
        Assert.False(venueA.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try").Accepted);
        var unacknowledged = venueA.StateMachine.ReleaseHalt("ops-1", "gateway fixed");
        Assert.False(unacknowledged.Accepted);
        Assert.Equal(OperatorRefusal.AcknowledgementRequired, unacknowledged.Refusal);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));

        var released = venueA.StateMachine.ReleaseHalt("ops-1", "gateway fixed", acknowledge: [ReasonCode.RecoveryFailed]);
        Assert.True(released.Accepted);
        var again = venueA.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("no run after the release");
        Assert.Equal(RecoveryRunStatus.Completed, (await venueA.Recovery.WhenRunFinishedAsync(again).WaitAsync(Wait)).Status);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send)); // Ready is not trading yet
        kit.Time.Advance(TimeSpan.FromSeconds(kit.System.Options.RecoveryStableSeconds));
        kit.Scopes.Tick();
        Assert.True(kit.Gate.For(strategyA).Allows(ActionType.Send));
    }
}
