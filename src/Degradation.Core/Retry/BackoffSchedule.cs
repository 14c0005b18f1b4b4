namespace Degradation.Retry;

/// <summary>
/// A fixed series of retry delays: retry <c>n</c> waits the <c>n</c>-th delay, and every retry past the end waits the last
/// one (e.g. 10 s, 20 s, 30 s, then 60 s for good). Immutable.
/// </summary>
public sealed class BackoffSchedule
{
    private readonly TimeSpan[] _delays;

    /// <summary>Creates a schedule.</summary>
    /// <param name="delays">The delays in order; at least one, each positive.</param>
    /// <exception cref="ArgumentException">No delay, or a delay that is not positive (the message names its position).</exception>
    public BackoffSchedule(IEnumerable<TimeSpan> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        _delays = [.. delays];
        if (_delays.Length == 0) throw new ArgumentException("A backoff schedule needs at least one delay.", nameof(delays));
        for (var i = 0; i < _delays.Length; i++)
            if (_delays[i] <= TimeSpan.Zero)
                throw new ArgumentException($"Delay {i + 1} of the backoff schedule must be positive (was {_delays[i]}).", nameof(delays));
    }

    /// <summary>The schedule of recovery retries from <see cref="RecoveryOptions.BackoffSchedule"/>, or null when it is empty (exponential backoff then).</summary>
    public static BackoffSchedule? ForRecovery(DegradationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Recovery.BackoffSchedule is { Count: > 0 } schedule
            ? new BackoffSchedule(schedule)
            : null;
    }

    /// <summary>The delays, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => _delays;

    /// <summary>The delay before retry <paramref name="retry"/> (1 = the first retry); the last delay repeats.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retry"/> is below 1.</exception>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        return _delays[Math.Min(retry, _delays.Length) - 1];
    }
}
