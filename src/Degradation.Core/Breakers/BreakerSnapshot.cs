namespace Degradation.Breakers;

/// <summary>A point-in-time view of a <see cref="ComponentCircuitBreaker"/>.</summary>
public sealed record BreakerSnapshot
{
    /// <summary>The component.</summary>
    public required ComponentId Component { get; init; }
    /// <summary>The state.</summary>
    public required BreakerState State { get; init; }
    /// <summary>Incremented by every state change; stale permits and timers carry an older one.</summary>
    public required int Generation { get; init; }
    /// <summary>Calls in the sliding window.</summary>
    public required long WindowCalls { get; init; }
    /// <summary>Failed or slow calls in the sliding window.</summary>
    public required long WindowFailures { get; init; }
    /// <summary>How often the breaker opened (isolation included).</summary>
    public required long TimesOpened { get; init; }
    /// <summary>Successful calls counted as failures for being slow.</summary>
    public required long SlowCalls { get; init; }
    /// <summary>Timer callbacks ignored because their generation was stale.</summary>
    public required long StaleTimerFirings { get; init; }
    /// <summary>
    /// When the next change due by time happens, on the wall clock: the end of the break (Open), of the isolation's TTL
    /// (Isolated), or of the earliest outstanding trial's time to report (HalfOpen). Null when none is scheduled.
    /// </summary>
    public DateTimeOffset? ReopensAt { get; init; }
    /// <summary>The operator who isolated it.</summary>
    public string? IsolatedBy { get; init; }
    /// <summary>Why it was isolated.</summary>
    public string? IsolationReason { get; init; }
}
