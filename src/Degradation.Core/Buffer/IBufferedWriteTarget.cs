namespace Degradation.Buffering;

/// <summary>
/// The system of record (typically the database) that <see cref="WriteBuffer"/> replays buffered writes into.
/// </summary>
/// <remarks>
/// <para>Replay calls <see cref="WriteAsync"/> for one entry at a time, in sequence order, and records the entry as
/// replayed (durably, in the <see cref="IWalStore"/>) only after it returns, before the next entry. A failure in
/// the window between the target committing a write and the store recording it — a crash, <see cref="WriteAsync"/>
/// throwing after the target committed (e.g. the commit's acknowledgement was lost), or the progress record
/// failing — leaves exactly one entry whose fate is unknown: the first one the next replay run sees.</para>
/// <para>The guarantee, exactly: with <see cref="IsAppliedAsync"/> answering truthfully, no entry is applied
/// twice (replay asks it about that first entry, and only about that one). Without it (it returns false), an
/// entry is delivered at most 1 + k times, where k is the number of such failures that struck after the target
/// committed that entry and before its progress was recorded; each failure redelivers only that one entry, once,
/// at the start of the next run, and every entry never caught in that window is delivered exactly once. So after
/// k failures after commit, at most k deliveries in all are repeats. The guarantee is per buffered entry: a key
/// enqueued again after its entry was replayed by an earlier process is a new entry.</para>
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
