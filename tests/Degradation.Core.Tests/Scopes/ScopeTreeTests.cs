namespace Degradation.Tests.Scopes;

/// <summary>Configuring the scope tree: paths, levels, ancestors, resolution and the errors that name the bad value.</summary>
public class ScopeTreeTests
{
    [Fact]
    public async Task Adding_a_strategy_creates_its_venue_and_account_with_their_levels()
    {
        await using var kit = ScopeKit.Create();
        var strategy = kit.Scopes.Add("venue-a/acct-1/strat-x");

        Assert.Equal("strat-x", strategy.Name);
        Assert.Equal(ScopeLevel.Strategy, strategy.Level);
        Assert.Equal("venue-a/acct-1", strategy.Parent!.Path);
        Assert.Equal(ScopeLevel.Account, strategy.Parent.Level);
        Assert.Equal(ScopeLevel.Venue, strategy.Parent.Parent!.Level);
        Assert.Same(kit.Scopes.Root, strategy.Parent.Parent.Parent);
        Assert.Equal(4, kit.Scopes.Count);
        Assert.Same(strategy, kit.Gate.Resolve("venue-a/acct-1/strat-x"));
        Assert.Same(kit.Scopes.Root, kit.Gate.Resolve(""));
        Assert.True(strategy.IsWithin(kit.Scopes.Root));
        Assert.Equal(["", "venue-a", "venue-a/acct-1", "venue-a/acct-1/strat-x"], kit.Scopes.GetScopes().Select(s => s.Path));
    }

    [Fact]
    public async Task Each_scope_has_its_own_state_machine_and_the_process_scope_is_the_system()
    {
        await using var kit = ScopeKit.Create();
        var a = kit.Scopes.Add("venue-a");
        var b = kit.Scopes.Add("venue-b");

        Assert.Same(kit.System.StateMachine, kit.Scopes.Root.StateMachine);
        Assert.Same(kit.System.Bus, kit.Scopes.Root.Bus);
        Assert.NotSame(a.StateMachine, b.StateMachine);
        Assert.NotSame(a.StateMachine, kit.System.StateMachine);
        Assert.NotNull(a.Recovery);
        Assert.Null(kit.Scopes.Root.Recovery);
    }

    [Theory]
    [InlineData("/venue-a", "empty name")]
    [InlineData("venue-a/", "empty name")]
    [InlineData("venue-a//acct", "empty name")]
    [InlineData("a/b/c/d", "4 levels deep")]
    [InlineData("venue a", "character ' '")]
    [InlineData("venue?x", "character '?'")]
    public async Task A_malformed_path_is_refused_with_a_message_naming_it(string path, string expected)
    {
        await using var kit = ScopeKit.Create();
        var add = Assert.Throws<ArgumentException>(() => kit.Scopes.Add(path));
        Assert.Contains(path, add.Message);
        Assert.Contains(expected, add.Message);
        Assert.Equal("path", add.ParamName);
        var resolve = Assert.Throws<ArgumentException>(() => kit.Gate.Resolve(path));
        Assert.Contains(expected, resolve.Message);
    }

    [Fact]
    public async Task Resolving_an_unconfigured_scope_fails_and_names_it()
    {
        await using var kit = ScopeKit.Create();
        kit.Scopes.Add("venue-a");
        var error = Assert.Throws<ArgumentException>(() => kit.Gate.Resolve("venue-b"));
        Assert.Contains("'venue-b' is not configured", error.Message);
        Assert.False(kit.Scopes.TryResolve("venue-b", out _));
    }

    [Fact]
    public async Task The_process_scope_cannot_be_added_and_options_cannot_be_changed()
    {
        await using var kit = ScopeKit.Create();
        Assert.Throws<ArgumentException>(() => kit.Scopes.Add(""));
        var venue = kit.Scopes.Add("venue-a", new ScopeOptions().WithCritical("broker"));
        Assert.Same(venue, kit.Scopes.Add("venue-a"));
        var error = Assert.Throws<InvalidOperationException>(() => kit.Scopes.Add("venue-a", new ScopeOptions()));
        Assert.Contains("venue-a", error.Message);
    }

    [Fact]
    public async Task A_scope_of_another_system_is_refused_by_For()
    {
        await using var kit = ScopeKit.Create();
        await using var other = ScopeKit.Create();
        var foreign = other.Scopes.Add("venue-a");
        var error = Assert.Throws<ArgumentException>(() => kit.Gate.For(foreign));
        Assert.Contains("venue-a", error.Message);
        Assert.Throws<ArgumentNullException>(() => kit.Gate.For(null!));
    }

    [Fact]
    public async Task A_scope_owns_only_the_components_it_lists()
    {
        await using var kit = ScopeKit.Create();
        var venue = kit.Scopes.Add("venue-a", new ScopeOptions().WithCritical("broker"));
        var strategy = kit.Scopes.Add("venue-a/acct-1/strat-x");

        Assert.True(venue.StateMachine.Policy.GetComponent(ComponentId.Broker)!.Critical);
        Assert.False(venue.StateMachine.Policy.GetComponent(ComponentId.Risk)!.Critical);
        Assert.False(strategy.StateMachine.Policy.GetComponent(ComponentId.Broker)!.Critical);
        // Thresholds are the process's.
        Assert.Equal(kit.System.Policy.RecoveryStable, venue.StateMachine.Policy.RecoveryStable);
        Assert.Equal(kit.System.Policy.MaxOverride, strategy.StateMachine.Policy.MaxOverride);
    }
}
