using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.State;

/// <summary>"Why not Normal?": the state machine names every hold between the current mode and Normal.</summary>
public class ModeExplanationTests
{
    private static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    private static DegradationSystem Create(out FakeTimeProvider time, DegradationOptions? options = null)
    {
        time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        return DegradationSystem.Create(options ?? new DegradationOptions(), time);
    }

    private static void Heartbeat(DegradationSystem system, params ComponentId[] components)
    {
        foreach (var component in components) system.Heartbeat(component, TimeSpan.FromHours(1));
        system.Bus.ProcessPending();
    }

    private static void PassStages(DegradationSystem system)
    {
        var run = system.StateMachine.ActiveRecoveryRun!.Value;
        system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData);
        system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk);
        system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready);
    }

    [Fact]
    public async Task A_cold_start_names_each_critical_component_that_never_reported_and_both_fixes()
    {
        await using var system = Create(out _);
        Heartbeat(system, ComponentId.Broker);

        var explanation = system.StateMachine.ExplainMode();

        Assert.Equal(SystemMode.Recovering, explanation.Mode);
        var never = explanation.Holds.Where(h => h.Kind == ModeHoldKind.NeverReported).ToList();
        Assert.Equal([ComponentId.MarketData, ComponentId.Risk], never.Select(h => h.Component!.Value).ToArray());
        Assert.All(never, h =>
        {
            Assert.Contains("AddProbe", h.Text, StringComparison.Ordinal);
            Assert.Contains($"Degradation:Components:{h.Component}:Critical=false", h.Text, StringComparison.Ordinal);
        });
        Assert.Contains(explanation.Holds, h => h.Kind == ModeHoldKind.RecoveryStage && h.Text.Contains("connect_broker", StringComparison.Ordinal));
        Assert.Contains("market_data", explanation.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_counts_down_the_stability_time_then_Normal_has_no_hold()
    {
        await using var system = Create(out var time, new DegradationOptions { Recovery = { StablePeriod = TimeSpan.FromSeconds(10) } });
        Heartbeat(system, Critical);
        PassStages(system);
        time.Advance(TimeSpan.FromSeconds(4));

        var stability = Assert.Single(system.StateMachine.ExplainMode().Holds);
        Assert.Equal(ModeHoldKind.Stability, stability.Kind);
        Assert.Equal(TimeSpan.FromSeconds(6), stability.Remaining);

        time.Advance(TimeSpan.FromSeconds(6));
        system.StateMachine.Tick();
        var normal = system.StateMachine.ExplainMode();
        Assert.True(normal.IsNormal);
        Assert.Empty(normal.Holds);
        Assert.Equal("normal", normal.Summary);
    }

    [Fact]
    public async Task SafeMode_shows_its_condition_with_the_source_and_the_remaining_dwell()
    {
        await using var system = Create(out var time, new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero }, SafeMode = { MinDwell = TimeSpan.FromSeconds(30) } });
        Heartbeat(system, Critical);
        PassStages(system);
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);

        system.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale, "no tick for 12 s");
        system.Bus.ProcessPending();
        time.Advance(TimeSpan.FromSeconds(10));
        var explanation = system.StateMachine.ExplainMode();

        Assert.Equal(SystemMode.SafeMode, explanation.Mode);
        var condition = Assert.Single(explanation.Holds, h => h.Kind == ModeHoldKind.Condition);
        Assert.Equal(ComponentId.MarketData, condition.Component);
        Assert.Equal(ReasonCode.MarketDataStale, condition.Reason);
        Assert.NotNull(condition.Source);
        var dwell = Assert.Single(explanation.Holds, h => h.Kind == ModeHoldKind.SafeModeDwell);
        Assert.Equal(TimeSpan.FromSeconds(20), dwell.Remaining);
    }

    [Fact]
    public async Task An_operator_halt_and_an_override_are_named_with_their_operator()
    {
        await using var system = Create(out var time, new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } });
        Heartbeat(system, Critical);
        PassStages(system);
        system.StateMachine.Tick();

        Assert.True(system.StateMachine.ForceMode(SystemMode.SafeMode, TimeSpan.FromMinutes(5), "alice", "venue maintenance").Accepted);
        time.Advance(TimeSpan.FromMinutes(1));
        var forced = Assert.Single(system.StateMachine.ExplainMode().Holds, h => h.Kind == ModeHoldKind.Override);
        Assert.Contains("alice", forced.Text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(4), forced.Remaining);

        Assert.True(system.StateMachine.Halt("bob", "runaway strategy").Accepted);
        var halt = system.StateMachine.ExplainMode().Holds[0];
        Assert.Equal(ModeHoldKind.OperatorHalt, halt.Kind);
        Assert.Contains("bob", halt.Text, StringComparison.Ordinal);
        Assert.Contains("runaway strategy", halt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_component_gone_silent_past_its_ttl_is_named_as_stale()
    {
        await using var system = Create(out var time, new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } });
        foreach (var component in Critical) system.Heartbeat(component, TimeSpan.FromHours(1));
        system.Heartbeat(ComponentId.Db, TimeSpan.FromSeconds(5));
        system.Bus.ProcessPending();
        PassStages(system);
        time.Advance(TimeSpan.FromSeconds(20));
        system.StateMachine.Tick();

        var stale = Assert.Single(system.StateMachine.ExplainMode().Holds, h => h.Kind == ModeHoldKind.Stale);
        Assert.Equal(ComponentId.Db, stale.Component);
        Assert.Contains("silent for 20 s", stale.Text, StringComparison.Ordinal);
    }
}
