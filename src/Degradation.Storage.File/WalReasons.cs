namespace Degradation.Storage.File;

/// <summary>Reason codes the file WAL uses in its alerts.</summary>
public static class WalReasons
{
    /// <summary>A WAL segment was found damaged and quarantined.</summary>
    public static readonly ReasonCode Corrupt = new("db.wal_corrupt");
}
