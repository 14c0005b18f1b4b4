using Degradation;
using Degradation.Events;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>After a reconnect, the recovery run's position reconciliation finds the broker disagrees: broker.mismatch → Halt.</summary>
public sealed class PositionMismatchScenario : Scenario
{
    public override string Name => "position-mismatch";
    public override string Description => "reconnect, reconciliation finds a position mismatch: Halt until released";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
    [
        "SafeModeDisconnected:broker.disconnect", "Recovering/ConnectBroker:broker.reconnected", "Recovering/CatchupMarketData",
        "Recovering/VerifyRisk", "Halt:broker.mismatch", "Recovering/ConnectBroker:halt.released", .. ScenarioCatalog.RecoveryToNormal,
    ];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        env.Broker.Fault.Set(FaultKind.Down);
        env.Broker.InjectPositionMismatch(3);
        c.Fault("broker drops the connection; a fill during the outage never reaches the book");
        c.PublishMustDeliver(() => env.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "connection lost"));
        await c.DelayAsync(TimeSpan.FromSeconds(5), ct);
        env.Broker.Fault.Clear();
        c.Log("broker reconnects; the recovery run reconciles positions");
        env.System.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, "session re-established");
        await c.WaitForModeAsync(SystemMode.Halt, ct);
        await c.DelayAsync(TimeSpan.FromSeconds(10), ct);
        c.Expect(env.Gate.Mode == SystemMode.Halt, $"Halt did not stick: mode is {env.Gate.Mode}");
        env.Broker.ClearMismatch();
        env.Strategy.ClearFence();
        c.Cleared("operator books the missing fill and releases the Halt");
        var released = env.StateMachine.ReleaseHalt("operator-1", "missing fill booked, positions agree", acknowledge: [ReasonCode.BrokerMismatch]);
        c.Expect(released.Accepted, $"the release was refused: {released.Message}");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
