namespace Degradation.Storage.File.Recovery;

/// <summary>Names of the steps of a repair, passed to the internal crash-test seam <c>FileWalStoreOptions.RecoveryStepReached</c>.</summary>
internal static class RecoverySteps
{
    public const string Quarantined = "quarantined";
    public const string Journaled = "journaled";
    public const string Salvaged = "salvaged";
    public const string Truncated = "truncated";
    public const string Deleted = "deleted";
    public const string Delivered = "delivered";
}
