namespace Degradation.Storage.File;

/// <summary>Thrown when a WAL file has a valid header of a format version this library cannot read (written by a newer version). Nothing is changed.</summary>
public sealed class UnsupportedWalVersionException : IOException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedWalVersionException(string filePath, int version)
        : base($"The WAL file '{filePath}' has format version {version}; this library reads version {Format.WalFormat.Version} only. Open it with the version that wrote it.")
    {
        FilePath = filePath;
        Version = version;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }
    /// <summary>The version found.</summary>
    public int Version { get; }
}
