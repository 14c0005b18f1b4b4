namespace Degradation.Retry;

/// <summary>
/// An operation that may be retried only if it provably did not take effect, e.g. an order submission keyed by its
/// client order id. <see cref="IdempotentRetry"/> calls <see cref="FindExistingAsync"/> before every retry.
/// </summary>
/// <typeparam name="TResult">What a successful submission returns (e.g. the broker's order id).</typeparam>
public interface IIdempotentOperation<TResult>
{
    /// <summary>Performs the operation once, tagged with <paramref name="idempotencyKey"/>.</summary>
    ValueTask<TResult> SubmitAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Looks for the effect of an earlier attempt with <paramref name="idempotencyKey"/> (e.g. a recent order with that client id).</summary>
    ValueTask<IdempotencyLookup<TResult>> FindExistingAsync(string idempotencyKey, CancellationToken cancellationToken);
}
