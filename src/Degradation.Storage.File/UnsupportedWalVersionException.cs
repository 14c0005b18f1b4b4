namespace Degradation.Storage.File;

/// <summary>
/// Thrown when a WAL file has a valid header of a format version this library cannot read: written by a newer
/// version, or a segment of format version 1 (whose records do not say what was durable when they were written).
/// Nothing is changed. Drain such a log with the version that wrote it (replay until empty), then delete it.
/// </summary>
public sealed class UnsupportedWalVersionException : IOException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedWalVersionException(string filePath, int version)
        : this(filePath, version, Format.WalFormat.Version)
    {
    }

    internal UnsupportedWalVersionException(string filePath, int version, int supported)
        : base($"The WAL file '{filePath}' has format version {version}; this library reads version {supported} only. Open it with the version that wrote it and replay it until it is empty, then remove it.")
    {
        FilePath = filePath;
        Version = version;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }
    /// <summary>The version found.</summary>
    public int Version { get; }
}
