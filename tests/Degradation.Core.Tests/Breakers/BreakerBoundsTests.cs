using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>Durations are bounded and validated; long deadlines saturate; a state change is all-or-nothing.</summary>
public sealed class BreakerBoundsTests
{
    private static readonly TimeSpan SixtyDays = TimeSpan.FromDays(60);

    [Theory]
    [InlineData(nameof(ComponentBreakerOptions.BreakDuration))]
    [InlineData(nameof(ComponentBreakerOptions.SamplingDuration))]
    public void Durations_beyond_the_timer_limit_are_rejected_naming_the_option_and_the_bound(string option)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BreakerRig(configure: o =>
        {
            if (option == nameof(ComponentBreakerOptions.BreakDuration)) o.BreakDuration = SixtyDays;
            else o.SamplingDuration = SixtyDays;
        }));
        Assert.Equal(option, error.ParamName);
        Assert.Contains(ComponentBreakerOptions.MaxDuration.ToString(), error.Message);
        Assert.Contains(SixtyDays.ToString(), error.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(4_294_967_294), ComponentBreakerOptions.MaxDuration);
    }

    [Fact]
    public void The_longest_accepted_break_works_on_real_timer_limits()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime, o => o.BreakDuration = ComponentBreakerOptions.MaxDuration);
        var openedAt = rig.Open(); // the controlled clock rejects delays a framework timer would reject
        rig.Time.Advance(ComponentBreakerOptions.MaxDuration);
        Assert.Equal(BreakerState.HalfOpen, rig.LastChange.To);
        Assert.Equal(rig.WallAt(openedAt + ComponentBreakerOptions.MaxDuration.Ticks), rig.LastChange.WallTime);
    }

    [Fact]
    public void Other_bad_options_are_rejected_naming_the_option()
    {
        Assert.Equal("HalfOpenTrialCalls", Assert.Throws<ArgumentOutOfRangeException>(() => new BreakerRig(configure: o => o.HalfOpenTrialCalls = 10_001)).ParamName);
        Assert.Equal("FailureRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new BreakerRig(configure: o => o.FailureRatio = 1.0000001)).ParamName);
        Assert.Equal("FailureRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new BreakerRig(configure: o => o.FailureRatio = double.NaN)).ParamName);
    }

    [Fact]
    public void Isolating_for_TimeSpan_MaxValue_lasts_until_reset()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Open();
        rig.Breaker.Isolate("ops", "forever", TimeSpan.MaxValue);
        Assert.Equal(1, rig.Time.PendingTimers); // no isolation timer: the deadline never comes
        rig.Time.Advance(TimeSpan.FromDays(365 * 100));
        var snapshot = rig.Breaker.GetSnapshot();
        Assert.Equal(BreakerState.Isolated, snapshot.State);
        Assert.Null(snapshot.ReopensAt);
        Assert.False(rig.Breaker.TryAcquire(out _));
        rig.Breaker.Reset("ops");
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }

    [Theory]
    [InlineData(TimerFiring.OnTime)]
    [InlineData(TimerFiring.Never)]
    public void Isolating_for_sixty_days_on_an_open_breaker_works_beyond_a_single_timers_reach(TimerFiring firing)
    {
        using var rig = new BreakerRig(firing);
        rig.Open();
        rig.Breaker.Isolate("ops", "vendor outage", SixtyDays);
        var isolatedAt = rig.Elapsed;
        var snapshot = rig.Breaker.GetSnapshot();
        Assert.Equal((BreakerState.Isolated, "ops"), (snapshot.State, snapshot.IsolatedBy));
        Assert.Equal(rig.WallAt(isolatedAt + SixtyDays.Ticks), snapshot.ReopensAt);
        if (firing == TimerFiring.OnTime) Assert.Contains(ComponentBreakerOptions.MaxDuration, rig.Time.PendingDelays);

        rig.Time.Advance(SixtyDays - TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.Isolated, rig.Breaker.State);
        rig.Time.Advance(TimeSpan.FromTicks(1));
        rig.Time.FireDueTimers();
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        Assert.Equal(rig.WallAt(isolatedAt + SixtyDays.Ticks), rig.LastChange.WallTime);
    }

    [Fact]
    public void A_ttl_whose_end_overflows_the_clock_saturates_to_never()
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Breaker.Isolate("ops", "long", TimeSpan.MaxValue - TimeSpan.FromTicks(1));
        rig.Time.Advance(TimeSpan.FromDays(10_000));
        Assert.Equal(BreakerState.Isolated, rig.Breaker.State);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_rejected_isolation_changes_nothing(long ttlTicks)
    {
        using var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Open();
        var before = rig.Breaker.GetSnapshot();
        var changes = rig.Changes.Count;
        var timers = rig.Time.PendingTimers;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => rig.Breaker.Isolate("ops", "bad", TimeSpan.FromTicks(ttlTicks)));
        Assert.Equal("ttl", error.ParamName);
        Assert.Equal(before, rig.Breaker.GetSnapshot());
        Assert.Equal(changes, rig.Changes.Count);
        Assert.Equal(timers, rig.Time.PendingTimers);
        Assert.Throws<ArgumentException>(() => rig.Breaker.Isolate(" ", "bad"));
        Assert.Equal(before, rig.Breaker.GetSnapshot());
    }

    [Fact]
    public void A_disposed_breaker_refuses_operator_commands_and_calls_and_its_timers_are_stale()
    {
        var rig = new BreakerRig(TimerFiring.OnTime);
        rig.Open();
        rig.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rig.Breaker.Reset("ops"));
        Assert.Throws<ObjectDisposedException>(() => rig.Breaker.Isolate("ops", "late"));
        rig.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(rig.Breaker.TryAcquire(out _)); // fail closed: a disposed open breaker does not open by itself
    }
}
