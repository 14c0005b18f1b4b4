namespace Degradation.Retry;

/// <summary>
/// An exponential backoff series: the delay before retry <c>n</c> (1-based) is
/// <c>min(BaseDelay × 2^(n-1), MaxDelay)</c>. A value with no state, shared by the recovery orchestrator and
/// <see cref="IdempotentRetry"/>, so both produce exactly the configured series.
/// </summary>
public readonly record struct ExponentialBackoff
{
    /// <summary>Creates a backoff series.</summary>
    /// <param name="baseDelay">Delay before the first retry; must be positive.</param>
    /// <param name="maxDelay">Cap of every delay; must not be below <paramref name="baseDelay"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A delay is not positive, or the cap is below the base.</exception>
    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (baseDelay <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(baseDelay), baseDelay, "The base delay must be positive.");
        if (maxDelay < baseDelay)
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, $"The maximum delay must not be below the base delay ({baseDelay}).");
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    /// <summary>The backoff of recovery stages: <see cref="RecoveryOptions.BackoffBase"/> capped at <see cref="RecoveryOptions.BackoffMax"/>.</summary>
    public static ExponentialBackoff ForRecovery(DegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExponentialBackoff(options.Recovery.BackoffBase, options.Recovery.BackoffMax);
    }

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>Cap of every delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The delay before retry <paramref name="retry"/> (1 = the first retry).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retry"/> is below 1.</exception>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // Doubling past the cap is pointless and would overflow; stop as soon as the cap is reached.
        var delay = BaseDelay;
        for (var i = 1; i < retry && delay < MaxDelay; i++)
            delay = delay.Ticks > MaxDelay.Ticks / 2 ? MaxDelay : delay + delay;
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>The first <paramref name="retries"/> delays of the series.</summary>
    public IReadOnlyList<TimeSpan> Series(int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        var result = new TimeSpan[retries];
        for (var i = 0; i < retries; i++) result[i] = DelayBeforeRetry(i + 1);
        return result;
    }
}
