using Degradation.Storage.File;

namespace Degradation.Benchmarks.Wal;

/// <summary>Shared setup of the WAL benchmarks. Set WAL_BENCH_DIR to put the files on the disk under test (default: the temp folder).</summary>
internal static class WalBenchmarkKit
{
    public const int PayloadBytes = 256;

    public static string NewDirectory(string name)
    {
        var root = Environment.GetEnvironmentVariable("WAL_BENCH_DIR") is { Length: > 0 } configured ? configured : Path.GetTempPath();
        var path = Path.Combine(root, $"dg-wal-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteDirectory(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static WalRecord Record(int i)
    {
        var payload = new byte[PayloadBytes];
        new Random(i).NextBytes(payload);
        return new WalRecord
        {
            IdempotentKey = $"order-{i:D10}",
            ResourceType = "order",
            ResourceId = $"o-{i % 1000}",
            Payload = payload,
            CreatedAt = new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero),
        };
    }

    public static FileWalStoreOptions Options(string directory) => new() { DirectoryPath = directory };
}
