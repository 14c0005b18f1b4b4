namespace Degradation.Buffering;

/// <summary>
/// Durable, ordered storage for buffered writes (docs/RULES.md, Write buffer). Implementations: in-memory (tests), the file WAL
/// (embedded default, package Degradation.Storage.File) and PostgreSQL. Thread-safe.
/// </summary>
public interface IWalStore : IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="records"/> in order and completes only when they are durable. Returns the
    /// sequence number assigned to each record, in order.
    /// </summary>
    ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<WalRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Reads unreplayed entries with a sequence number greater than <paramref name="afterSequence"/>, in order.</summary>
    IAsyncEnumerable<WalEntry> ReadAsync(long afterSequence = 0, CancellationToken cancellationToken = default);

    /// <summary>Marks every entry up to and including <paramref name="sequence"/> replayed (durably); storage may be reclaimed.</summary>
    ValueTask MarkReplayedAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>The size of the unreplayed part.</summary>
    ValueTask<WalStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
