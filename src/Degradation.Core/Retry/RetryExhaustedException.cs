namespace Degradation.Retry;

/// <summary>Every attempt of an <see cref="IdempotentRetry"/> execution failed; <see cref="Exception.InnerException"/> is the last failure.</summary>
public sealed class RetryExhaustedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetryExhaustedException(string idempotencyKey, int attempts, int submissions, Exception lastFailure)
        : base($"Operation '{idempotencyKey}' failed after {attempts} attempt(s) ({submissions} submission(s)): {lastFailure.Message}", lastFailure)
    {
        IdempotencyKey = idempotencyKey;
        Attempts = attempts;
        Submissions = submissions;
    }

    /// <summary>The operation's key.</summary>
    public string IdempotencyKey { get; }
    /// <summary>Attempts made.</summary>
    public int Attempts { get; }
    /// <summary>How many times the operation was actually sent.</summary>
    public int Submissions { get; }
}
