namespace Degradation.Retry;

/// <summary>How an <see cref="IdempotentRetry"/> execution succeeded.</summary>
/// <typeparam name="TResult">The operation's result type.</typeparam>
/// <param name="Value">The result: of the successful submission, or of the earlier attempt found by the idempotency check.</param>
/// <param name="Attempts">Attempts made (1 = succeeded first time).</param>
/// <param name="Submissions">How many times the operation was actually sent.</param>
/// <param name="FoundExisting">True when the idempotency check found that an earlier (seemingly failed) attempt had taken effect.</param>
public sealed record IdempotentRetryResult<TResult>(TResult Value, int Attempts, int Submissions, bool FoundExisting);
