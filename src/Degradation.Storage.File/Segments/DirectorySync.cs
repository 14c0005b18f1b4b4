using System.Runtime.InteropServices;

namespace Degradation.Storage.File.Segments;

/// <summary>
/// Flushes a directory's entries (new, renamed files) to disk on Unix, where a file's fsync does not cover its
/// name. Best effort: a platform without it (Windows journals metadata itself) is a no-op.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string directoryPath)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            var fd = Open(directoryPath, 0 /* O_RDONLY */);
            if (fd < 0) return;
            try
            {
                _ = FSync(fd);
            }
            finally
            {
                _ = Close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc: nothing more we can do than the file-level fsyncs already done.
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
