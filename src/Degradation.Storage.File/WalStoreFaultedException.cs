namespace Degradation.Storage.File;

/// <summary>
/// Thrown by appends after a write or fsync failed: the file's state is unknown, so the store accepts no more
/// appends (reads still work). Reopen the store to run recovery. The inner exception is the original failure.
/// </summary>
public sealed class WalStoreFaultedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public WalStoreFaultedException(string directoryPath, Exception innerException)
        : base($"The WAL in '{directoryPath}' failed to write or flush and accepts no more appends; reopen it to recover. Cause: {innerException?.Message}", innerException)
    {
        DirectoryPath = directoryPath;
    }

    /// <summary>The WAL directory.</summary>
    public string DirectoryPath { get; }
}
