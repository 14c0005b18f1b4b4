using System.Globalization;
using Degradation.Storage.File.Format;
using Degradation.Storage.File.Losses;
using Degradation.Storage.File.Segments;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File.Recovery;

/// <summary>
/// Opens a WAL directory: deletes fully replayed segments, checks every record, lets <see cref="LogAnalysis"/>
/// judge every unreadable region and every gap in the sequence, and then repairs in an order a crash cannot make
/// lossy: quarantine copies first, then the loss reports, durably, in the <see cref="LossJournal"/>, and only then
/// rewrites, truncations and deletions. Reports not yet delivered (from this or an interrupted earlier open) are
/// handed to the store to deliver.
/// </summary>
internal static class WalRecovery
{
    public static RecoveredLog Run(FileWalStoreOptions options, string directory, long replayedThrough, CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        var journal = LossJournal.Open(directory);
        foreach (var leftover in Directory.EnumerateFiles(directory, "*" + WalFormat.SegmentExtension + WalFormat.SalvageExtension))
            System.IO.File.Delete(leftover); // an interrupted salvage: the original is still in place and is salvaged again

        var files = Directory.EnumerateFiles(directory, "*" + WalFormat.SegmentExtension)
            .Select(p => (Path: p, Ok: WalFormat.TryParseSegmentFileName(System.IO.Path.GetFileName(p), out var s), First: s))
            .Where(f => f.Ok)
            .OrderBy(f => f.First)
            .ToList();

        var plans = new List<SegmentPlan>();
        int scanned = 0, deleted = 0;
        long lastSequence = 0;
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
            scanned++;
            var scan = SegmentScanner.Scan(buffer.AsSpan(0, length), path, nameSequence, lastSequence, isNewest, nextFirst, options.MaxRecordBytes);
            if (scan.Records.Count > 0) lastSequence = scan.Records[^1].Sequence;
            plans.Add(new SegmentPlan(path, nameSequence, isNewest, length, scan));
        }

        var analysis = LogAnalysis.Run(plans, replayedThrough, journal);
        var reports = NewReports(analysis, plans, journal, directory, replayedThrough);
        var damaged = plans.Where(p => p.Damage.Count > 0).ToList();
        if (options.FailOnCorruption && (reports.Count > 0 || damaged.Count > 0))
        {
            var first = analysis.Findings.FirstOrDefault(f => f.Segment < plans.Count);
            var path = plans.Count > 0 ? plans[Math.Min(first.Segment, plans.Count - 1)].Path : directory;
            throw new WalCorruptedException(path, Math.Max(first.Offset, 0), first.Problem ?? "damage found");
        }

        // 1. Untouched copies of damaged segments (changes nothing in the log).
        foreach (var plan in damaged)
        {
            plan.QuarantinePath = journal.ExistingQuarantine(plan.Path) ?? Quarantine(directory, plan.Path, ref buffer, time);
            options.RecoveryStepReached?.Invoke(RecoverySteps.Quarantined);
        }
        // 2. The reports, durable before any file is rewritten, truncated or deleted.
        journal.Append([.. reports.Select(r => r.Plan is { } p ? r.Corruption with { QuarantinePath = p.QuarantinePath } : r.Corruption)]);
        if (reports.Count > 0) options.RecoveryStepReached?.Invoke(RecoverySteps.Journaled);

        // 3. Repairs.
        var segments = new List<Segment>();
        long tornBytes = 0, entries = 0, bytes = 0;
        foreach (var plan in plans)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (plan.Scan.TornCreation)
            {
                System.IO.File.Delete(plan.Path);
                tornBytes += plan.FileLength;
                options.RecoveryStepReached?.Invoke(RecoverySteps.Deleted);
                continue;
            }
            IReadOnlyList<RecordInfo> records = plan.Kept;
            long validLength;
            if (plan.Damage.Count > 0)
            {
                (records, validLength) = Salvage(directory, plan, ref buffer);
                if (plan.TornAt is { } torn) tornBytes += plan.FileLength - torn;
                options.RecoveryStepReached?.Invoke(RecoverySteps.Salvaged);
            }
            else if (plan.TornAt is { } tail)
            {
                Truncate(plan.Path, tail);
                tornBytes += plan.FileLength - tail;
                validLength = tail;
                options.RecoveryStepReached?.Invoke(RecoverySteps.Truncated);
            }
            else
            {
                validLength = plan.FileLength;
            }

