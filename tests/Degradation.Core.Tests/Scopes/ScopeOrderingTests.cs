namespace Degradation.Tests.Scopes;

/// <summary>
/// Fail-closed ordering: between any two publications of the tree's writer, no scope allows what an ancestor forbids.
/// Restrictions reach descendants first, relaxations reach ancestors first, and a change that tightens some actions
/// while loosening others publishes only the tightening first.
/// </summary>
public class ScopeOrderingTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private const byte ReduceQuery = (1 << (int)ActionType.ReduceOnly) | (1 << (int)ActionType.Query);

    [Fact]
    public async Task A_process_halt_reaches_every_scope_before_the_process_gate_and_its_release_the_process_first()
    {
        await using var kit = ScopeKit.Normal();
        kit.AddOpen("venue-a/acct-1/strat-x");
        kit.AddOpen("venue-b/acct-2/strat-y");
        using var checker = new PublicationChecker(kit.Scopes);

        Assert.True(kit.System.StateMachine.Halt("ops", "kill switch").Accepted);
        var haltPublications = checker.EffectivePublications.Count;
        Assert.True(kit.System.StateMachine.ReleaseHalt("ops", "all clear").Accepted);
        kit.DriveToNormal(kit.Scopes.Root);

        Assert.Empty(checker.Violations);
        Assert.Equal(kit.Scopes.Count, haltPublications); // each scope tightened once, in the same writer pass
        Assert.All(kit.Scopes.GetScopes(), s => Assert.True(kit.Gate.For(s).Allows(ActionType.Send), s.DisplayPath));
    }

    [Fact]
    public async Task A_change_that_tightens_some_actions_and_loosens_others_publishes_the_intersection_first()
    {
        // Degraded without Cancel → SafeMode: Send closes while Cancel opens.
        await using var kit = ScopeKit.Normal(o => o.DeniedActions[SystemMode.Degraded] = [ActionType.Cancel]);
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x");
        kit.System.StateMachine.ForceMode(SystemMode.Degraded, Ttl, "ops", "step 1");
        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Cancel));
        var before = strategy.Snapshot.AllowedMask;
        using var checker = new PublicationChecker(kit.Scopes);

        kit.System.StateMachine.ForceMode(SystemMode.SafeMode, Ttl, "ops", "step 2");

        Assert.Empty(checker.Violations);
        // (Replacing the override first records override_ended in the same mode: it republishes the same mask.)
        var strategyMasks = checker.EffectivePublications.Where(p => p.Scope == strategy).Select(p => p.Mask).SkipWhile(m => m == before).ToList();
        Assert.Equal([ReduceQuery, kit.Gate.Snapshot.AllowedMask], strategyMasks);
        Assert.True(kit.Gate.For(strategy).Allows(ActionType.Cancel));
        Assert.False(kit.Gate.For(strategy).Allows(ActionType.Send));
    }

    [Fact]
    public async Task A_venue_change_publishes_only_that_venues_subtree()
    {
        await using var kit = ScopeKit.Normal();
        var venueA = kit.AddOpen("venue-a", new ScopeOptions().WithCritical("broker"));
        kit.AddOpen("venue-a/acct-1/strat-x");
        kit.AddOpen("venue-b/acct-2/strat-y");
        using var checker = new PublicationChecker(kit.Scopes);

        venueA.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        Assert.Empty(checker.Violations);
        Assert.All(checker.EffectivePublications, p => Assert.True(p.Scope.IsWithin(venueA), p.Scope.DisplayPath));
        Assert.Equal(3, checker.EffectivePublications.Count);
    }
}
