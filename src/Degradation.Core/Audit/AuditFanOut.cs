namespace Degradation.Audit;

/// <summary>
/// Every audit store of a runtime as one <see cref="IAuditStore"/>. A record goes to each store through its own
/// <see cref="AuditWriter"/>: in order per store, without waiting for any of them, so a slow database delays only its
/// own copy. A record a store refuses or fails is counted and reported to the failure handler, never dropped silently.
/// Thread-safe.
/// </summary>
internal sealed class AuditFanOut : IAuditStore
{
    private readonly IAuditStore[] _stores;
    private readonly AuditWriter[] _writers;

    public AuditFanOut(IReadOnlyList<IAuditStore> stores, Action<AuditRecord, Exception>? onFailure)
    {
        ArgumentNullException.ThrowIfNull(stores);
        _stores = [.. stores];
        _writers = [.. _stores.Select(store => new AuditWriter(store, onFailure))];
    }

    /// <summary>Records the stores failed or refused, over every store.</summary>
    public long Failures => _writers.Sum(w => w.Failures);

    /// <summary>Hands <paramref name="record"/> to every store (see the type's remarks).</summary>
    public void Write(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var writer in _writers) writer.Write(record);
    }

    /// <summary>Queues <paramref name="record"/> for every store and returns at once; failures are counted in <see cref="Failures"/>.</summary>
    public ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(record);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Hands <paramref name="transition"/> to every store in turn. The runtime already attaches each store to the state
    /// machine; this is for a caller holding the fan-out as its only store. Every store is tried; failures are thrown together.
    /// </summary>
    public async ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        List<Exception>? failures = null;
        foreach (var store in _stores)
        {
            try
            {
                await store.AppendAsync(transition, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(ex);
            }
        }
        if (failures is not null)
            throw new AggregateException($"{failures.Count} of {_stores.Length} audit stores failed to store transition #{transition.Sequence}.", failures);
    }

    /// <summary>Completes when every store has handled every record written so far.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_writers.Select(w => w.FlushAsync(cancellationToken)));

    /// <summary>
    /// Writes every event <paramref name="bus"/> processes whose reason is record-only (see
    /// <see cref="RecordOnlyEvents"/>) to every store. Dispose to stop.
    /// </summary>
    public IDisposable FollowRecordedEvents(EventBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus.Subscribe(e =>
        {
            if (RecordOnlyEvents.ToAuditRecord(e) is { } record) Write(record);
        });
    }
}
