namespace Degradation.Retry;

/// <summary>Raised when a retry is scheduled: the delay timer is already running when observers see it.</summary>
/// <param name="IdempotencyKey">The operation's key.</param>
/// <param name="NextAttempt">The attempt that will run after the delay (2 = first retry).</param>
/// <param name="Delay">The backoff delay.</param>
/// <param name="Failure">The failure that caused the retry.</param>
public sealed record RetryScheduled(string IdempotencyKey, int NextAttempt, TimeSpan Delay, Exception Failure);
