using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Acceptance;

/// <summary>End to end: cold start to Normal, a broker disconnect, and a full event bus.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task test_cold_start_to_normal_flow()
    {
        // The recovery steps are the staged recovery run (docs/RULES.md, Recovery).
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var services = DegradationSystem.Create(new DegradationOptions(), time);
        Assert.Equal(SystemMode.Recovering, services.StateMachine.Mode);

        foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) services.Heartbeat(c);
        services.Bus.ProcessPending();
        var run = services.StateMachine.ActiveRecoveryRun!.Value;
        foreach (var stage in new[] { RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready })
            Assert.True(services.StateMachine.TryAdvanceStage(run, stage));
        time.Advance(services.Options.Recovery.StablePeriod);
        services.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, services.StateMachine.Mode);
        Assert.True(services.Gate.Allows(ActionType.Open));
    }

    [Fact]
    public async Task test_broker_disconnect_triggers_safe_mode()
    {
        await using var services = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        services.StateMachine.Apply(SystemEvent.Create(services.TimeProvider, EventType.FailCritical, ComponentId.Broker, ReasonCode.BrokerDisconnect));
        Assert.Equal(SystemMode.SafeModeDisconnected, services.StateMachine.Mode);
        Assert.Equal(SystemMode.SafeModeDisconnected, services.Gate.Mode);
    }

    [Fact]
    public async Task test_eventbus_drop_on_full()
    {
        await using var services = DegradationSystem.Create(new DegradationOptions { EventBus = { QueueSize = 1 } }, new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.True(services.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown));
        var result = services.Bus.Publish(EventType.FailSupport, ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        Assert.False(result);
        Assert.Equal(1, services.Bus.DroppedCount);
    }
}
