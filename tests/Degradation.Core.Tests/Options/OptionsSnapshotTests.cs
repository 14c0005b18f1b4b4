using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Options;

/// <summary>
/// Options are validated once, at Create, and frozen: the caller's object can change afterwards without effect, and the
/// copy the system exposes refuses changes rather than ignoring them.
/// </summary>
public sealed class OptionsSnapshotTests
{
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    [Fact]
    public async Task Changing_the_options_after_Create_changes_nothing()
    {
        var options = new DegradationOptions();
        options.Components["news"] = new ComponentOptions { Critical = true, Category = "news" };
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider());

        options.Recovery.StablePeriod = TimeSpan.Zero;
        options.SafeMode = new SafeModeOptions { MinDwell = TimeSpan.Zero };
        options.Operator.MaxOverrideTtl = TimeSpan.FromDays(30);
        options.Components["news"].Critical = false;
        options.TradingLimits[SystemMode.Degraded].MaxOrderQuantity = 1_000_000;
        options.DeniedActions[SystemMode.Normal] = [ActionType.Open];
        options.Gate.CountDenials = true;

        Assert.Equal(TimeSpan.FromSeconds(10), system.Options.Recovery.StablePeriod);
        Assert.Equal(TimeSpan.FromSeconds(30), system.Options.SafeMode.MinDwell);
        Assert.Equal(TimeSpan.FromHours(1), system.Policy.MaxOverride);
        Assert.True(system.Policy.GetComponent(new ComponentId("news"))!.Critical);
        Assert.Equal(50m, system.Policy.GetLimits(SystemMode.Degraded)!.MaxOrderQuantity);
        Assert.False(system.Options.Gate.CountDenials);
        Assert.False(system.Gate.CountsDenials);
    }

    [Fact]
    public async Task The_snapshot_a_system_exposes_refuses_changes()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider());
        Assert.True(system.Options.IsFrozen);
        Assert.True(system.Options.Recovery.IsFrozen);
        var error = Assert.Throws<InvalidOperationException>(() => system.Options.Recovery.StablePeriod = TimeSpan.Zero);
        Assert.Contains("frozen", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => system.Options.SafeMode = new SafeModeOptions());
        Assert.Throws<InvalidOperationException>(() => system.Options.Operator.MaxOverrideTtl = TimeSpan.FromDays(1));
        Assert.Throws<InvalidOperationException>(() => system.Policy.GetComponent(ComponentId.Broker)!.Critical = false);
        Assert.Throws<InvalidOperationException>(() => system.Policy.GetLimits(SystemMode.Degraded)!.MaxOrderQuantity = null);
        Assert.Equal(TimeSpan.FromSeconds(10), system.Options.Recovery.StablePeriod);
    }

    [Fact]
    public async Task The_callers_options_stay_writable_and_can_create_a_second_system()
    {
        var options = new DegradationOptions();
        await using var first = DegradationSystem.Create(options, new FakeTimeProvider());
        Assert.False(options.IsFrozen);
        options.Recovery.StablePeriod = TimeSpan.FromSeconds(1);
        await using var second = DegradationSystem.Create(options, new FakeTimeProvider());
        Assert.Equal(TimeSpan.FromSeconds(1), second.Options.Recovery.StablePeriod);
    }

    [Fact]
    public async Task Shortening_the_dwell_on_the_callers_options_after_Create_does_not_open_the_gate_early()
    {
        var time = new FakeTimeProvider();
        var options = new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } };
        await using var system = DegradationSystem.Create(options, time);
        DriveToNormal(system);
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);

        options.SafeMode.MinDwell = TimeSpan.Zero; // too late: the system runs on its own copy
        system.ReportRecovered(ComponentId.Broker);
        system.Bus.ProcessPending();
        time.Advance(TimeSpan.FromSeconds(29));
        system.StateMachine.Tick();
        Assert.False(system.Gate.Allows(ActionType.Send));
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
    }

    [Fact]
    public async Task Invalid_options_changed_after_Create_are_never_validated_into_the_running_system()
    {
        var options = new DegradationOptions();
        await using var system = DegradationSystem.Create(options, new FakeTimeProvider());
        options.DecisionMatrix["broker.mismatch"] = SystemMode.Normal; // would be refused at Create: loosens a Halt rule
        Assert.True(system.Policy.TryMapReason(new ReasonCode("broker.mismatch"), out var mode));
        Assert.Equal(SystemMode.Halt, mode);
    }

    [Fact]
    public async Task A_scope_with_its_own_history_size_leaves_the_process_options_alone()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), new FakeTimeProvider());
        var scope = system.Scopes.Add("venue-a", new ScopeOptions { TransitionHistorySize = 8 }.WithCritical("broker"));
        Assert.Equal(8, scope.StateMachine.Policy.Options.StateMachine.TransitionHistorySize);
        Assert.Equal(1000, system.Options.StateMachine.TransitionHistorySize);
    }

    private static void DriveToNormal(DegradationSystem system)
    {
        foreach (var component in Critical) system.Heartbeat(component, TimeSpan.FromHours(1));
        system.Bus.ProcessPending();
        var run = system.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("no recovery run");
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk));
        Assert.True(system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready));
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);
    }
}
