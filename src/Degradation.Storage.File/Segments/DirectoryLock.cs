using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Segments;

/// <summary>
/// Owns a WAL directory: its lock file is held open with <see cref="FileShare.None"/> (an exclusive <c>flock</c>
/// on Unix, a sharing lock on Windows) until disposed, so a second store — in this process or another — fails fast.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    public static DirectoryLock Acquire(string directoryPath)
    {
        var path = Path.Combine(directoryPath, WalFormat.LockFileName);
        try
        {
            return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new WalDirectoryLockedException(directoryPath, ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
