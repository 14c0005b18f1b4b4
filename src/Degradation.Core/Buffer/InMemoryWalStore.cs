using System.Runtime.CompilerServices;

namespace Degradation.Buffering;

/// <summary>
/// An <see cref="IWalStore"/> that keeps entries in process memory: durable only for the lifetime of the
/// instance. For tests and for applications that accept losing buffered writes on a crash. Thread-safe.
/// Payloads are copied on append, so callers may reuse their buffers.
/// </summary>
public sealed class InMemoryWalStore : IWalStore
{
    private readonly object _lock = new();
    private readonly List<WalEntry> _unreplayed = [];
    private long _lastSequence;
    private long _replayedThrough;
    private long _bytes;
    private bool _disposed;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        var copies = new WalRecord[records.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"records[{i}] is null.", nameof(records));
            copies[i] = record with { Payload = record.Payload.ToArray(), OldState = record.OldState is { } old ? old.ToArray() : (ReadOnlyMemory<byte>?)null };
        }
        var sequences = new long[copies.Length];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var i = 0; i < copies.Length; i++)
            {
                sequences[i] = ++_lastSequence;
                _unreplayed.Add(new WalEntry(sequences[i], copies[i]));
                _bytes += copies[i].Payload.Length;
            }
        }
        return ValueTask.FromResult<IReadOnlyList<long>>(sequences);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        WalEntry[] snapshot;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            snapshot = [.. _unreplayed.Where(e => e.Sequence > afterSequence)];
        }
        foreach (var entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is beyond the last appended sequence.</exception>
    public ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (sequence > _lastSequence)
                throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"Cannot mark sequence {sequence} replayed: the last appended sequence is {_lastSequence}.");
            if (sequence <= _replayedThrough) return ValueTask.CompletedTask;
            _replayedThrough = sequence;
            var count = 0;
            while (count < _unreplayed.Count && _unreplayed[count].Sequence <= sequence)
            {
                _bytes -= _unreplayed[count].Record.Payload.Length;
                count++;
            }
            _unreplayed.RemoveRange(0, count);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var oldest = _unreplayed.Count > 0 ? _unreplayed[0].Record.CreatedAt : (DateTimeOffset?)null;
            return ValueTask.FromResult(new WalStats(_unreplayed.Count, _bytes, oldest, _lastSequence));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_lock) _disposed = true;
        return ValueTask.CompletedTask;
    }
}
