using Degradation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Scoped gates: the firm-wide kill switch (the process scope) stops every venue, account and strategy at once.</summary>
public sealed class FirmWideHaltScenario : Scenario
{
    private static readonly string[] Paths = ["venue-a/acct-1/strat-x", "venue-b/acct-2/strat-y"];

    public override string Name => "firm-wide-halt";
    public override string Description => "a firm-wide halt stops every scope; none trades before the process has recovered";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["Halt:operator.halt", "Recovering/ConnectBroker:halt.released", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        using var scopes = new ScopeWatch(c);
        if (!await scopes.AddAsync(ct, Paths)) return;
        var env = c.Env;

        c.Fault("operator-7 pulls the firm-wide kill switch");
        var halt = env.StateMachine.Halt("operator-7", "firm-wide stop");
        c.Expect(halt.Accepted, $"the halt was refused: {halt.Message}");
        foreach (var scope in env.System.Scopes.GetScopes())
        {
            var gate = env.Gate.For(scope);
            c.Expect(!gate.Allows(ActionType.Send) && !gate.Allows(ActionType.Cancel) && gate.Mode == SystemMode.Halt,
                $"{scope.DisplayPath} was not halted (effective {gate.Mode})");
        }

        await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
        c.Cleared("operator-7 releases the firm-wide halt");
        var release = env.StateMachine.ReleaseHalt("operator-7", "all clear");
        c.Expect(release.Accepted, $"the release was refused: {release.Message}");
        foreach (var path in Paths) scopes.ExpectGate(path, open: false, "right after the firm-wide release (the process recovers first)");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
        foreach (var path in Paths) scopes.ExpectGate(path, open: true, "once the process is Normal again");
        await scopes.CompareAsync(new Dictionary<string, string[]>(), ct);
    }
}
