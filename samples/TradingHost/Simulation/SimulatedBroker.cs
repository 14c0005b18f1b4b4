using System.Collections.Concurrent;

namespace TradingHost.Simulation;

/// <summary>
/// A broker that accepts orders idempotently by client order id, keeps positions, and can be taken down,
/// made to lose responses (the order is accepted but the reply times out), or made to disagree with the
/// local position book.
/// </summary>
public sealed class SimulatedBroker(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, int> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, decimal> _positions = new(StringComparer.Ordinal);
    private int _duplicateSubmissions;
    private int _dropNextResponses;
    private decimal _mismatch;

    public FaultSwitch Fault { get; } = new();

    public int OrdersAccepted => _orders.Count;

    /// <summary>Submissions that reached the broker for a client order id it already had (must stay 0).</summary>
    public int DuplicateSubmissions => Volatile.Read(ref _duplicateSubmissions);

    /// <summary>The next <paramref name="count"/> accepted orders lose their response (network timeout after acceptance).</summary>
    public void DropResponses(int count) => Interlocked.Exchange(ref _dropNextResponses, count);

    /// <summary>Makes the broker's position disagree with the book by <paramref name="quantity"/> (reconciliation must catch it).</summary>
    public void InjectPositionMismatch(decimal quantity) => _mismatch = quantity;

    public void ClearMismatch() => _mismatch = 0;

    public async Task<string> SubmitAsync(string clientOrderId, string symbol, decimal quantity, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(2), time, cancellationToken).ConfigureAwait(false);
        ThrowIfDown();
        if (!_orders.TryAdd(clientOrderId, 1))
        {
            Interlocked.Increment(ref _duplicateSubmissions);
            return clientOrderId; // idempotent: no second execution
        }
        _positions.AddOrUpdate(symbol, quantity, (_, q) => q + quantity);
        for (var remaining = Volatile.Read(ref _dropNextResponses); remaining > 0; remaining = Volatile.Read(ref _dropNextResponses))
        {
            if (Interlocked.CompareExchange(ref _dropNextResponses, remaining - 1, remaining) == remaining)
                throw new TimeoutException($"no response for {clientOrderId} (the broker accepted it)");
        }
        return clientOrderId;
    }

    /// <summary>Whether the broker has an order with this client id (the idempotency check before a retry).</summary>
    public async Task<bool> HasOrderAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        ThrowIfDown();
        return _orders.ContainsKey(clientOrderId);
    }

    public async Task<IReadOnlyDictionary<string, decimal>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(2), time, cancellationToken).ConfigureAwait(false);
        ThrowIfDown();
        var copy = new Dictionary<string, decimal>(_positions, StringComparer.Ordinal);
        if (_mismatch != 0) copy["ES"] = copy.GetValueOrDefault("ES") + _mismatch;
        return copy;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        switch (Fault.Kind)
        {
            case FaultKind.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.Slow:
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
                break;
        }
        ThrowIfDown();
    }

    private void ThrowIfDown()
    {
        if (Fault.Kind is FaultKind.Down) throw new DependencyUnavailableException("broker");
        if (Fault.Kind is FaultKind.Transient503) throw new DependencyUnavailableException("broker", transient: true);
    }
}
