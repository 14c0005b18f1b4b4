using Degradation;
using Degradation.Retry;

namespace TradingHost.Simulation;

/// <summary>
/// Sends orders to the broker through <see cref="IdempotentRetry"/>: a submission whose response is lost is looked up
/// by client order id before any retry, so it is never sent twice (chaos test 2).
/// </summary>
public sealed class OrderRouter
{
    private readonly SimulatedBroker _broker;
    private readonly PositionBook _book;
    private readonly IdempotentRetry _retry;
    private long _sent;
    private long _foundOnRetry;
    private long _retries;

    public OrderRouter(SimulatedBroker broker, PositionBook book, ITradingGate gate, TimeProvider time)
    {
        _broker = broker;
        _book = book;
        _retry = new IdempotentRetry(new IdempotentRetryOptions
        {
            MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(2), Gate = gate,
        }, time);
        _retry.RetryScheduled += _ => Interlocked.Increment(ref _retries);
    }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Orders whose first response was lost and that the idempotency check found at the broker.</summary>
    public long FoundOnRetry => Interlocked.Read(ref _foundOnRetry);

    public long Retries => Interlocked.Read(ref _retries);

    public async Task<IdempotentRetryResult<string>> SendAsync(string clientOrderId, string symbol, decimal quantity, CancellationToken cancellationToken)
    {
        var result = await _retry.ExecuteAsync(clientOrderId,
            async (key, ct) => await _broker.SubmitAsync(key, symbol, quantity, ct).ConfigureAwait(false),
            async (key, ct) => await _broker.HasOrderAsync(key, ct).ConfigureAwait(false) ? IdempotencyLookup<string>.Existing(key) : IdempotencyLookup<string>.NotFound,
            cancellationToken).ConfigureAwait(false);
        _book.Apply(symbol, quantity);
        Interlocked.Increment(ref _sent);
        if (result.FoundExisting) Interlocked.Increment(ref _foundOnRetry);
        return result;
    }
}
