using System.Buffers.Binary;
using System.Text;
using Degradation.Storage.File;

namespace Degradation.Tests.Storage;

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dg-wal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class WalTestKit
{
    public static FileWalStoreOptions Options(string directory, long segmentBytes = 64L * 1024 * 1024) =>
        new() { DirectoryPath = directory, SegmentSizeBytes = segmentBytes };

    public static WalRecord Record(string key, int payloadBytes = 16, string type = "order", string id = "o-1")
    {
        var payload = new byte[payloadBytes];
        for (var i = 0; i < payload.Length; i++) payload[i] = (byte)(i * 7 + key.Length);
        return new WalRecord
        {
            IdempotentKey = key,
            ResourceType = type,
            ResourceId = id,
            Payload = payload,
            CreatedAt = new DateTimeOffset(2026, 1, 26, 9, 30, 0, TimeSpan.Zero),
        };
    }

    public static async Task<List<WalEntry>> ReadAll(IWalStore store, long after = 0)
    {
        var list = new List<WalEntry>();
        await foreach (var e in store.ReadAsync(after)) list.Add(e);
        return list;
    }

    public static async Task<List<string>> Keys(IWalStore store) => [.. (await ReadAll(store)).Select(e => e.Record.IdempotentKey)];

    /// <summary>Creates a WAL holding <paramref name="count"/> records keyed k1..kN (sequence i = key ki), then closes it.</summary>
    public static async Task WriteRecordsAsync(string directory, int count, int payloadBytes = 16, long segmentBytes = 64L * 1024 * 1024)
    {
        await using var store = await FileWalStore.OpenAsync(Options(directory, segmentBytes));
        for (var i = 1; i <= count; i++) await store.AppendAsync([Record($"k{i}", payloadBytes)]);
    }

    public static string[] Segments(string directory) =>
        [.. Directory.GetFiles(directory, "*.wal").OrderBy(p => p, StringComparer.Ordinal)];

    /// <summary>Byte offsets of the records of a segment file, found by walking the length prefixes.</summary>
    public static List<(int Offset, int Length)> RecordOffsets(byte[] file)
    {
        var list = new List<(int, int)>();
        var position = 32;
        while (position + 24 <= file.Length)
        {
            var length = 24 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
            if (position + length > file.Length) break;
            list.Add((position, length));
            position += length;
        }
        return list;
    }

    /// <summary>The first sequence of a segment file, from its name.</summary>
    public static long FirstSequence(string segmentPath) =>
        long.Parse(System.IO.Path.GetFileNameWithoutExtension(segmentPath), System.Globalization.CultureInfo.InvariantCulture);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>Collects alerts.</summary>
internal sealed class CollectingAlertSink : IAlertSink
{
    public List<Alert> Alerts { get; } = [];

    public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        lock (Alerts) Alerts.Add(alert);
        return ValueTask.CompletedTask;
    }
}
