namespace Degradation.Tests.Scopes;

/// <summary>Transitions, audit entries and observers carry the scope they happened in.</summary>
public class ScopeAuditTests
{
    [Fact]
    public async Task Scope_transitions_reach_observers_and_audit_stores_stamped_with_their_scope()
    {
        await using var kit = ScopeKit.Normal();
        var seen = new List<ScopeTransition>();
        using var subscription = kit.Scopes.SubscribeTransitions(t => { lock (seen) seen.Add(t); });
        var trail = new AuditTrail(kit.Time);
        kit.Scopes.AddAuditStore(trail);
        var strategy = kit.AddOpen("venue-a/acct-1/strat-x"); // added after subscribing: covered too

        strategy.StateMachine.ForceMode(SystemMode.Halt, TimeSpan.FromMinutes(5), "ops", "runaway strategy");
        kit.System.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "ops", "firm drill");
        foreach (var scope in kit.Scopes.GetScopes()) await scope.StateMachine.FlushObserversAsync();

        ScopeTransition halt;
        lock (seen) halt = Assert.Single(seen, t => t.Transition.To == SystemMode.Halt);
        Assert.Same(strategy, halt.Scope);
        Assert.Equal("venue-a/acct-1/strat-x", halt.Transition.Scope);
        Assert.Equal("ops", halt.Transition.OperatorId);
        lock (seen) Assert.Contains(seen, t => t.Scope.IsProcess && t.Transition.To == SystemMode.SafeMode && t.Transition.Scope is null);
        Assert.StartsWith("[venue-a/acct-1/strat-x] ", halt.Transition.ToString());

        var entry = Assert.Single(trail.GetEntries(), e => e.Record.To == "Halt");
        Assert.StartsWith("scope venue-a/acct-1/strat-x; ", entry.Record.Details);
        Assert.DoesNotContain(trail.GetEntries(), e => e.Record.Reason == ReasonCode.ForceOverride.Value && e.Record.To == "SafeMode"); // the process keeps its own store
        Assert.True(trail.Verify().IsValid);
    }
}
