namespace Degradation.Tests.Scopes;

/// <summary>
/// The effective gate of a scope is the strictest of its own mode and every ancestor's: a condition closes its scope and
/// everything under it and nothing beside or above it; every path that could open a scope is tried wrongly.
/// </summary>
public class ScopeGateTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_new_scope_starts_cold_and_stays_closed_until_its_own_recovery_lands_even_under_a_normal_process()
    {
        await using var kit = ScopeKit.Normal();
        var venue = kit.Scopes.Add("venue-a");

        Assert.False(kit.Gate.For(venue).Allows(ActionType.Send));
        Assert.Equal(SystemMode.Recovering, kit.Gate.For(venue).Mode);
        Assert.Same(venue, venue.Snapshot.Governing);
        Assert.True(kit.Gate.Allows(ActionType.Send)); // the process is not affected

        kit.DriveToNormal(venue);
        Assert.True(kit.Gate.For(venue).Allows(ActionType.Send));
        Assert.Equal(SystemMode.Normal, kit.Gate.For(venue).Mode);
    }

    [Fact]
    public async Task Every_scope_is_closed_while_the_process_cold_starts_even_if_the_scope_itself_is_normal()
    {
        await using var kit = ScopeKit.Create();
        var venue = kit.Scopes.Add("venue-a");
        kit.DriveToNormal(venue);

        Assert.Equal(SystemMode.Normal, venue.StateMachine.Mode);
        Assert.False(kit.Gate.For(venue).Allows(ActionType.Send));
        Assert.Equal(SystemMode.Recovering, kit.Gate.For(venue).Mode);
        Assert.True(kit.Gate.For(venue).Snapshot.Governing.IsProcess);

        kit.DriveToNormal(kit.Scopes.Root);
        Assert.True(kit.Gate.For(venue).Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_venue_disconnect_closes_that_venue_and_everything_under_it_and_nothing_else()
    {
        await using var kit = ScopeKit.Normal();
        var venueA = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        var strategyA = kit.AddOpen("venue-a/acct-1/strat-x");
        var venueB = kit.AddOpen("venue-b", new ScopeOptions().WithCritical("broker"));
        var strategyB = kit.AddOpen("venue-b/acct-2/strat-y");

        venueA.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect); // must-deliver: applied before Publish returns

        Assert.False(kit.Gate.For(venueA).Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeModeDisconnected, kit.Gate.For(venueA).Mode);
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Send));
        Assert.False(kit.Gate.For(strategyA).Allows(ActionType.Cancel));
        Assert.Same(venueA, strategyA.Snapshot.Governing);
        Assert.Equal(PermissionMatrix.DisconnectedRejected, kit.Gate.For(strategyA).Check(ActionType.Send).Advice);
        Assert.Equal(SystemMode.Normal, strategyA.StateMachine.Mode); // its own authority is untouched

        Assert.True(kit.Gate.For(venueB).Allows(ActionType.Send));
        Assert.True(kit.Gate.For(strategyB).Allows(ActionType.Send));
        Assert.True(kit.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task The_same_component_name_in_two_venues_is_two_components()
    {
        await using var kit = ScopeKit.Normal();
        var venueA = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        var venueB = kit.AddOpen("venue-b", new ScopeOptions().WithCritical("broker"));

        venueA.ReportFailure(ComponentId.Broker, ReasonCode.MarketDataStale);
        venueA.Bus.ProcessPending();

        Assert.Single(venueA.StateMachine.GetComponent(ComponentId.Broker)!.Conditions);
        Assert.Empty(venueB.StateMachine.GetComponent(ComponentId.Broker)!.Conditions);
        Assert.Empty(kit.System.StateMachine.GetComponent(ComponentId.Broker)!.Conditions);
    }

    [Fact]
    public async Task A_firm_wide_halt_closes_every_scope_and_its_release_reopens_none_before_the_process_recovers()
    {
        await using var kit = ScopeKit.Normal();
        var scopes = new[] { kit.AddOpen("venue-a/acct-1/strat-x"), kit.AddOpen("venue-b/acct-2") };

        Assert.True(kit.System.StateMachine.Halt("ops", "firm-wide kill switch").Accepted);
        foreach (var scope in kit.Scopes.GetScopes())
        {
            Assert.False(kit.Gate.For(scope).Allows(ActionType.Send), scope.DisplayPath);
            Assert.False(kit.Gate.For(scope).Allows(ActionType.Cancel), scope.DisplayPath);
            Assert.True(kit.Gate.For(scope).Allows(ActionType.Query), scope.DisplayPath);
            Assert.Equal(SystemMode.Halt, kit.Gate.For(scope).Mode);
            Assert.Equal(PermissionMatrix.HaltRejected, kit.Gate.For(scope).Check(ActionType.Send).Advice);
        }

        Assert.True(kit.System.StateMachine.ReleaseHalt("ops", "all clear").Accepted);
        Assert.Equal(SystemMode.Recovering, kit.Gate.Mode);
        foreach (var scope in scopes) Assert.False(kit.Gate.For(scope).Allows(ActionType.Send), scope.DisplayPath);

        kit.DriveToNormal(kit.Scopes.Root);
        foreach (var scope in scopes) Assert.True(kit.Gate.For(scope).Allows(ActionType.Send), scope.DisplayPath);
    }

    [Fact]
    public async Task An_operator_halt_of_one_strategy_stops_it_alone()
    {
        await using var kit = ScopeKit.Normal();
        var halted = kit.AddOpen("venue-a/acct-1/strat-x");
        var sibling = kit.AddOpen("venue-a/acct-1/strat-y");
        var account = kit.Gate.Resolve("venue-a/acct-1");

        Assert.True(halted.StateMachine.Halt("ops", "runaway strategy").Accepted);

        Assert.False(kit.Gate.For(halted).Allows(ActionType.Send));
        Assert.Equal(SystemMode.Halt, kit.Gate.For(halted).Mode);
        Assert.True(kit.Gate.For(sibling).Allows(ActionType.Send));
        Assert.True(kit.Gate.For(account).Allows(ActionType.Send));
        Assert.True(kit.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task Forcing_a_scope_normal_cannot_open_it_under_a_closed_ancestor()
    {
        await using var kit = ScopeKit.Normal();
        var venue = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        venue.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        strategy.StateMachine.ForceMode(SystemMode.Normal, Ttl, "ops", "trying to trade around the outage");

        Assert.Equal(SystemMode.Normal, strategy.StateMachine.Mode);
        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeModeDisconnected, kit.Gate.For(strategy).Mode);
    }

    [Fact]
    public async Task Releasing_an_ancestor_reopens_a_scope_only_when_its_own_mode_allows()
    {
        await using var kit = ScopeKit.Normal();
        var account = kit.AddOpen("venue-a/acct-1");
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        Assert.True(account.StateMachine.Halt("ops", "account review").Accepted);
        Assert.True(strategy.StateMachine.ForceMode(SystemMode.SafeMode, Ttl, "ops", "strategy review").Accepted);

        Assert.True(account.StateMachine.ReleaseHalt("ops", "review done").Accepted);
        Assert.False(kit.Gate.For(account).Allows(ActionType.Send)); // released into Recovering, not straight back to trading
        kit.DriveToNormal(account);

        Assert.True(kit.Gate.For(account).Allows(ActionType.Send));
        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Send));
        Assert.True(kit.Gate.For(strategy).Allows(ActionType.ReduceOnly));
        Assert.Equal(SystemMode.SafeMode, kit.Gate.For(strategy).Mode);
        Assert.Same(strategy, strategy.Snapshot.Governing);
    }

    [Fact]
    public async Task An_override_expiry_in_a_scope_does_not_open_it_past_its_conditions()
    {
        await using var kit = ScopeKit.Normal();
        var venue = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        venue.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var refused = venue.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(5), "ops", "let it trade");
        Assert.Equal(OperatorRefusal.AcknowledgementRequired, refused.Refusal);
        Assert.False(kit.Gate.For(venue).Allows(ActionType.Send));
        Assert.True(venue.StateMachine.ForceMode(SystemMode.Normal, TimeSpan.FromSeconds(5), "ops", "let it trade", acknowledge: [ReasonCode.BrokerDisconnect]).Accepted);
        Assert.True(kit.Gate.For(venue).Allows(ActionType.Send)); // the operator's (audited) decision

        kit.Time.Advance(TimeSpan.FromSeconds(6));
        venue.StateMachine.Tick();

        Assert.False(kit.Gate.For(venue).Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeModeDisconnected, kit.Gate.For(venue).Mode);
    }

    [Fact]
    public async Task Degraded_limits_and_advice_of_an_ancestor_reach_its_descendants()
    {
        await using var kit = ScopeKit.Normal();
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        var venue = kit.Gate.Resolve("venue-a");

        venue.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataQualityLow);
        venue.Bus.ProcessPending();

        var decision = kit.Gate.For(strategy).Check(ActionType.Open);
        Assert.True(decision.Allowed);
        Assert.Equal(SystemMode.Degraded, decision.Mode);
        Assert.Equal(PermissionMatrix.DegradedOpenAdvice, decision.Advice);
        Assert.Equal(50, decision.Limits?.MaxOrderQuantity);
        Assert.Same(venue, strategy.Snapshot.Governing);
    }

    [Fact]
    public async Task Policy_denials_of_the_process_apply_in_every_scope()
    {
        await using var kit = ScopeKit.Normal(o => o.DeniedActions[SystemMode.Degraded] = [ActionType.Open]);
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        strategy.StateMachine.ForceMode(SystemMode.Degraded, Ttl, "ops", "limit it");

        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Open));
        Assert.Equal(PermissionMatrix.PolicyRejected, kit.Gate.For(strategy).Check(ActionType.Open).Advice);
        Assert.True(kit.Gate.For(strategy).Allows(ActionType.Send));
    }

    [Fact]
    public async Task An_undefined_action_is_refused_in_every_scope()
    {
        await using var kit = ScopeKit.Normal();
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        Assert.False(kit.Gate.For(strategy).Allows((ActionType)6));
        Assert.False(kit.Gate.For(strategy).Check((ActionType)200).Allowed);
        Assert.Equal(PermissionMatrix.UnknownActionRejected, kit.Gate.For(strategy).Check((ActionType)6).Advice);
    }

    [Fact]
    public async Task The_scoped_hot_path_allocates_nothing()
    {
        await using var kit = ScopeKit.Normal();
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        var gate = kit.Gate;
        var allowed = 0;
        for (var i = 0; i < 1000; i++) allowed += gate.For(strategy).Allows(ActionType.Send) ? 1 : 0; // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            allowed += gate.For(strategy).Allows(ActionType.Send) ? 1 : 0;
            allowed += gate.For(strategy).Check(ActionType.Cancel).Allowed ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(21_000, allowed);
    }
}
