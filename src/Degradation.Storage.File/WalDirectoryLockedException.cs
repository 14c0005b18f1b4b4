namespace Degradation.Storage.File;

/// <summary>Thrown when a WAL directory is already open (in this or another process); only one writer may own it.</summary>
public sealed class WalDirectoryLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public WalDirectoryLockedException(string directoryPath, Exception? innerException = null)
        : base($"The WAL directory '{directoryPath}' is already open by another FileWalStore (this or another process holds its lock file '{Format.WalFormat.LockFileName}').", innerException)
    {
        DirectoryPath = directoryPath;
    }

    /// <summary>The locked directory.</summary>
    public string DirectoryPath { get; }
}
