using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Acceptance;

/// <summary>
/// Setting up a whole system: initialisation and the service getters are <see cref="DegradationSystem.Create"/> and its
/// properties (no global singletons).
/// </summary>
public class SystemSetupTests
{
    [Fact]
    public async Task test_init_creates_all_services()
    {
        await using var services = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.NotNull(services.StateMachine);
        Assert.NotNull(services.Gate);
        Assert.NotNull(services.Bus);
        Assert.Same(services.Gate, services.StateMachine.Gate);
    }

    [Fact]
    public async Task test_getters_return_initialized_services()
    {
        await using var services = DegradationSystem.Create();
        ITradingGate gate = services.Gate;
        Assert.NotNull(gate);
        Assert.NotNull(services.StateMachine);
        Assert.NotNull(services.Bus);
        Assert.Same(TimeProvider.System, services.TimeProvider);
        Assert.Empty(services.Options.Validate());
    }

    [Fact]
    public async Task test_cold_start_mode()
    {
        await using var services = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        Assert.Equal(SystemMode.Recovering, services.StateMachine.Mode);
    }

    [Fact]
    public async Task Start_drives_ticks_from_the_time_provider_and_StopAsync_is_clean()
    {
        var time = new ControlledTimeProvider(); // counts its pending timers
        await using var services = DegradationSystem.Create(new DegradationOptions(), time);
        services.Start();
        services.Start(); // idempotent
        Assert.True(services.Bus.IsRunning);
        foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) services.Heartbeat(c);
        await services.Bus.DrainAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var run = services.StateMachine.ActiveRecoveryRun!.Value;
        Assert.True(services.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(services.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(services.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready));
        time.Advance(TimeSpan.FromSeconds(10)); // the tick timer fires: no manual Tick()
        Assert.Equal(SystemMode.Normal, services.Gate.Mode);
        await services.StopAsync();
        Assert.False(services.Bus.IsRunning);
        Assert.Equal(0, time.PendingTimers);
    }
}
