using Degradation;
using Degradation.Events;
using TradingHost.Simulation;

namespace TradingHost.Scenarios.Catalog;

/// <summary>Chaos test 1: the broker connection drops, trading stops at once, reconnect runs a full recovery.</summary>
public sealed class BrokerOutageScenario : Scenario
{
    public override string Name => "broker-outage";
    public override string Description => "broker connection lost, then reconnect (chaos test 1)";
    public override IReadOnlyList<string> ExpectedTransitions { get; } =
        ["SafeModeDisconnected:broker.disconnect", "Recovering/ConnectBroker:broker.reconnected", .. ScenarioCatalog.RecoveryToNormal];

    public override async Task RunAsync(ScenarioContext c, CancellationToken ct)
    {
        await c.DelayAsync(TimeSpan.FromSeconds(3), ct);
        var env = c.Env;
        env.Broker.Fault.Set(FaultKind.Down);
        c.Fault("broker drops the connection (its callback publishes broker.disconnect, must-deliver)");
        c.PublishMustDeliver(() => env.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "connection lost"));
        await c.DelayAsync(TimeSpan.FromSeconds(10), ct);
        c.Expect(env.Gate.Mode == SystemMode.SafeModeDisconnected, $"mode during the outage was {env.Gate.Mode}");
        env.Strategy.ClearFence();
        env.Broker.Fault.Clear();
        c.Cleared("broker reconnects (publishes broker.reconnected)");
        env.System.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, "session re-established");
        await c.WaitForModeAsync(SystemMode.Normal, ct);
    }
}
