using Degradation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>A hard risk limit is breached: Halt at once, sticky until an operator releases it.</summary>
public sealed class HardRiskBreachScenario : Scenario
{
    public override string Name => "risk-breach";
    public override string Description => "hard risk limit breached: Halt, operator release, recovery";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["Halt:risk.breach_hard", "Recovering/ConnectBroker:halt.released", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        env.Risk.BreachHardLimit();
        c.Fault("risk service reports a hard limit breach (risk.breach_hard, must-deliver)");
        c.PublishMustDeliver(() => env.System.ReportFailure(ComponentId.Risk, ReasonCode.RiskBreachHard, "gross exposure above the hard limit"));
        await c.DelayAsync(TimeSpan.FromSeconds(40), ct);
        c.Expect(env.Gate.Mode == SystemMode.Halt, $"Halt did not stick: mode is {env.Gate.Mode} after 40 s");
        env.Risk.ClearBreach();
        env.Strategy.ClearFence();
        c.Cleared("operator reduces exposure and releases the Halt");
        var released = env.StateMachine.ReleaseHalt("operator-1", "exposure reduced below the limit", acknowledge: [ReasonCode.RiskBreachHard]);
        c.Expect(released.Accepted, $"the release was refused: {released.Message}");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
