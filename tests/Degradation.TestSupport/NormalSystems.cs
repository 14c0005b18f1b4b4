using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Degradation.Testing;

/// <summary>
/// Walks a system whose bus is not started (events processed with ProcessPending) from cold start to Normal
/// on a manual clock: heartbeat the critical components, pass the cold-start run's stages, wait out the
/// stability time.
/// </summary>
public static class NormalSystems
{
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    /// <summary>Creates a system on <paramref name="time"/> and drives it to Normal.</summary>
    public static DegradationSystem Create(FakeTimeProvider time, DegradationOptions? options = null, TimeSpan? heartbeatTtl = null)
    {
        var system = DegradationSystem.Create(options ?? new DegradationOptions(), time);
        DriveToNormal(system, time, heartbeatTtl);
        return system;
    }

    /// <summary>Drives <paramref name="system"/> from its cold-start run to Normal.</summary>
    /// <param name="system">A system whose bus is not started.</param>
    /// <param name="time">Its clock.</param>
    /// <param name="heartbeatTtl">The heartbeats' TTL; the component status TTL when null.</param>
    /// <param name="heartbeatAgain">Heartbeat the critical components again after the stability wait.</param>
    public static void DriveToNormal(DegradationSystem system, FakeTimeProvider time, TimeSpan? heartbeatTtl = null, bool heartbeatAgain = false)
    {
        Heartbeat(system, heartbeatTtl);
        var run = system.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("no recovery run");
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready));
        time.Advance(system.Options.Recovery.StablePeriod);
        if (heartbeatAgain) Heartbeat(system, heartbeatTtl);
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);
    }

    private static void Heartbeat(DegradationSystem system, TimeSpan? ttl)
    {
        foreach (var component in Critical) system.Heartbeat(component, ttl);
        system.Bus.ProcessPending();
    }
}