            var segment = new Segment(plan.Path, plan.NameSequence, validLength);
            foreach (var record in records)
            {
                if (record.Sequence <= replayedThrough) continue;
                segment.Index.Add(record);
                entries++;
                bytes += record.PayloadLength;
            }
            if (!plan.IsNewest && !segment.Index.HasUnreplayed)
            {
                System.IO.File.Delete(plan.Path);
                deleted++;
                options.RecoveryStepReached?.Invoke(RecoverySteps.Deleted);
                continue;
            }
            segments.Add(segment);
        }

        // Lost and reported sequence numbers are never handed out again; torn ones were never acknowledged.
        var nextSequence = Math.Max(Math.Max(replayedThrough, analysis.LastAccounted), journal.MaxReportedSequence) + 1;
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

        var undelivered = journal.Reports.Where(r => !r.Delivered).ToList();
        return new RecoveredLog
        {
            Segments = segments,
            ActiveHandle = active,
            NextSequence = nextSequence,
            UnreplayedEntries = entries,
            UnreplayedBytes = bytes,
            Journal = journal,
            Undelivered = undelivered,
            Report = new WalRecoveryReport
            {
                SegmentsScanned = scanned,
                SegmentsDeleted = deleted,
                UnreplayedEntries = entries,
                ReplayedThrough = replayedThrough,
                LastSequence = nextSequence - 1,
                TornTailBytesTruncated = tornBytes,
                Corruptions = [.. undelivered.Select(r => r.Corruption)],
                Elapsed = time.GetElapsedTime(started),
            },
        };
    }

    /// <summary>The findings the journal does not hold yet, as reports (a range reported before is not reported again).</summary>
    private static List<(WalCorruption Corruption, SegmentPlan? Plan)> NewReports(LogAnalysis analysis, List<SegmentPlan> plans, LossJournal journal, string directory, long replayedThrough)
    {
        var reports = new List<(WalCorruption, SegmentPlan?)>();
        foreach (var finding in analysis.Findings)
        {
            var plan = finding.Segment < plans.Count ? plans[finding.Segment] : null;
            var path = plan?.Path ?? System.IO.Path.Combine(directory, WalFormat.SegmentFileName(finding.First ?? 1));
            var offset = finding.Offset >= 0 ? finding.Offset : plan is null ? 0 : plan.TornAt ?? plan.FileLength;
            var quarantined = plan is not null && plan.Damage.Count > 0 ? plan : null;
            var template = new WalCorruption
            {
                SegmentPath = path,
                Offset = offset,
                Problem = finding.Problem,
                LostUnreplayedEntries = false,
                SalvagedRecords = plan?.Kept.Count ?? 0,
            };
            if (finding.First is not { } first || finding.Last is not { } last)
            {
                if (!journal.HasReport(path, offset, finding.Problem)) reports.Add((template, quarantined));
                continue;
            }
            foreach (var (a, b) in journal.Uncovered(first, last))
                reports.Add((template with { FirstLostSequence = a, LastLostSequence = b, LostUnreplayedEntries = b > replayedThrough }, quarantined));
        }
        return reports;
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

    private static string Quarantine(string directory, string path, ref byte[] buffer, TimeProvider time)
    {
        var length = ReadWhole(path, ref buffer);
        var folder = System.IO.Path.Combine(directory, WalFormat.QuarantineDirectoryName);
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var name = System.IO.Path.GetFileName(path) + "." + stamp;
        var target = System.IO.Path.Combine(folder, name + ".corrupt");
        for (var n = 1; System.IO.File.Exists(target); n++) target = System.IO.Path.Combine(folder, $"{name}-{n}.corrupt");
        using (var handle = System.IO.File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, buffer.AsSpan(0, length), 0);
            RandomAccess.FlushToDisk(handle);
        }
        DirectorySync.Flush(folder);
        DirectorySync.Flush(directory);
        return target;
    }

    /// <summary>Rewrites the segment with only its kept records (atomically: temp file, fsync, rename).</summary>
    private static (IReadOnlyList<RecordInfo> Records, long Length) Salvage(string directory, SegmentPlan plan, ref byte[] buffer)
    {
        var length = ReadWhole(plan.Path, ref buffer);
        if (length != plan.FileLength) throw new IOException($"The WAL segment '{plan.Path}' changed length while it was being recovered ({plan.FileLength} → {length} bytes).");
        var temp = plan.Path + WalFormat.SalvageExtension;
        var kept = new List<RecordInfo>(plan.Kept.Count);
        var header = new byte[WalFormat.SegmentHeaderSize];
        SegmentHeader.Write(header, plan.NameSequence);
        var parts = new List<ReadOnlyMemory<byte>>(plan.Kept.Count + 1) { header };
        long offset = WalFormat.SegmentHeaderSize;
        foreach (var record in plan.Kept)
        {
            parts.Add(buffer.AsMemory(record.Offset, record.Length));
            kept.Add(record with { Offset = (int)offset });
            offset += record.Length;
        }
        using (var handle = System.IO.File.OpenHandle(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            RandomAccess.Write(handle, parts, 0);
            RandomAccess.FlushToDisk(handle);
        }
        System.IO.File.Move(temp, plan.Path, overwrite: true);
        DirectorySync.Flush(directory);
        return (kept, offset);
    }
}
