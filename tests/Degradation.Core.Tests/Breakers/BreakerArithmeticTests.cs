using System.Globalization;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Breakers;

/// <summary>Thresholds and deadlines in integer arithmetic: exact ratios open, deadlines round up and saturate.</summary>
public sealed class BreakerArithmeticTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(7, 25, 0.28)]
    [InlineData(7, 50, 0.14)]
    [InlineData(55, 100, 0.55)]
    [InlineData(14, 25, 0.56)]
    [InlineData(29, 100, 0.29)]
    [InlineData(57, 100, 0.57)]
    [InlineData(3, 10, 0.3)]
    [InlineData(1, 3, 0.3333333333333333)]
    [InlineData(10, 10, 1.0)]
    public void A_failure_ratio_reached_exactly_opens_the_breaker(int failures, int calls, double ratio)
    {
        using var rig = new BreakerRig(configure: o => { o.FailureRatio = ratio; o.MinimumThroughput = calls; });
        for (var i = 0; i < calls - failures; i++) rig.Call(success: true);
        for (var i = 0; i < failures - 1; i++) rig.Call(success: false);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
        rig.Call(success: false);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
    }

    [Theory]
    [InlineData(7, 25, 0.28)]
    [InlineData(55, 100, 0.55)]
    [InlineData(14, 25, 0.56)]
    public void One_failure_fewer_than_the_ratio_keeps_it_closed(int failures, int calls, double ratio)
    {
        using var rig = new BreakerRig(configure: o => { o.FailureRatio = ratio; o.MinimumThroughput = calls; });
        for (var i = 0; i < calls - failures + 1; i++) rig.Call(success: true);
        for (var i = 0; i < failures - 1; i++) rig.Call(success: false);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }

    [Fact]
    public void Ratios_become_the_fractions_they_were_written_as()
    {
        Assert.Equal("11/20", ExactRatio.From(0.55).ToString());
        Assert.Equal("7/25", ExactRatio.From(0.28).ToString());
        Assert.Equal("1/1", ExactRatio.From(1).ToString());
        Assert.Equal("1/100000", ExactRatio.From(1e-5).ToString());
        Assert.Equal("7500000000000001/25000000000000000", ExactRatio.From(0.1 + 0.2).ToString());
        // Beyond 18 decimal places: rounded up there, so it never opens earlier than asked.
        Assert.Equal("1/1000000000000000000", ExactRatio.From(1e-25).ToString());
        Assert.True(ExactRatio.From(1).IsReachedBy(long.MaxValue, long.MaxValue));
        Assert.False(ExactRatio.From(1).IsReachedBy(long.MaxValue - 1, long.MaxValue));
        Assert.True(ExactRatio.From(0.5).IsReachedBy(long.MaxValue / 2 + 1, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactRatio.From(double.NaN));
    }

    [Fact]
    public void The_integer_comparison_agrees_with_decimal_arithmetic_on_random_ratios_and_counts()
    {
        const int seed = 220_001;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 20_000; i++)
        {
            var places = random.Next(1, 7);
            var scale = (long)Math.Pow(10, places);
            var written = (decimal)random.NextInt64(1, scale + 1) / scale; // a ratio as someone would write it
            var ratio = (double)written;
            var calls = random.Next(1, 5_000);
            var failures = random.Next(0, calls + 1);
            var expected = failures >= written * calls;
            Assert.True(expected == ExactRatio.From(ratio).IsReachedBy(failures, calls),
                $"seed {seed}, case {i}: {failures}/{calls} vs {written.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    [Theory]
    [InlineData(43 * TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond, 430_000)]
    [InlineData(43 * TimeSpan.TicksPerMillisecond, 1_000_000_000, 43_000_000)]
    [InlineData(1, 1_000_000_000, 100)]
    [InlineData(1, 1_000, 1)]                      // a tenth of a microsecond on a millisecond clock: one tick, not zero
    [InlineData(TimeSpan.TicksPerSecond + 1, 3, 4)] // 3.0000003 ticks round up to 4
    [InlineData(long.MaxValue, 1_000_000_000, long.MaxValue)] // saturates
    [InlineData(0, 1_000_000_000, 0)]
    public void Durations_become_clock_ticks_rounded_up_and_saturating(long durationTicks, long frequency, long expected) =>
        Assert.Equal(expected, BreakerTime.ToTimestampTicks(TimeSpan.FromTicks(durationTicks), frequency));

    [Theory]
    [InlineData(0.043, 430_000)]
    [InlineData(30, 300_000_000)]
    [InlineData(0.00000001, 1)]
    [InlineData(4_294_967.294, 42_949_672_940_000)]
    public void Seconds_written_as_decimals_become_whole_ticks_rounded_up(double seconds, long ticks) =>
        Assert.Equal(ticks, BreakerTime.FromSeconds(seconds).Ticks);

    [Fact]
    public void Deadlines_saturate_instead_of_overflowing()
    {
        Assert.Equal(BreakerTime.Never, BreakerTime.After(long.MaxValue - 5, 10));
        Assert.Equal(BreakerTime.Never, BreakerTime.After(1_000, BreakerTime.Never));
        Assert.Equal(1_010, BreakerTime.After(1_000, 10));
        Assert.Equal(TimeSpan.MaxValue, BreakerTime.ToDuration(long.MaxValue, 1));
        Assert.Equal(TimeSpan.FromTicks(1), BreakerTime.ToDuration(1, 1_000_000_000)); // rounded up
        Assert.Equal(BreakerTime.MaxTimerDelay, BreakerTime.TimerDelay(BreakerTime.Never - 1, 0, TimeSpan.TicksPerSecond));
        Assert.Equal(TimeSpan.FromTicks(1), BreakerTime.TimerDelay(5, 5, TimeSpan.TicksPerSecond));
    }

    [Theory]
    [InlineData(TimerFiring.OnTime)]
    [InlineData(TimerFiring.Never)]
    public void A_43_ms_break_ends_exactly_at_430_000_ticks(TimerFiring firing)
    {
        using var rig = new BreakerRig(firing, o => o.BreakDuration = TimeSpan.FromMilliseconds(43));
        var openedAt = rig.Open();
        rig.Time.AdvanceTo(rig.StartTimestamp + openedAt + 429_999);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);
        Assert.False(rig.Breaker.TryAcquire(out _));
        rig.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.HalfOpen, rig.Breaker.State);
        Assert.Equal(rig.WallAt(openedAt + 430_000), rig.LastChange.WallTime);
    }

    [Fact]
    public void The_trial_deadline_is_exact_to_the_tick_too()
    {
        using var rig = new BreakerRig(TimerFiring.Never, o => o.BreakDuration = TimeSpan.FromMilliseconds(43));
        rig.Open();
        rig.Time.Advance(TimeSpan.FromMilliseconds(43));
        Assert.True(rig.Breaker.TryAcquire(out var late));
        rig.Time.Advance(TimeSpan.FromTicks(430_000));      // reports at its deadline: too late
        rig.Breaker.Record(late, success: true);
        Assert.Equal(BreakerState.Open, rig.Breaker.State);

        rig.Time.Advance(TimeSpan.FromMilliseconds(43));
        Assert.True(rig.Breaker.TryAcquire(out var inTime));
        rig.Time.Advance(TimeSpan.FromTicks(429_999));      // one tick before its deadline: in time
        rig.Breaker.Record(inTime, success: true);
        Assert.Equal(BreakerState.Closed, rig.Breaker.State);
    }
}
