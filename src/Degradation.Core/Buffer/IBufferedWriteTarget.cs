namespace Degradation;

/// <summary>
/// The system of record (typically the database) that <see cref="WriteBuffer"/> replays buffered writes into.
/// </summary>
/// <remarks>
/// Replay calls <see cref="WriteAsync"/> for one entry at a time, in sequence order, and records the entry as
/// replayed (durably, in the <see cref="IWalStore"/>) only after it returns. A crash or failure in the window
/// between the target committing a write and the store recording it leaves exactly one entry whose fate is
/// unknown: the first one the next replay sees. For that entry only, replay first asks
/// <see cref="IsAppliedAsync"/>, so a target that can answer gets every key exactly once.
/// </remarks>
public interface IBufferedWriteTarget
{
    /// <summary>
    /// Applies one buffered write. Return only once the write is committed; throw when it was not applied
    /// (replay stops there and resumes from this entry next time).
    /// </summary>
    ValueTask WriteAsync(WalEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the write keyed <c>entry.Record.IdempotentKey</c> is already applied (e.g. a row with that key
    /// exists). Asked only for the first entry of each replay run, the one a previous crash or failure may
    /// have applied without the buffer recording it. Return false when the target is naturally idempotent
    /// on the key and re-applying is harmless.
    /// </summary>
    ValueTask<bool> IsAppliedAsync(WalEntry entry, CancellationToken cancellationToken);
}
