using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Fallback;

public class FallbackRestorationTests
{
    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly ScriptedSource _primary;
    private readonly ScriptedSource _secondary;

    public FallbackRestorationTests()
    {
        _primary = new ScriptedSource("primary", 100, _time);
        _secondary = new ScriptedSource("secondary", 90, _time);
    }

    private static FallbackChainOptions FastRamp() => new()
    {
        BreakDuration = TimeSpan.FromSeconds(30),
        RestorationRamp = [new(10, Seconds(10)), new(25, Seconds(10)), new(50, Seconds(10)), new(100, TimeSpan.Zero)],
    };

    private FallbackChain<int> Chain(FallbackChainOptions? options = null, AuditTrail? audit = null, AlertRouter? alerts = null) =>
        new FallbackChainBuilder<int>("quotes").Primary(_primary.Handle).Secondary(_secondary.Handle).Error(-1)
            .WithOptions(options ?? FastRamp()).Build(_time, audit, alerts);

    private static FallbackResult<int> Run(FallbackChain<int> chain) => chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();

    private void Break(FallbackChain<int> chain)
    {
        _primary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        _primary.Failing = false;
    }

    /// <summary>Runs <paramref name="calls"/> calls, 100 ms apart; returns how many the primary answered.</summary>
    private int Drive(FallbackChain<int> chain, int calls)
    {
        var primary = 0;
        for (var i = 0; i < calls; i++)
        {
            if (Run(chain).IsPrimary) primary++;
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
        return primary;
    }

    [Fact]
    public void Standard_ramp_is_the_default()
    {
        var ramp = new FallbackChainOptions().RestorationRamp;
        Assert.Equal([(10, Seconds(300)), (25, Seconds(300)), (50, Seconds(600)), (100, TimeSpan.Zero)], ramp.Select(s => (s.TrafficPercent, s.Duration)));
        var o = new FallbackChainOptions();
        Assert.Equal((3, TimeSpan.FromMilliseconds(500), 0.01, 0.05), (o.MinConsecutivePasses, o.MaxP99Latency, o.MaxErrorRate, o.RollbackErrorRate));
    }

    [Fact]
    public void The_primary_rests_for_the_break_duration_then_the_ramp_sends_it_10_percent()
    {
        var chain = Chain();
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, Drive(chain, 5));
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(10, Drive(chain, 100)); // 100 calls in 10 s: exactly 10 % to the primary (deterministic split)
        var started = Assert.Single(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.RestorationStarted);
        Assert.Equal((10, "secondary", "primary"), (started.TrafficPercent, started.FromTier, started.ToTier));
    }

