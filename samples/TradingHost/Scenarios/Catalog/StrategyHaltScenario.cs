using Degradation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Scoped gates: an operator's kill switch stops one strategy; its sibling, its account and the process trade on.</summary>
public sealed class StrategyHaltScenario : Scenario
{
    private const string Halted = "venue-a/acct-1/strat-x", Sibling = "venue-a/acct-1/strat-y", Account = "venue-a/acct-1";

    public override string Name => "strategy-halt";
    public override string Description => "an operator halts one strategy; the rest of its account keeps trading";
    public override IReadOnlyList<string> ExpectedTransitions { get; } = [];

    public static readonly IReadOnlyDictionary<string, string[]> ExpectedScopeTransitions = new Dictionary<string, string[]>
    {
        [Halted] = ["Halt:operator.halt", "Recovering/ConnectBroker:halt.released", .. ScenarioCatalog.RecoveryToNormal],
    };

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        using var scopes = new ScopeWatch(c);
        if (!await scopes.AddAsync(ct, "venue-a", Halted, Sibling)) return;

        c.Log("operator-7 halts strat-x (kill switch, no TTL)");
        var halt = scopes[Halted].StateMachine.Halt("operator-7", "strategy sending runaway orders");
        c.Expect(halt.Accepted, $"the halt was refused: {halt.Message}");
        scopes.ExpectGate(Halted, open: false, "after the strategy halt");
        c.Expect(!scopes.Allows(Halted, ActionType.Cancel), "the halted strategy may still cancel");
        scopes.ExpectGate(Sibling, open: true, "after the strategy halt");
        scopes.ExpectGate(Account, open: true, "after the strategy halt");
        c.Expect(c.Env.Gate.Allows(ActionType.Send), "the process gate closed for one strategy's halt");

        await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
        scopes.ExpectGate(Halted, open: false, "5 s into the halt (no TTL)");

        c.Log("operator-7 releases strat-x: it recovers before it trades");
        var release = scopes[Halted].StateMachine.ReleaseHalt("operator-7", "strategy fixed");
        c.Expect(release.Accepted, $"the release was refused: {release.Message}");
        scopes.ExpectGate(Halted, open: false, "right after the release (Recovering)");
        await c.WaitUntilAsync(() => scopes.Allows(Halted), "strat-x to trade again", ct);
        await scopes.CompareAsync(ExpectedScopeTransitions, ct);
    }
}
