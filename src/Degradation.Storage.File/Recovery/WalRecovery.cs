using System.Globalization;
using Degradation.Storage.File.Format;
using Degradation.Storage.File.Segments;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File.Recovery;

/// <summary>
/// Opens a WAL directory: deletes fully replayed segments, checks every other record, truncates a torn tail of
/// the newest segment, and quarantines damaged segments (an untouched copy goes to <c>quarantine/</c>, the
/// segment is rewritten with its readable records, and the loss is reported) — never skipping data silently.
/// </summary>
internal static class WalRecovery
{
    public static RecoveredLog Run(FileWalStoreOptions options, string directory, long replayedThrough, CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        foreach (var leftover in Directory.EnumerateFiles(directory, "*" + WalFormat.SegmentExtension + WalFormat.SalvageExtension))
            System.IO.File.Delete(leftover); // an interrupted salvage: the original is still in place and is salvaged again

        var files = Directory.EnumerateFiles(directory, "*" + WalFormat.SegmentExtension)
            .Select(p => (Path: p, Ok: WalFormat.TryParseSegmentFileName(System.IO.Path.GetFileName(p), out var s), First: s))
            .Where(f => f.Ok)
            .OrderBy(f => f.First)
            .ToList();

        var segments = new List<Segment>();
        var corruptions = new List<WalCorruption>();
        int scanned = 0, deleted = 0;
        long tornBytes = 0, entries = 0, bytes = 0, lastSequence = 0;
        var buffer = Array.Empty<byte>();
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, _, nameSequence) = files[i];
            var isNewest = i == files.Count - 1;
            var nextFirst = isNewest ? long.MaxValue : files[i + 1].First;
            if (!isNewest && nextFirst - 1 <= replayedThrough)
            {
                System.IO.File.Delete(path); // every record in it is below the next segment's first sequence, all replayed
                deleted++;
                continue;
            }

            var length = ReadWhole(path, ref buffer);
            var data = buffer.AsSpan(0, length);
            scanned++;
            var scan = SegmentScanner.Scan(data, path, nameSequence, lastSequence, isNewest, nextFirst, options.MaxRecordBytes);
            if (scan.TornCreation)
            {
                System.IO.File.Delete(path);
                tornBytes += length;
                continue;
            }

            IReadOnlyList<RecordInfo> records = scan.Records;
            long validLength;
            if (scan.Damage.Count > 0)
            {
                var first = scan.Damage[0];
                if (options.FailOnCorruption) throw new WalCorruptedException(path, first.Offset, first.Problem);
                var quarantined = Quarantine(directory, path, buffer, length, time);
                (records, validLength) = Salvage(directory, path, nameSequence, buffer, scan.Records);
                if (scan.TornTailAt is { } torn) tornBytes += length - torn;
                foreach (var damage in scan.Damage)
                {
                    corruptions.Add(new WalCorruption
                    {
                        SegmentPath = path,
                        QuarantinePath = quarantined,
                        Offset = damage.Offset,
                        Problem = damage.Problem,
                        FirstLostSequence = damage.FirstLost,
                        LastLostSequence = damage.LastLost,
                        LostUnreplayedEntries = damage.FirstLost is not null && (damage.LastLost ?? long.MaxValue) > replayedThrough,
                        SalvagedRecords = records.Count,
                    });
                }
            }
            else if (scan.TornTailAt is { } tail)
            {
                Truncate(path, tail);
                tornBytes += length - tail;
                validLength = tail;
            }
            else
            {
                validLength = length;
            }

