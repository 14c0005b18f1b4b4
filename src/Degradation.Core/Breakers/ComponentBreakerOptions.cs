namespace Degradation.Breakers;

/// <summary>Settings of a <see cref="ComponentCircuitBreaker"/>.</summary>
public sealed class ComponentBreakerOptions
{
    /// <summary>
    /// The longest <see cref="SamplingDuration"/> and <see cref="BreakDuration"/> accepted: the longest delay a timer
    /// accepts, 4,294,967,294 ms (about 49.7 days).
    /// </summary>
    public static TimeSpan MaxDuration => BreakerTime.MaxTimerDelay;

    /// <summary>
    /// Share of failed (or slow) calls in the sliding window that opens the breaker, in (0, 1]. The breaker opens when
    /// failures / calls reaches it exactly (7 of 25 calls reach 0.28): the ratio is compared as the decimal it was written
    /// as, with integer arithmetic.
    /// </summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Length of the sliding window; at most <see cref="MaxDuration"/>.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Buckets of the sliding window: it slides by <see cref="SamplingDuration"/> / <see cref="WindowBuckets"/>.</summary>
    public int WindowBuckets { get; set; } = 10;

    /// <summary>Calls the window must hold before the ratio is judged.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>A call at least this slow counts as a failure even when it succeeded; off when null.</summary>
    public TimeSpan? SlowCallThreshold { get; set; }

    /// <summary>
    /// How long the breaker stays open before it lets trial calls through (on its own clock, even if nobody calls); at
    /// most <see cref="MaxDuration"/>. Also how long each admitted trial call has to report.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Trial calls admitted while half-open, within [1, 10 000]; all must succeed to close. Each must report within <see cref="BreakDuration"/>
    /// of its admission, or the breaker reopens (dated to that deadline).
    /// </summary>
    public int HalfOpenTrialCalls { get; set; } = 1;

    /// <summary>
    /// Reason of the failure event published when the breaker opens or is isolated. When null: the component's
    /// <see cref="ComponentOptions.TimeoutReason"/>, else <c>"&lt;component&gt;.circuit_open"</c>.
    /// </summary>
    public ReasonCode? OpenReason { get; set; }

    // Each trial holds a slot with its own deadline; more than this is a configuration mistake, not a trial.
    private const int MaxHalfOpenTrialCalls = 10_000;

    internal void Validate()
    {
        if (!(FailureRatio > 0 && FailureRatio <= 1))
            throw new ArgumentOutOfRangeException(nameof(FailureRatio), FailureRatio, $"{nameof(FailureRatio)} must be within (0, 1] (was {FailureRatio}).");
        if (SamplingDuration <= TimeSpan.Zero || SamplingDuration > MaxDuration)
            throw new ArgumentOutOfRangeException(nameof(SamplingDuration), SamplingDuration, $"{nameof(SamplingDuration)} must be within (0, {MaxDuration}] (was {SamplingDuration}).");
        if (WindowBuckets < 1 || WindowBuckets > 1000)
            throw new ArgumentOutOfRangeException(nameof(WindowBuckets), WindowBuckets, $"{nameof(WindowBuckets)} must be within [1, 1000] (was {WindowBuckets}).");
        if (SamplingDuration.Ticks / WindowBuckets < TimeSpan.TicksPerMillisecond)
            throw new ArgumentOutOfRangeException(nameof(WindowBuckets), WindowBuckets, $"{nameof(SamplingDuration)} / {nameof(WindowBuckets)} must be at least 1 ms (was {SamplingDuration} / {WindowBuckets}).");
        if (MinimumThroughput < 1)
            throw new ArgumentOutOfRangeException(nameof(MinimumThroughput), MinimumThroughput, $"{nameof(MinimumThroughput)} must be at least 1 (was {MinimumThroughput}).");
        if (SlowCallThreshold is { } slow && slow <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SlowCallThreshold), slow, $"{nameof(SlowCallThreshold)} must be positive when set (was {slow}).");
        if (BreakDuration <= TimeSpan.Zero || BreakDuration > MaxDuration)
            throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, $"{nameof(BreakDuration)} must be within (0, {MaxDuration}] (was {BreakDuration}).");
        if (HalfOpenTrialCalls < 1 || HalfOpenTrialCalls > MaxHalfOpenTrialCalls)
            throw new ArgumentOutOfRangeException(nameof(HalfOpenTrialCalls), HalfOpenTrialCalls, $"{nameof(HalfOpenTrialCalls)} must be within [1, {MaxHalfOpenTrialCalls}] (was {HalfOpenTrialCalls}).");
    }
}
