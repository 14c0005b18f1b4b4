namespace Degradation.Audit;

/// <summary>
/// Hands a component's audit records to its <see cref="IAuditStore"/> in order without waiting for the store:
/// records are appended one at a time; a store that completes synchronously (an in-memory trail) has the record
/// before <see cref="Write"/> returns, a slow one finishes on the thread pool while later records queue behind it.
/// A record the store refuses or fails is counted and reported, never dropped silently. Thread-safe.
/// </summary>
internal sealed class AuditWriter
{
    private readonly IAuditStore _store;
    private readonly object _lock = new();
    private readonly Queue<AuditRecord> _backlog = new();
    private readonly Action<AuditRecord, Exception>? _onFailure;
    private TaskCompletionSource? _idle;
    private bool _writing;
    private long _failures;

    public AuditWriter(IAuditStore store, Action<AuditRecord, Exception>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _onFailure = onFailure;
    }

    /// <summary>Records the store failed or refused.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Queues <paramref name="record"/> and, unless a write is in progress, writes it (and any backlog) now.</summary>
    public void Write(AuditRecord record)
    {
        lock (_lock)
        {
            _backlog.Enqueue(record);
            if (_writing) return; // the write in progress takes this one too, in order
            _writing = true;
        }
        _ = DrainAsync(); // runs synchronously up to the store's first incomplete await; never throws
    }

    /// <summary>Completes when every record written so far has been handled by the store.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_writing) return Task.CompletedTask;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            AuditRecord record;
            lock (_lock)
            {
                if (!_backlog.TryDequeue(out record!))
                {
                    _writing = false;
                    _idle?.TrySetResult();
                    _idle = null;
                    return;
                }
            }
            try
            {
                await _store.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever the store's failure, the record is counted and reported; the component carries on.
            catch (Exception error)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failures);
                try { _onFailure?.Invoke(record, error); } catch (Exception) { /* a failing failure handler must not stop auditing */ }
            }
        }
    }
}