    [Fact]
    public void The_ramp_progresses_10_25_50_100_when_each_step_validates()
    {
        var audit = new AuditTrail(_time);
        var chain = Chain(audit: audit);
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(PrimaryTierState.Restoring, chain.EvaluateRestoration());
        // Tally calls and primary answers by the share in force when each call started.
        var tally = new SortedDictionary<int, (int Calls, int Primary)>();
        for (var i = 0; i < 1000 && chain.PrimaryState != PrimaryTierState.Active; i++)
        {
            var percent = chain.GetStatus().PrimaryTrafficPercent;
            var (calls, primary) = tally.GetValueOrDefault(percent);
            tally[percent] = (calls + 1, primary + (Run(chain).IsPrimary ? 1 : 0));
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.True(tally.Keys.SequenceEqual([10, 25, 50]) && tally.Values.All(v => v.Calls >= 100), string.Join("; ", tally));
        foreach (var (percent, (calls, primary)) in tally)
        {
            Assert.InRange(calls, 100, 101);                                 // each step lasts its 10 s
            Assert.InRange(primary, calls * percent / 100 - 1, calls * percent / 100 + 1); // and gets its share
        }
        Assert.Equal(PrimaryTierState.Active, chain.PrimaryState);
        Assert.Equal(100, Drive(chain, 10) * 10);

        var ramp = chain.GetTransitions().Where(t => t.Kind is FallbackTransitionKind.RestorationStarted or FallbackTransitionKind.RampAdvanced or FallbackTransitionKind.Restored).ToList();
        Assert.Equal([(FallbackTransitionKind.RestorationStarted, 10), (FallbackTransitionKind.RampAdvanced, 25), (FallbackTransitionKind.RampAdvanced, 50), (FallbackTransitionKind.Restored, 100)],
            ramp.Select(t => (t.Kind, t.TrafficPercent ?? 0)));
        Assert.Equal("primary", chain.ActiveTier!.Name);
        Assert.Equal(["fallback.restoration_started", "fallback.ramp_advanced", "fallback.ramp_advanced", "fallback.restored"],
            audit.GetEntries().Select(e => e.Record.Action).Where(a => a is "fallback.restoration_started" or "fallback.ramp_advanced" or "fallback.restored"));
        Assert.True(audit.Verify().IsValid);
    }

    [Fact]
    public void A_step_does_not_advance_before_its_duration_even_when_healthy()
    {
        var chain = Chain();
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        Drive(chain, 99); // 9.9 s of the 10 s step
        Assert.Equal(10, chain.GetStatus().PrimaryTrafficPercent);
        Assert.Equal(0, chain.GetStatus().RampStep);
    }

    [Fact]
    public void Slow_primary_calls_fail_the_p99_check_and_hold_the_ramp()
    {
        var chain = Chain();
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        _primary.Latency = TimeSpan.FromMilliseconds(600);
        Drive(chain, 300);
        var status = chain.GetStatus();
        Assert.Equal(PrimaryTierState.Restoring, status.PrimaryState);
        Assert.Equal(10, status.PrimaryTrafficPercent);
        var validation = status.LastValidation!;
        Assert.False(validation.AllPassed);
        Assert.Contains(validation.Checks, c => c is { Name: "latency_p99_ms", Passed: false });
        Assert.Contains(validation.Checks, c => c is { Name: "consecutive_passes", Passed: true });

        // Once fast again, the step is judged on fresh evidence and the ramp completes.
        _primary.Latency = TimeSpan.Zero;
        Drive(chain, 500);
        Assert.Equal(PrimaryTierState.Active, chain.PrimaryState);
    }

    [Fact]
    public void Too_few_consecutive_passes_hold_the_ramp()
    {
        var chain = Chain(new FallbackChainOptions { BreakDuration = Seconds(30), RestorationRamp = [new(50, Seconds(1)), new(100, TimeSpan.Zero)], MinConsecutivePasses = 3, MaxErrorRate = 1, RollbackErrorRate = 1 });
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        _primary.FailWhen = n => n % 2 == 0; // alternate: never 3 in a row
        Drive(chain, 100);
        Assert.Equal(PrimaryTierState.Restoring, chain.PrimaryState);
        Assert.Contains(chain.GetStatus().LastValidation!.Checks, c => c is { Name: "consecutive_passes", Passed: false });
    }

    [Fact]
    public void An_error_spike_during_the_ramp_rolls_back_and_alerts()
    {
        var router = new AlertRouter(timeProvider: _time);
        var chain = Chain(new FallbackChainOptions
        {
            BreakDuration = Seconds(30), RestorationRamp = [new(50, Seconds(600)), new(100, TimeSpan.Zero)], RollbackMinCalls = 20, RollbackErrorRate = 0.05,
        }, alerts: router);
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        var probes = 0;
        _primary.FailWhen = _ => ++probes % 5 == 0; // 20 % errors, never two in a row
        Drive(chain, 60);

        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        var rollback = Assert.Single(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.RolledBack);
        Assert.Contains("error spike", rollback.Details);
        Assert.Equal(0, chain.GetStatus().PrimaryTrafficPercent);
        router.FlushAsync().GetAwaiter().GetResult();
        Assert.True(router.PublishedCount >= 2); // failover + rollback

        // Rolled back means resting again: after another break the ramp restarts from its first step.
        _primary.FailWhen = null;
        _time.Advance(TimeSpan.FromSeconds(30));
        Drive(chain, 1);
        Assert.Equal(2, chain.GetTransitions().Count(t => t.Kind == FallbackTransitionKind.RestorationStarted));
    }

    [Fact]
    public void Consecutive_failures_during_the_ramp_roll_back_at_once()
    {
        var chain = Chain();
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        _primary.Failing = true;
        Drive(chain, 21); // probes at calls 1, 11, 21
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        Assert.Contains("3 consecutive failures", Assert.Single(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.RolledBack).Details);
    }

    [Fact]
    public void EvaluateRestoration_moves_a_quiet_chain_along()
    {
        var chain = Chain(new FallbackChainOptions { BreakDuration = Seconds(30), RestorationRamp = [new(10, Seconds(10)), new(100, TimeSpan.Zero)], MinConsecutivePasses = 0 });
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(PrimaryTierState.Restoring, chain.EvaluateRestoration());
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(PrimaryTierState.Restoring, chain.EvaluateRestoration()); // no primary calls: no evidence, no advance
        Assert.Contains(chain.GetStatus().LastValidation!.Checks, c => c is { Name: "error_rate", Passed: false });
    }

    [Fact]
    public void Throughput_check_gates_the_ramp_when_configured()
    {
        var chain = Chain(new FallbackChainOptions { BreakDuration = Seconds(30), RestorationRamp = [new(100 / 2, Seconds(10)), new(100, TimeSpan.Zero)], MinThroughputPerSecond = 100 });
        Break(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        Drive(chain, 200); // 5 primary calls per second, far below 100
        Assert.Equal(PrimaryTierState.Restoring, chain.PrimaryState);
        Assert.Contains(chain.GetStatus().LastValidation!.Checks, c => c is { Name: "throughput_rps", Passed: false });
    }

    [Fact]
    public void Without_auto_restore_an_operator_starts_the_ramp_and_it_is_audited()
    {
        var audit = new AuditTrail(_time);
        var chain = Chain(new FallbackChainOptions { AutoRestore = false, RestorationRamp = [new(10, Seconds(10)), new(100, TimeSpan.Zero)] }, audit);
        Break(chain);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, Drive(chain, 20));
        chain.BeginRestoration("alice", "vendor fixed the feed");
        Assert.Equal(PrimaryTierState.Restoring, chain.PrimaryState);
        Assert.Throws<InvalidOperationException>(() => chain.BeginRestoration("alice", "again"));
        Assert.Contains(audit.GetEntries(), e => e.Record.Action == "fallback.restoration_started" && e.Record.OperatorId == "alice");
    }

    [Fact]
    public void Operators_can_fail_over_and_restore_by_hand()
    {
        var audit = new AuditTrail(_time);
        var chain = Chain(audit: audit);
        Assert.True(chain.FailOver("bob", "planned maintenance"));
        Assert.False(chain.FailOver("bob", "again"));
        Assert.Equal("secondary", Run(chain).TierName);
        Assert.True(chain.RestorePrimary("bob", "maintenance done"));
        Assert.False(chain.RestorePrimary("bob", "again"));
        Assert.True(Run(chain).IsPrimary);
        var actions = audit.GetEntries().Where(e => e.Record.OperatorId == "bob").Select(e => e.Record.Action).ToList();
        Assert.Equal(["fallback.manual_failover", "fallback.failed_over", "fallback.restored"], actions);
        Assert.Throws<ArgumentException>(() => chain.FailOver(" ", "x"));
    }

    [Fact]
    public void Validation_checks_follow_the_defaults()
    {
        var options = new FallbackChainOptions { MinThroughputPerSecond = 100 };
        // Typical healthy metrics: 3 health passes, p99 200 ms, error rate 0.005, 150 rps: all pass.
        var passing = RestorationValidation.Evaluate(new RestorationMetrics(1500, 7, 3, 200, TimeSpan.FromSeconds(10)), options);
        Assert.True(passing.AllPassed, passing.ToString());
        Assert.Equal(["consecutive_passes", "latency_p99_ms", "error_rate", "throughput_rps"], passing.Checks.Select(c => c.Name));

        var failing = RestorationValidation.Evaluate(new RestorationMetrics(100, 2, 2, 501, TimeSpan.FromSeconds(10)), options);
        Assert.Equal([false, false, false, false], failing.Checks.Select(c => c.Passed));
        Assert.False(RestorationValidation.Evaluate(new RestorationMetrics(0, 0, 0, double.NaN, TimeSpan.Zero), new FallbackChainOptions { MinConsecutivePasses = 0 }).AllPassed);
    }
}
