namespace Degradation.Tests.Scopes;

/// <summary>
/// Removing a scope: refused while the scope or a descendant holds a Halt or an override (unless forced), and a handle
/// that outlives the removal refuses every action for good, whatever the removed state machine or its ancestors do.
/// </summary>
public class ScopeRemovalTests
{
    private static readonly ActionType[] Actions = Enum.GetValues<ActionType>();

    [Fact]
    public async Task A_removed_scope_refuses_every_action_through_handles_taken_before_and_cannot_be_resolved()
    {
        await using var kit = ScopeKit.Normal();
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        var account = strategy.Parent!;
        var gate = kit.Gate.For(strategy);
        Assert.True(gate.Allows(ActionType.Send));

        Assert.True(await kit.Scopes.RemoveAsync("venue-a/acct-1"));

        foreach (var action in Actions)
        {
            Assert.False(gate.Allows(action));
            Assert.False(kit.Gate.For(account).Allows(action));
            Assert.False(gate.Check(action).Allowed);
        }
        Assert.True(strategy.IsRemoved);
        Assert.True(account.IsRemoved);
        Assert.False(kit.Scopes.TryResolve("venue-a/acct-1/strat-x", out _));
        Assert.Throws<ArgumentException>(() => kit.Gate.Resolve("venue-a/acct-1"));
        Assert.Equal(["", "venue-a"], kit.Scopes.GetScopes().Select(s => s.Path));
        Assert.True(kit.Gate.For(kit.Scopes.Resolve("venue-a")).Allows(ActionType.Send)); // the venue trades on
        Assert.False(await kit.Scopes.RemoveAsync("venue-a/acct-1")); // already gone
    }

    [Fact]
    public async Task Nothing_a_removed_scope_or_its_ancestors_do_afterwards_opens_its_handle()
    {
        await using var kit = ScopeKit.Normal();
        var account = kit.AddOpen("venue-a/acct-1");
        var venue = account.Parent!;
        var gate = kit.Gate.For(account);
        kit.System.StateMachine.Halt("ops-1", "firm-wide"); // everything closed while the account is removed
        Assert.True(await kit.Scopes.RemoveAsync("venue-a/acct-1"));

        kit.System.StateMachine.ReleaseHalt("ops-1", "over");
        kit.DriveToNormal(kit.Scopes.Root);
        venue.StateMachine.Halt("ops-1", "venue");
        venue.StateMachine.ReleaseHalt("ops-1", "venue over");
        kit.DriveToNormal(venue);
        try
        {
            account.Heartbeat(ComponentId.Broker);
            account.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromMinutes(5), "ops-2", "try");
            account.StateMachine.Tick();
        }
        catch (ObjectDisposedException)
        {
            // a disposed state machine may refuse outright; either way the handle must stay shut
        }
        var again = kit.AddOpen("venue-a/acct-1");

        Assert.True(kit.Gate.For(again).Allows(ActionType.Send)); // the new scope of that path trades...
        foreach (var action in Actions) Assert.False(gate.Allows(action)); // ...the old handle never does
        Assert.Equal(SystemMode.Halt, gate.Mode);
        Assert.Equal("scope.removed", gate.Check(ActionType.Send).Reason.Value);
    }

    [Fact]
    public async Task Removal_is_refused_while_the_scope_or_a_descendant_is_halted_or_overridden_and_forced_removal_goes_through()
    {
        await using var kit = ScopeKit.Normal();
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        var account = strategy.Parent!;
        var other = kit.AddOpen("venue-a/acct-2");
        strategy.StateMachine.Halt("ops-1", "runaway strategy");
        Assert.True(other.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "ops-1", "maintenance").Accepted);

        var venueError = await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Scopes.RemoveAsync("venue-a"));
        Assert.Contains("venue-a/acct-1/strat-x (halted)", venueError.Message);
        Assert.Contains("venue-a/acct-2 (override safe_mode)", venueError.Message);
        var accountError = await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Scopes.RemoveAsync("venue-a/acct-1"));
        Assert.Contains("strat-x", accountError.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Scopes.RemoveAsync("venue-a/acct-2"));
        // Nothing was removed by a refused removal.
        Assert.Equal(5, kit.Scopes.Count);
        Assert.False(account.IsRemoved);
        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Send));

        Assert.True(await kit.Scopes.RemoveAsync("venue-a", force: true));
        Assert.Equal(1, kit.Scopes.Count);
        foreach (var scope in new[] { strategy, account, other, account.Parent! })
            foreach (var action in Actions) Assert.False(kit.Gate.For(scope).Allows(action));
        Assert.True(kit.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task The_process_scope_cannot_be_removed_and_a_malformed_path_is_named()
    {
        await using var kit = ScopeKit.Normal();
        await Assert.ThrowsAsync<ArgumentException>(() => kit.Scopes.RemoveAsync(""));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => kit.Scopes.RemoveAsync("venue a"));
        Assert.Contains("venue a", error.Message);
        Assert.False(await kit.Scopes.RemoveAsync("venue-z"));
    }

    [Fact]
    public async Task Removing_a_started_scope_stops_its_recovery_and_bus()
    {
        await using var kit = ScopeKit.Normal();
        kit.System.Start();
        var venue = kit.Scopes.Add("venue-a");
        Assert.True(await kit.Scopes.RemoveAsync("venue-a"));
        Assert.False(venue.Bus.Publish(EventType.Heartbeat, ComponentId.Broker, ReasonCode.ComponentHeartbeat));
        Assert.False(kit.Gate.For(venue).Allows(ActionType.Query));
        await kit.System.StopAsync();
    }

    [Fact]
    public async Task The_health_report_lists_the_scopes_closed_at_their_own_level()
    {
        await using var kit = ScopeKit.Normal();
        var account = kit.AddOpen("venue-a/acct-1");
        kit.AddOpen("venue-a/acct-2/strat-y");
        account.StateMachine.Halt("ops-1", "runaway");

        var report = new HealthReporter(kit.System).Build();
        var closed = Assert.Single(report.ClosedScopes);
        Assert.Equal("venue-a/acct-1", closed.Path);
        Assert.Equal(ScopeLevel.Account, closed.Level);
        Assert.True(closed.Halted);
        Assert.Equal("ops-1", closed.OperatorHalt!.OperatorId);
        Assert.True(report.CanTrade);
        Assert.Contains("scope venue-a/acct-1: halt", report.ToString());
    }
}
