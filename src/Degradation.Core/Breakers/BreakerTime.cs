namespace Degradation.Breakers;

/// <summary>
/// Integer time arithmetic of the breakers: durations become timestamp ticks rounded up (a deadline is never early),
/// and deadlines saturate at <see cref="Never"/> instead of overflowing.
/// </summary>
internal static class BreakerTime
{
    /// <summary>A deadline that never comes.</summary>
    public const long Never = long.MaxValue;

    /// <summary>
    /// The longest delay a <see cref="TimeProvider"/> timer accepts (0xFFFFFFFE ms, about 49.7 days). Durations are
    /// validated against it; longer deadlines (an isolation TTL) are reached by re-arming the timer.
    /// </summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary><paramref name="duration"/> (not negative) in ticks of a clock running at <paramref name="frequency"/>, rounded up, saturating.</summary>
    public static long ToTimestampTicks(TimeSpan duration, long frequency)
    {
        if (duration <= TimeSpan.Zero) return 0;
        var ticks = ((UInt128)(ulong)duration.Ticks * (ulong)frequency + (TimeSpan.TicksPerSecond - 1)) / TimeSpan.TicksPerSecond;
        return ticks >= long.MaxValue ? Never : (long)ticks;
    }

    /// <summary>
    /// <paramref name="seconds"/> (finite, not negative, at most a few million) as a duration: the decimal the
    /// <see cref="double"/> was written as (0.043, not 0.04299999…), rounded up to a whole tick.
    /// </summary>
    public static TimeSpan FromSeconds(double seconds)
    {
        var written = decimal.Parse(seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromTicks((long)decimal.Ceiling(written * TimeSpan.TicksPerSecond));
    }

    /// <summary><paramref name="timestampTicks"/> (not negative) of a clock running at <paramref name="frequency"/> as a duration, rounded up, saturating.</summary>
    public static TimeSpan ToDuration(long timestampTicks, long frequency)
    {
        if (timestampTicks <= 0) return TimeSpan.Zero;
        var ticks = ((UInt128)(ulong)timestampTicks * TimeSpan.TicksPerSecond + (ulong)(frequency - 1)) / (ulong)frequency;
        return ticks >= long.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The deadline <paramref name="ticks"/> after <paramref name="start"/>; <see cref="Never"/> when it would overflow.</summary>
    public static long After(long start, long ticks) => ticks >= Never - start ? Never : start + ticks;

    /// <summary>The wall-clock time of timestamp <paramref name="at"/>, given that timestamp <paramref name="now"/> is <paramref name="utcNow"/>.</summary>
    public static DateTimeOffset WallTimeOf(long at, long now, DateTimeOffset utcNow, long frequency)
    {
        if (at == Never) return DateTimeOffset.MaxValue;
        var offset = ToDuration(Math.Abs(at - now), frequency);
        if (at >= now) return offset >= DateTimeOffset.MaxValue - utcNow ? DateTimeOffset.MaxValue : utcNow + offset;
        return offset >= utcNow - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : utcNow - offset;
    }

    /// <summary>The timer delay to reach <paramref name="deadline"/> from <paramref name="now"/>: at least one tick, at most <see cref="MaxTimerDelay"/>.</summary>
    public static TimeSpan TimerDelay(long deadline, long now, long frequency)
    {
        var delay = ToDuration(deadline - now, frequency);
        if (delay < TimeSpan.FromTicks(1)) return TimeSpan.FromTicks(1);
        return delay > MaxTimerDelay ? MaxTimerDelay : delay;
    }
}
