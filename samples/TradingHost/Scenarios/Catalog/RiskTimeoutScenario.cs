using Degradation;
using Degradation.Probes;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>The risk service hangs: each probe call times out, and risk.timeout is reported after RiskTimeoutConsecutiveCount of them.</summary>
public sealed class RiskTimeoutScenario : Scenario
{
    public override string Name => "risk-timeout";
    public override string Description => "risk service hangs; risk.timeout after RiskTimeoutConsecutiveCount timeouts in a row";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["SafeMode:risk.timeout", "Recovering/ConnectBroker", .. ScenarioCatalog.RecoveryToNormal];

    /// <summary>Different from FailThresholdCount (3), so the report shows which rule fired.</summary>
    public const int TimeoutsRequired = 4;

    public override void Configure(DegradationOptions options) => options.RiskTimeoutConsecutiveCount = TimeoutsRequired;

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        var env = c.Env;
        ProbeObservation? verdict = null;
        void OnObserved(ProbeObservation o)
        {
            if (o.Component == ComponentId.Risk && o.Verdict == ProbeVerdict.Failure) verdict ??= o;
        }
        env.Probes.Observed += OnObserved;
        try
        {
            await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
            c.Fault("risk service stops answering (calls hang)");
            env.Risk.Fault.Set(FaultKind.Hang);
            await c.WaitForModeAsync(SystemMode.SafeMode, ct);
            var required = env.System.Options.RiskTimeoutConsecutiveCount;
            c.Expect(verdict is { TimedOut: true } v && v.StreakFailures == required && v.Reason == ReasonCode.RiskTimeout,
                $"the risk failure was reported as '{verdict?.Reason}' after {verdict?.StreakFailures} failures (timed out: {verdict?.TimedOut}), expected risk.timeout after {required} timeouts");
            c.Result.Notes.Add($"risk.timeout reported on timeout #{verdict?.StreakFailures} (RiskTimeoutConsecutiveCount = {required})");
            await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
            env.Risk.Fault.Clear();
            c.Cleared("risk service answers again");
            await c.WaitForModeAsync(SystemMode.Normal, ct);
        }
        finally
        {
            env.Probes.Observed -= OnObserved;
        }
    }
}
