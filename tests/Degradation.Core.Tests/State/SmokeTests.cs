using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.State;

public class SmokeTests
{
    [Fact]
    public async Task ColdStart_Recovery_Normal_Then_BrokerDisconnect_ClosesGate()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var system = DegradationSystem.Create(new DegradationOptions(), time);
        Assert.Equal(SystemMode.Recovering, system.Gate.Mode);
        Assert.Equal(RecoveryStage.ConnectBroker, system.Gate.Stage);
        Assert.False(system.Gate.Allows(ActionType.Send));

        foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) system.Heartbeat(c);
        system.Bus.ProcessPending();
        var run = system.StateMachine.ActiveRecoveryRun!.Value;
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready));
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Recovering, system.Gate.Mode);
        time.Advance(TimeSpan.FromSeconds(10));
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);
        Assert.True(system.Gate.Allows(ActionType.Send));

        Assert.True(system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect));
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.Contains("disconnected", system.Gate.Check(ActionType.Cancel).Advice);
    }
}
