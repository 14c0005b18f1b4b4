namespace Degradation;

/// <summary>Settings of a <see cref="ComponentCircuitBreaker"/>.</summary>
public sealed class ComponentBreakerOptions
{
    /// <summary>Share of failed (or slow) calls in the sliding window that opens the breaker, in (0, 1].</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Length of the sliding window.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Buckets of the sliding window: it slides by <see cref="SamplingDuration"/> / <see cref="WindowBuckets"/>.</summary>
    public int WindowBuckets { get; set; } = 10;

    /// <summary>Calls the window must hold before the ratio is judged.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>A call at least this slow counts as a failure even when it succeeded; off when null.</summary>
    public TimeSpan? SlowCallThreshold { get; set; }

    /// <summary>How long the breaker stays open before it lets trial calls through (on its own clock, even if nobody calls).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Trial calls admitted while half-open; all must succeed to close. If they do not all report within <see cref="BreakDuration"/>, the breaker reopens.</summary>
    public int HalfOpenTrialCalls { get; set; } = 1;

    /// <summary>
    /// Reason of the failure event published when the breaker opens or is isolated. When null: the component's
    /// <see cref="ComponentOptions.TimeoutReason"/>, else <c>"&lt;component&gt;.circuit_open"</c>.
    /// </summary>
    public ReasonCode? OpenReason { get; set; }

    internal void Validate()
    {
        if (!(FailureRatio > 0 && FailureRatio <= 1))
            throw new ArgumentOutOfRangeException(nameof(FailureRatio), FailureRatio, $"{nameof(FailureRatio)} must be within (0, 1] (was {FailureRatio}).");
        if (SamplingDuration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SamplingDuration), SamplingDuration, $"{nameof(SamplingDuration)} must be positive (was {SamplingDuration}).");
        if (WindowBuckets < 1 || WindowBuckets > 1000)
            throw new ArgumentOutOfRangeException(nameof(WindowBuckets), WindowBuckets, $"{nameof(WindowBuckets)} must be within [1, 1000] (was {WindowBuckets}).");
        if (SamplingDuration.Ticks / WindowBuckets < TimeSpan.TicksPerMillisecond)
            throw new ArgumentOutOfRangeException(nameof(WindowBuckets), WindowBuckets, $"{nameof(SamplingDuration)} / {nameof(WindowBuckets)} must be at least 1 ms (was {SamplingDuration} / {WindowBuckets}).");
        if (MinimumThroughput < 1)
            throw new ArgumentOutOfRangeException(nameof(MinimumThroughput), MinimumThroughput, $"{nameof(MinimumThroughput)} must be at least 1 (was {MinimumThroughput}).");
        if (SlowCallThreshold is { } slow && slow <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SlowCallThreshold), slow, $"{nameof(SlowCallThreshold)} must be positive when set (was {slow}).");
        if (BreakDuration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, $"{nameof(BreakDuration)} must be positive (was {BreakDuration}).");
        if (HalfOpenTrialCalls < 1)
            throw new ArgumentOutOfRangeException(nameof(HalfOpenTrialCalls), HalfOpenTrialCalls, $"{nameof(HalfOpenTrialCalls)} must be at least 1 (was {HalfOpenTrialCalls}).");
    }
}
