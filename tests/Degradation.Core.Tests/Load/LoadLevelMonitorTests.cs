using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Load;

public class LoadLevelMonitorTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    private LoadLevelMonitor Create(LoadDegradationOptions? options = null, EventBus? bus = null, AuditTrail? audit = null) =>
        new(options, _time, bus, audit);

    [Fact]
    public void Defaults_are_the_documented_thresholds()
    {
        var o = new LoadDegradationOptions();
        Assert.Equal((100_000, 500_000, 1_000_000, 5_000_000), (o.LagSoft, o.LagGraceful, o.LagAggressive, o.LagCircuitBreak));
        Assert.Equal((70.0, 80.0, 90.0, 95.0), (o.HeapSoftPercent, o.HeapGracefulPercent, o.HeapAggressivePercent, o.HeapCircuitBreakPercent));
        Assert.Equal((0.5, 0.9, TimeSpan.FromSeconds(30), 100), (o.RecoveryLagFactor, o.RecoveryHeapFactor, o.RecoveryCooldown, o.HistorySize));
        Assert.Equal(LoadLevel.Normal, Create().Level);
    }

    [Theory]
    [InlineData(99_999, LoadLevel.Normal)]
    [InlineData(100_000, LoadLevel.Soft)]
    [InlineData(499_999, LoadLevel.Soft)]
    [InlineData(500_000, LoadLevel.Graceful)]
    [InlineData(999_999, LoadLevel.Graceful)]
    [InlineData(1_000_000, LoadLevel.Aggressive)]
    [InlineData(4_999_999, LoadLevel.Aggressive)]
    [InlineData(5_000_000, LoadLevel.CircuitBreak)]
    public void Lag_crossing_a_trigger_upwards_enters_its_level_at_once(long lag, LoadLevel expected)
    {
        var monitor = Create();
        Assert.Equal(expected, monitor.Evaluate(lag, 0));
        Assert.Equal(expected, monitor.Level);
    }

    [Theory]
    [InlineData(69.9, LoadLevel.Normal)]
    [InlineData(70, LoadLevel.Soft)]
    [InlineData(79.9, LoadLevel.Soft)]
    [InlineData(80, LoadLevel.Graceful)]
    [InlineData(89.9, LoadLevel.Graceful)]
    [InlineData(90, LoadLevel.Aggressive)]
    [InlineData(94.9, LoadLevel.Aggressive)]
    [InlineData(95, LoadLevel.CircuitBreak)]
    public void Heap_crossing_a_trigger_upwards_enters_its_level_at_once(double heap, LoadLevel expected)
    {
        Assert.Equal(expected, Create().Evaluate(0, heap));
    }

    [Fact]
    public void Escalation_walks_up_level_by_level_with_one_transition_each()
    {
        var monitor = Create();
        foreach (var (lag, level) in new[] { (100_000L, LoadLevel.Soft), (500_000L, LoadLevel.Graceful), (1_000_000L, LoadLevel.Aggressive), (5_000_000L, LoadLevel.CircuitBreak) })
            Assert.Equal(level, monitor.Evaluate(lag, 0));
        Assert.Equal(4, monitor.TransitionCount);
        Assert.All(monitor.GetHistory(), c => Assert.True(c.IsEscalation));
    }

    // Recovery: lag must be strictly below trigger × 0.5 and heap strictly below trigger × 0.9.
    [Theory]
    [InlineData(LoadLevel.Soft, 100_000, 70.0)]
    [InlineData(LoadLevel.Graceful, 500_000, 80.0)]
    [InlineData(LoadLevel.Aggressive, 1_000_000, 90.0)]
    [InlineData(LoadLevel.CircuitBreak, 5_000_000, 95.0)]
    public void Leaving_a_level_needs_both_signals_below_its_recovery_thresholds(LoadLevel level, long lagTrigger, double heapTrigger)
    {
        var monitor = Create();
        Assert.Equal(level, monitor.Evaluate(lagTrigger, 0));
        _time.Advance(TimeSpan.FromSeconds(30));
        var lagRecovery = (long)(lagTrigger * 0.5);
        var heapRecovery = heapTrigger * 0.9;

        Assert.Equal(level, monitor.Evaluate(lagRecovery, 0));               // lag exactly at the recovery threshold: stays
        Assert.Equal(level, monitor.Evaluate(0, heapRecovery));              // heap exactly at the recovery threshold: stays
        Assert.Equal(level, monitor.Evaluate(0, heapRecovery + 0.01));       // heap still too high
        var below = monitor.Evaluate(lagRecovery - 1, heapRecovery - 0.01);  // both below: leaves
        Assert.True(below < level, $"expected to leave {level}, still {below}");
        Assert.Equal(2, monitor.TransitionCount);
    }

    [Fact]
    public void Stepping_down_stops_at_the_first_level_whose_recovery_threshold_does_not_hold()
    {
        var monitor = Create();
        monitor.Evaluate(1_000_000, 0); // Aggressive
        _time.Advance(TimeSpan.FromSeconds(30));
        // 300K: below Aggressive's recovery (500K) but not below Graceful's (250K); the thresholds alone say Soft.
        Assert.Equal(LoadLevel.Soft, monitor.TargetLevel(300_000, 0));
        Assert.Equal(LoadLevel.Graceful, monitor.Evaluate(300_000, 0));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(LoadLevel.Graceful, monitor.Evaluate(300_000, 0)); // held by hysteresis, not by the cooldown
        Assert.Equal(LoadLevel.Soft, monitor.Evaluate(240_000, 0));
    }

    [Fact]
    public void Recovers_several_levels_at_once_when_every_recovery_threshold_holds()
    {
        var monitor = Create();
        monitor.Evaluate(5_000_000, 99);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(LoadLevel.Normal, monitor.Evaluate(0, 10));
        Assert.Equal(2, monitor.TransitionCount);
    }

    [Fact]
    public void Cooldown_holds_recovery_for_30_seconds_after_the_last_change_but_never_delays_escalation()
    {
        var monitor = Create();
        monitor.Evaluate(100_000, 0);                             // Soft at t0
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(LoadLevel.Soft, monitor.Evaluate(0, 0));     // t0+29 s: cooldown
        Assert.True(monitor.GetStatus().CooldownRemaining > TimeSpan.Zero);
        Assert.Equal(LoadLevel.Graceful, monitor.Evaluate(500_000, 0)); // escalation during cooldown: immediate (t0+29 s)
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(LoadLevel.Graceful, monitor.Evaluate(0, 0)); // the escalation restarted the cooldown
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LoadLevel.Normal, monitor.Evaluate(0, 0));   // 30 s after the last change
        Assert.Equal(TimeSpan.Zero, monitor.GetStatus().CooldownRemaining);
    }

    [Fact]
    public void Cooldown_is_configurable()
    {
        var monitor = Create(new LoadDegradationOptions { RecoveryCooldown = TimeSpan.FromSeconds(5) });
        monitor.Evaluate(100_000, 0);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(LoadLevel.Soft, monitor.Evaluate(0, 0));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(LoadLevel.Normal, monitor.Evaluate(0, 0));
    }

    [Theory]
    [InlineData(100_000, 0.0)]      // around the Soft lag trigger
    [InlineData(500_000, 0.0)]      // around the Graceful lag trigger
    [InlineData(1_000_000, 0.0)]    // around the Aggressive lag trigger
    [InlineData(5_000_000, 0.0)]    // around the CircuitBreak lag trigger
    [InlineData(0, 80.0)]           // around the Graceful heap trigger
    public void A_signal_oscillating_around_a_trigger_does_not_flap(long lagCenter, double heapCenter)
    {
        const int seed = 20260126;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var monitor = Create();
        var entered = monitor.Evaluate((long)(lagCenter * 1.1), heapCenter * 1.1);
        var before = monitor.TransitionCount;
        for (var i = 0; i < 2_000; i++)
        {
            // ±8 % around the trigger, one sample per second: long past many cooldowns.
            var wobble = 1 + (random.NextDouble() - 0.5) * 0.16;
            monitor.Evaluate((long)(lagCenter * wobble), heapCenter * wobble);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        output.WriteLine($"entered {entered}, final {monitor.Level}, transitions {monitor.TransitionCount}");
        Assert.Equal(before, monitor.TransitionCount);
        Assert.Equal(entered, monitor.Level);
    }

    [Fact]
    public void A_signal_oscillating_around_a_recovery_threshold_steps_down_once_and_stays()
    {
        const int seed = 42;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var monitor = Create();
        monitor.Evaluate(100_000, 0); // Soft; recovery below 50K
        for (var i = 0; i < 2_000; i++)
        {
            monitor.Evaluate(random.NextInt64(45_000, 55_000), 0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(LoadLevel.Normal, monitor.Level);
        Assert.Equal(2, monitor.TransitionCount);
    }

    [Fact]
    public void A_square_wave_across_a_trigger_flaps_at_most_once_per_cooldown()
    {
        var monitor = Create();
        for (var second = 0; second < 300; second++)
        {
            monitor.Evaluate(second % 2 == 0 ? 150_000 : 10_000, 0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        output.WriteLine($"transitions {monitor.TransitionCount}");
        // Each down-step needs 30 s of cooldown, so at most 2 transitions per 30 s window (+1 for the first rise).
        Assert.InRange(monitor.TransitionCount, 2, 2 * (300 / 30) + 1);
    }

    [Theory]
    [InlineData(LoadLevel.Normal, false, true, false, true)]
    [InlineData(LoadLevel.Soft, true, true, false, true)]
    [InlineData(LoadLevel.Graceful, true, false, false, true)]
    [InlineData(LoadLevel.Aggressive, true, false, true, true)]
    [InlineData(LoadLevel.CircuitBreak, true, false, true, false)]
    public void Helpers_follow_the_level_table(LoadLevel level, bool skipEnrichment, bool processesOrdinarySymbol, bool spill, bool accepting)
    {
        var monitor = Create(new LoadDegradationOptions { CriticalSymbols = ["BHP", "CBA"] });
        var lag = level switch
        {
            LoadLevel.Soft => 100_000, LoadLevel.Graceful => 500_000, LoadLevel.Aggressive => 1_000_000, LoadLevel.CircuitBreak => 5_000_000, _ => 0L,
        };
        Assert.Equal(level, monitor.Evaluate(lag, 0));
        Assert.Equal(skipEnrichment, monitor.ShouldSkipEnrichment);
        Assert.Equal(processesOrdinarySymbol, monitor.ShouldProcessSymbol("XYZ"));
        Assert.True(monitor.ShouldProcessSymbol("BHP"));
        Assert.Equal(spill, monitor.ShouldSpillToDisk);
        Assert.Equal(accepting, monitor.IsAcceptingData);
        Assert.Equal(accepting, monitor.GetStatus().IsAcceptingData);
    }

    [Fact]
    public void History_is_bounded_and_keeps_the_newest_changes_in_order()
    {
        var monitor = Create(new LoadDegradationOptions { HistorySize = 3, RecoveryCooldown = TimeSpan.Zero });
        foreach (var lag in new long[] { 100_000, 500_000, 1_000_000, 5_000_000, 0 }) monitor.Evaluate(lag, 0);
        var history = monitor.GetHistory();
        Assert.Equal(5, monitor.TransitionCount);
        Assert.Equal([LoadLevel.Aggressive, LoadLevel.CircuitBreak, LoadLevel.Normal], history.Select(h => h.To));
        Assert.Equal(LoadLevel.CircuitBreak, history[^1].From);
        Assert.Equal(0, history[^1].Lag);
    }

    [Fact]
    public void Concurrent_evaluations_keep_a_consistent_chain_of_changes()
    {
        const int seed = 7;
        output.WriteLine($"seed {seed}");
        var monitor = Create(new LoadDegradationOptions { RecoveryCooldown = TimeSpan.Zero, HistorySize = 100_000 });
        Parallel.For(0, 4, worker =>
        {
            var random = new Random(seed + worker);
            for (var i = 0; i < 20_000; i++) monitor.Evaluate(random.NextInt64(0, 6_000_000), random.NextDouble() * 100);
        });
        var history = monitor.GetHistory();
        Assert.Equal(monitor.TransitionCount, history.Count);
        Assert.Equal(LoadLevel.Normal, history[0].From);
        for (var i = 1; i < history.Count; i++) Assert.Equal(history[i - 1].To, history[i].From);
        Assert.Equal(history[^1].To, monitor.Level);
    }

    [Fact]
    public void Evaluate_without_heap_reads_the_gc_and_stays_in_range()
    {
        var monitor = Create();
        monitor.Evaluate(0);
        Assert.InRange(monitor.GetStatus().LastHeapPercent, 0, 100);
        Assert.InRange(HeapLoad.CurrentPercent(HeapLoadMeasure.ManagedHeap), 0, 100);
    }

    [Fact]
    public void Bad_measurements_are_rejected_with_the_argument_named()
    {
        var monitor = Create();
        Assert.Equal("lag", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Evaluate(-1, 0)).ParamName);
        Assert.Equal("heapPercent", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Evaluate(0, double.NaN)).ParamName);
        Assert.Equal("heapPercent", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Evaluate(0, -1)).ParamName);
    }

    [Fact]
    public void Invalid_options_fail_at_construction_naming_each_option_and_value()
    {
        var ex = Assert.Throws<DegradationOptionsException>(() => Create(new LoadDegradationOptions
        {
            LagGraceful = 50_000, HeapSoftPercent = 120, RecoveryLagFactor = 0, RecoveryCooldown = TimeSpan.FromSeconds(-1), HistorySize = 0,
            ComponentName = " ", StateMachineReasons = { [LoadLevel.Normal] = "load.none" },
        }));
        Assert.Contains(ex.Failures, f => f.Contains("LagGraceful (50000) must be above LagSoft (100000)"));
        Assert.Contains(ex.Failures, f => f.Contains("HeapSoftPercent") && f.Contains("120"));
        Assert.Contains(ex.Failures, f => f.Contains("RecoveryLagFactor") && f.Contains("(was 0)"));
        Assert.Contains(ex.Failures, f => f.Contains("RecoveryCooldown") && f.Contains("-00:00:01"));
        Assert.Contains(ex.Failures, f => f.Contains("HistorySize"));
        Assert.Contains(ex.Failures, f => f.Contains("ComponentName"));
        Assert.Contains(ex.Failures, f => f.Contains("StateMachineReasons:Normal"));
    }

    [Fact]
    public void Reset_returns_to_normal_at_once_clears_the_cooldown_and_is_audited()
    {
        var audit = new AuditTrail(_time);
        var monitor = Create(audit: audit);
        monitor.Evaluate(5_000_000, 0);
        Assert.True(monitor.Reset("alice", "load test finished"));
        Assert.Equal(LoadLevel.Normal, monitor.Level);
        Assert.Equal("alice", monitor.GetHistory()[^1].OperatorId);
        Assert.Equal(TimeSpan.Zero, monitor.GetStatus().CooldownRemaining);
        Assert.False(monitor.Reset("alice", "again"));
        Assert.Throws<ArgumentException>(() => monitor.Reset("", "x"));
        var entries = audit.GetEntries();
        Assert.Contains(entries, e => e.Record.Kind == AuditEntryKind.OperatorAction && e.Record.Action == "load.reset" && e.Record.OperatorId == "alice");
        Assert.Contains(entries, e => e.Record.Kind == AuditEntryKind.Load && e.Record.From == "CircuitBreak" && e.Record.To == "Normal");
        Assert.True(audit.Verify().IsValid);
    }

    [Fact]
    public async Task CircuitBreak_is_reported_to_the_state_machine_and_recovery_clears_it()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var events = new List<SystemEvent>();
        system.Bus.Subscribe(events.Add);
        var monitor = Create(bus: system.Bus);

        monitor.Evaluate(1_000_000, 0); // Aggressive: not reported by default
        system.Bus.ProcessPending();
        Assert.Empty(events);

        monitor.Evaluate(5_000_000, 0);
        system.Bus.ProcessPending();
        var fail = Assert.Single(events);
        Assert.Equal((EventType.FailSupport, "load", "load.circuit_break", Severity.Critical), (fail.Type, fail.Component.Name, fail.Reason.Value, fail.Severity));
        var condition = Assert.Single(system.StateMachine.GetComponent(new ComponentId("load"))!.Conditions);
        Assert.Equal(SystemMode.Degraded, condition.Mode); // unmapped reason of an optional component

        _time.Advance(TimeSpan.FromSeconds(30));
        monitor.Evaluate(0, 0);
        system.Bus.ProcessPending();
        Assert.Equal(EventType.Recovered, events[^1].Type);
        Assert.Empty(system.StateMachine.GetComponent(new ComponentId("load"))!.Conditions);
    }

    [Fact]
    public async Task Stepping_down_between_reported_levels_clears_the_severer_condition_first()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions { DecisionMatrix = { ["load.circuit_break"] = SystemMode.SafeMode } }, _time);
        var events = new List<SystemEvent>();
        system.Bus.Subscribe(events.Add);
        var monitor = Create(new LoadDegradationOptions
        {
            StateMachineReasons = { [LoadLevel.Aggressive] = "load.aggressive" },
        }, system.Bus);

        monitor.Evaluate(5_000_000, 0);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(LoadLevel.Aggressive, monitor.Evaluate(2_000_000, 0));
        system.Bus.ProcessPending();
        Assert.Equal([(EventType.FailSupport, "load.circuit_break"), (EventType.Recovered, "load.recovered"), (EventType.FailSupport, "load.aggressive")],
            events.Select(e => (e.Type, e.Reason.Value)));
        var conditions = system.StateMachine.GetComponent(new ComponentId("load"))!.Conditions;
        Assert.Equal("load.aggressive", Assert.Single(conditions).Reason.Value);
    }

    [Fact]
    public async Task Reporting_can_be_switched_off()
    {
        await using var system = DegradationSystem.Create(new DegradationOptions(), _time);
        var monitor = Create(new LoadDegradationOptions { ReportToStateMachine = false }, system.Bus);
        monitor.Evaluate(5_000_000, 0);
        Assert.Equal(0, system.Bus.PendingCount);
    }
}
