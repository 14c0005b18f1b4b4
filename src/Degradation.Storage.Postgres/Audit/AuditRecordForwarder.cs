using Degradation.Audit;
using Degradation.State;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The <see cref="PostgresDegradation"/> adapter's place among a runtime's audit stores, which exist before the adapter
/// has started: hands every audit record to the adapter's <see cref="PostgresAuditStore"/>. Records handed over before
/// the store exists wait for it (each store has its own writer, so only this store's queue waits); once the adapter is
/// stopped, or when its audit is off or failed to start, records are refused with the reason, so the runtime counts and
/// reports them. Transitions are not forwarded: the adapter subscribes its store to the state machine itself.
/// </summary>
internal sealed class AuditRecordForwarder : IAuditStore
{
    private readonly object _lock = new();
    private readonly TaskCompletionSource<PostgresAuditStore> _store = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _closed;
    private int _inFlight;
    private TaskCompletionSource? _idle;

    /// <summary>From now on records go to <paramref name="store"/> (those waiting first).</summary>
    public void Attach(PostgresAuditStore store) => _store.TrySetResult(store);

    /// <summary>Refuses every later record, naming <paramref name="why"/>; records waiting for a store that never came are refused too.</summary>
    public void Close(string why)
    {
        lock (_lock) _closed ??= why;
        _store.TrySetException(new InvalidOperationException(why));
    }

    /// <summary>Completes when no record is on its way to the store.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_inFlight == 0) return Task.CompletedTask;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Nothing to do: the adapter's store is subscribed to the state machine and gets every transition there.</summary>
    public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Stores <paramref name="record"/> in the adapter's store, once it exists.</summary>
    /// <exception cref="InvalidOperationException">The adapter is stopped, its audit is off, or it failed to start.</exception>
    public async ValueTask AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (_closed is { } why) throw new InvalidOperationException($"{why}: the audit record '{record.Action}' was not stored in PostgreSQL.");
            _inFlight++;
        }
        try
        {
            var store = await _store.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TaskCompletionSource? idle = null;
            lock (_lock)
            {
                if (--_inFlight == 0)
                {
                    idle = _idle;
                    _idle = null;
                }
            }
            idle?.TrySetResult();
        }
    }
}
