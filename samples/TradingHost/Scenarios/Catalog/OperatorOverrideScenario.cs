using Degradation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>An operator forces SafeMode for a TTL; at expiry the system re-derives its mode (through recovery).</summary>
public sealed class OperatorOverrideScenario : Scenario
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);

    public override string Name => "operator-override";
    public override string Description => "operator forces SafeMode for 20 s; the TTL expires back to the derived mode";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["SafeMode:force_override", "Recovering/ConnectBroker:override.expired", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        c.Fault($"operator-7 forces SafeMode for {Ttl.TotalSeconds:0} s");
        var forced = env.StateMachine.ForceMode(SystemMode.SafeMode, Ttl, "operator-7", "exchange maintenance window");
        c.Expect(forced.Accepted, $"the override was refused: {forced.Message}");
        var started = forced.Transition!;
        c.Expect(!env.Gate.Allows(ActionType.Send), "sends still allowed right after the override");
        await c.WaitUntilAsync(() => !env.StateMachine.IsOverrideActive, "the override to expire", ct);
        c.Cleared("override TTL expired", started.Timestamp + (long)(Ttl.TotalSeconds * env.Time.TimestampFrequency));
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
