namespace Degradation.Storage.File;

/// <summary>
/// Thrown when WAL data is damaged and the store will not carry on silently: when opening with
/// <see cref="FileWalStoreOptions.FailOnCorruption"/>, when both checkpoint slots are unreadable, or when a read
/// finds a record that was valid at open damaged since.
/// </summary>
public sealed class WalCorruptedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public WalCorruptedException(string filePath, long offset, string problem, Exception? innerException = null)
        : base($"The WAL file '{filePath}' is damaged at offset {offset}: {problem}.", innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }
    /// <summary>Byte offset of the damage.</summary>
    public long Offset { get; }
    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
