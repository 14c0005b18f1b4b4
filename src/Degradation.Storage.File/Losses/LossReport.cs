namespace Degradation.Storage.File.Losses;

/// <summary>One loss report as kept in the <see cref="LossJournal"/>: what was found, and whether it has been delivered.</summary>
internal sealed class LossReport(long id, WalCorruption corruption, bool delivered)
{
    /// <summary>Position in the journal (1, 2, …); identifies the report for its "delivered" mark.</summary>
    public long Id { get; } = id;
    public WalCorruption Corruption { get; } = corruption;
    /// <summary>True once the corruption callback and the alert sink took the report without failing.</summary>
    public bool Delivered { get; set; } = delivered;
}
