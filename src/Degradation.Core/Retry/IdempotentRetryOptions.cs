namespace Degradation.Retry;

/// <summary>Settings of <see cref="IdempotentRetry"/>. Defaults: 3 attempts, delays 1 s then 2 s (capped at 4 s).</summary>
public sealed class IdempotentRetryOptions
{
    /// <summary>Total attempts, the first one included. At least 1.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubles for each further retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the retry delay.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Which failures are worth a retry; every exception when null (cancellation of the caller's token never is).</summary>
    public Func<Exception, bool>? IsRetryable { get; set; }

    /// <summary>
    /// When set, a retry is sent only while this gate allows <see cref="GateAction"/>: an outage that closes the gate
    /// between attempts stops the retries (after the idempotency check, which is a query and always allowed).
    /// </summary>
    public ITradingGate? Gate { get; set; }

    /// <summary>The action checked on <see cref="Gate"/> before each retry.</summary>
    public ActionType GateAction { get; set; } = ActionType.Send;

    internal ExponentialBackoff Validate()
    {
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, $"{nameof(MaxAttempts)} must be at least 1.");
        if (BaseDelay <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, $"{nameof(BaseDelay)} must be positive.");
        if (MaxDelay < BaseDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"{nameof(MaxDelay)} must not be below {nameof(BaseDelay)} ({BaseDelay}).");
        if (!Enum.IsDefined(GateAction))
            throw new ArgumentOutOfRangeException(nameof(GateAction), GateAction, $"Unknown action '{(int)GateAction}'.");
        return new ExponentialBackoff(BaseDelay, MaxDelay);
    }
}
