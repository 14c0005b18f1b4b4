using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Degradation;
using Degradation.Buffering;

namespace TradingHost.Simulation;

/// <summary>
/// Persists one record per order sent. Writes go straight to the database while it is up and nothing is buffered;
/// otherwise they go to the <see cref="WriteBuffer"/> (durable in the WAL), and once the database answers again the
/// buffer is replayed in order before any new write goes direct. A write the buffer refuses (bound reached) is held
/// in memory, in order, and retried: nothing is dropped.
/// </summary>
public sealed class DbWriter : IAsyncDisposable
{
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _io = new(1, 1);
    private readonly Queue<long> _heldBack = new();
    private readonly SimulatedDatabase _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly WriteBuffer _buffer;
    private Task _loop = Task.CompletedTask;
    private long _produced;
    private long _direct;
    private long _buffered;
    private long _replayed;
    private long _refusedByBuffer;
    private int _disposed;
    private long _queued;

    public DbWriter(SimulatedDatabase database, WriteBuffer buffer)
    {
        _database = database;
        _buffer = buffer;
    }

    public long Produced => Interlocked.Read(ref _produced);
    public long WrittenDirect => Interlocked.Read(ref _direct);
    public long Buffered => Interlocked.Read(ref _buffered);
    public long Replayed => Interlocked.Read(ref _replayed);
    /// <summary>Writes the buffer refused at its bound (held in memory and retried, not lost).</summary>
    public long RefusedByBuffer => Interlocked.Read(ref _refusedByBuffer);
    public long Pending => Interlocked.Read(ref _queued) + _heldBack.Count + _buffer.Count;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Called for every order sent (from the strategy thread): the record is queued, never blocks.</summary>
    public void Post(long orderNumber)
    {
        Interlocked.Increment(ref _produced);
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(orderNumber);
    }

    /// <summary>Replays the buffer and the held-back writes if the database is up; describes what happened.</summary>
    public async Task<string> ReplayPendingAsync(CancellationToken cancellationToken)
    {
        await _io.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DrainLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _io.Release();
        }
    }

    /// <summary>Waits until every record produced so far is in the database (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task FlushAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            await ReplayPendingAsync(cancellationToken).ConfigureAwait(false);
            if (Pending > 0) await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var reader = _queue.Reader;
        while (!token.IsCancellationRequested)
        {
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                tick.CancelAfter(TimeSpan.FromMilliseconds(20)); // real time: retry replay even when no new order comes
                try { await reader.WaitToReadAsync(tick.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!token.IsCancellationRequested) { }
            }
            await _io.WaitAsync(token).ConfigureAwait(false);
            try
            {
                if (_heldBack.Count > 0 || _buffer.Count > 0) await DrainLockedAsync(token).ConfigureAwait(false);
                while (reader.TryRead(out var order))
                {
                    await WriteLockedAsync(order, token).ConfigureAwait(false);
                    Interlocked.Decrement(ref _queued);
                }
            }
            finally
            {
                _io.Release();
            }
        }
    }

    private async Task WriteLockedAsync(long order, CancellationToken token)
    {
        if (_heldBack.Count == 0 && _buffer.Count == 0)
        {
            try
            {
                _database.Write(Key(order));
                Interlocked.Increment(ref _direct);
                return;
            }
            catch (DependencyUnavailableException)
            {
                // The database is down: from here on, buffer (in order) until replay has drained everything.
            }
        }
        _heldBack.Enqueue(order);
        await MoveHeldBackToBufferLockedAsync(token).ConfigureAwait(false);
    }

    private async Task MoveHeldBackToBufferLockedAsync(CancellationToken token)
    {
        while (_heldBack.TryPeek(out var order))
        {
            try
            {
                var key = Key(order);
                var result = await _buffer.EnqueueAsync(key, "order", key, Payload(order), cancellationToken: token).ConfigureAwait(false);
                if (result.Outcome == EnqueueOutcome.Buffered) Interlocked.Increment(ref _buffered);
                _heldBack.Dequeue();
            }
            catch (WriteBufferOverflowException)
            {
                Interlocked.Increment(ref _refusedByBuffer);
                return; // held in memory, retried after the next replay
            }
        }
    }

    private async Task<string> DrainLockedAsync(CancellationToken token)
    {
        var buffer = _buffer;
        if (_database.Fault.IsDown) return $"database down, {buffer.Count + _heldBack.Count} writes stay buffered";
        var replayed = 0;
        try
        {
            // Replay, then move held-back writes into the buffer and replay again, so order is kept end to end.
            do
            {
                var result = await buffer.ReplayAsync(token).ConfigureAwait(false);
                replayed += result.Replayed;
                Interlocked.Add(ref _replayed, result.Replayed);
                await MoveHeldBackToBufferLockedAsync(token).ConfigureAwait(false);
            }
            while (buffer.Count > 0);
        }
        catch (WriteBufferReplayException ex)
        {
            Interlocked.Add(ref _replayed, ex.Progress.Replayed);
            return $"replay stopped: {ex.InnerException?.Message}";
        }
        return string.Create(CultureInfo.InvariantCulture, $"replayed {replayed} buffered writes");
    }

    public static string Key(long order) => "ord-" + order.ToString("D9", CultureInfo.InvariantCulture);

    private static byte[] Payload(long order) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"order\":{order},\"qty\":1}}"));
}

/// <summary>Replay target: the simulated database (idempotent by key; <see cref="IsAppliedAsync"/> answers from it).</summary>
public sealed class DatabaseWriteTarget(SimulatedDatabase database) : IBufferedWriteTarget
{
    public ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken)
    {
        database.Write(entry.Record.IdempotentKey);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken) =>
        ValueTask.FromResult(database.Contains(entry.Record.IdempotentKey));
}