            var segment = new Segment(path, nameSequence, validLength);
            foreach (var record in records)
            {
                lastSequence = Math.Max(lastSequence, record.Sequence);
                if (record.Sequence <= replayedThrough) continue;
                segment.Index.Add(record);
                entries++;
                bytes += record.PayloadLength;
            }
            if (!isNewest && !segment.Index.HasUnreplayed)
            {
                System.IO.File.Delete(path);
                deleted++;
                continue;
            }
            segments.Add(segment);
        }

        var nextSequence = Math.Max(replayedThrough, lastSequence) + 1;
        if (segments.Count > 0) nextSequence = Math.Max(nextSequence, segments[^1].FirstSequence);
        SafeFileHandle active;
        if (segments.Count == 0)
        {
            var path = System.IO.Path.Combine(directory, WalFormat.SegmentFileName(nextSequence));
            active = CreateSegment(directory, path, nextSequence);
            segments.Add(new Segment(path, nextSequence, WalFormat.SegmentHeaderSize));
        }
        else
        {
            active = System.IO.File.OpenHandle(segments[^1].Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }

        return new RecoveredLog
        {
            Segments = segments,
            ActiveHandle = active,
            NextSequence = nextSequence,
            UnreplayedEntries = entries,
            UnreplayedBytes = bytes,
            Report = new WalRecoveryReport
            {
                SegmentsScanned = scanned,
                SegmentsDeleted = deleted,
                UnreplayedEntries = entries,
                ReplayedThrough = replayedThrough,
                LastSequence = nextSequence - 1,
                TornTailBytesTruncated = tornBytes,
                Corruptions = corruptions,
                Elapsed = time.GetElapsedTime(started),
            },
        };
    }

    /// <summary>Creates a segment file holding just its header, durably.</summary>
    public static SafeFileHandle CreateSegment(string directory, string path, long firstSequence)
    {
        var handle = System.IO.File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            Span<byte> header = stackalloc byte[WalFormat.SegmentHeaderSize];
            SegmentHeader.Write(header, firstSequence);
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
            DirectorySync.Flush(directory);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static int ReadWhole(string path, ref byte[] buffer)
    {
        using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength) throw new WalCorruptedException(path, 0, $"the segment is {length} bytes long, larger than any segment this store writes");
        if (buffer.Length < length) buffer = new byte[Math.Max(length, Math.Min(Array.MaxLength, buffer.Length * 2L))];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    private static void Truncate(string path, long length)
    {
        using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }

    private static string Quarantine(string directory, string path, byte[] data, int length, TimeProvider time)
    {
        var folder = System.IO.Path.Combine(directory, WalFormat.QuarantineDirectoryName);
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var name = System.IO.Path.GetFileName(path) + "." + stamp;
        var target = System.IO.Path.Combine(folder, name + ".corrupt");
        for (var n = 1; System.IO.File.Exists(target); n++) target = System.IO.Path.Combine(folder, $"{name}-{n}.corrupt");
        using (var handle = System.IO.File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, data.AsSpan(0, length), 0);
            RandomAccess.FlushToDisk(handle);
        }
        DirectorySync.Flush(folder);
        DirectorySync.Flush(directory);
        return target;
    }

    /// <summary>Rewrites the segment with only its readable records (atomically: temp file, fsync, rename).</summary>
    private static (IReadOnlyList<RecordInfo> Records, long Length) Salvage(string directory, string path, long firstSequence, byte[] data, List<RecordInfo> records)
    {
        var temp = path + WalFormat.SalvageExtension;
        var kept = new List<RecordInfo>(records.Count);
        var header = new byte[WalFormat.SegmentHeaderSize];
        SegmentHeader.Write(header, firstSequence);
        var parts = new List<ReadOnlyMemory<byte>>(records.Count + 1) { header };
        long offset = WalFormat.SegmentHeaderSize;
        foreach (var record in records)
        {
            parts.Add(data.AsMemory(record.Offset, record.Length));
            kept.Add(record with { Offset = (int)offset });
            offset += record.Length;
        }
        using (var handle = System.IO.File.OpenHandle(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.Write(handle, parts, 0);
            RandomAccess.FlushToDisk(handle);
        }
        System.IO.File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
        return (kept, offset);
    }
}
