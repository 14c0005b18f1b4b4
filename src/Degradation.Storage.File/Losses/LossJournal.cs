using System.Buffers.Binary;
using System.Text;
using Degradation.Storage.File.Format;
using Degradation.Storage.File.Segments;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File.Losses;

/// <summary>
/// The durable, append-only record of every loss found in the log (file <c>losses</c> next to the segments).
/// Recovery writes a report here, fsync'd, before it rewrites, truncates or deletes anything, so a crash in the
/// middle of a repair cannot make a loss disappear: the next open finds the report and delivers it if it was not
/// delivered yet. A later "delivered" entry marks it done. Reported ranges are never reported again and their
/// sequence numbers are never handed out again. The file is small (one entry per loss) and never compacted.
/// </summary>
/// <remarks>
/// Layout (little-endian): 16-byte header <c>u32 magic "DWLJ" | u16 version 1 | u16 0 | u32 0 | u32 CRC-32C of
/// bytes [0, 12)</c>, then entries <c>u32 CRC-32C of bytes [4, 8 + length) | u32 length | payload</c>. Payload:
/// <c>u8 1 (report) | u64 id | i64 first lost (0: none) | i64 last lost (0: none) | u8 flags (bit 0: unreplayed
/// records lost) | i64 offset | i32 records kept | str segment file | str quarantine file (empty: none) | str
/// problem</c>, strings as <c>u16 length | UTF-8</c>, file names relative to the WAL directory; or <c>u8 2
/// (delivered) | u64 id</c>. An incomplete or unreadable last entry is a torn write (its repair never started) and
/// is cut off; damage before the last entry throws <see cref="WalCorruptedException"/>.
/// </remarks>
internal sealed class LossJournal
{
    private const int HeaderSize = 16;
    private const byte ReportKind = 1;
    private const byte DeliveredKind = 2;
    private static readonly UTF8Encoding Utf8 = new(false, true);

    private readonly string _directory;
    private readonly List<LossReport> _reports;
    private long _length;

    private LossJournal(string directory, string path, List<LossReport> reports, long length)
    {
        _directory = directory;
        Path = path;
        _reports = reports;
        _length = length;
    }

    public string Path { get; }

    /// <summary>Every report ever written, in order.</summary>
    public IReadOnlyList<LossReport> Reports => _reports;

    /// <summary>The highest sequence number any report named (0 when none).</summary>
    public long MaxReportedSequence => _reports.Select(r => r.Corruption.LastLostSequence ?? 0).DefaultIfEmpty(0).Max();

    /// <summary>Reads the journal (missing: empty). A torn last entry is cut off.</summary>
    public static LossJournal Open(string directory)
    {
        var path = System.IO.Path.Combine(directory, WalFormat.LossJournalFileName);
        if (!System.IO.File.Exists(path)) return new LossJournal(directory, path, [], 0);
        var data = System.IO.File.ReadAllBytes(path);
        if (data.Length < HeaderSize || WalFormat.IsAllZero(data))
            return Truncated(directory, path, [], 0); // creation interrupted before its first fsync: nothing was reported
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != WalFormat.LossJournalMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)) != Crc32C.Compute(data.AsSpan(0, 12)))
            throw new WalCorruptedException(path, 0, "the loss journal header is damaged, so earlier loss reports cannot be trusted; move the file aside (keep it for inspection) to open the log");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4));
        if (version != WalFormat.LossJournalVersion) throw new UnsupportedWalVersionException(path, version, WalFormat.LossJournalVersion);

        var reports = new List<LossReport>();
        var byId = new Dictionary<long, LossReport>();
        var position = HeaderSize;
        while (position < data.Length)
        {
            var rest = data.AsSpan(position);
            var length = rest.Length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]) : uint.MaxValue;
            var complete = rest.Length >= 8 && length <= rest.Length - 8;
            if (!complete || BinaryPrimitives.ReadUInt32LittleEndian(rest) != Crc32C.Compute(rest.Slice(4, 4 + (int)length)))
            {
                // The last entry, cut short or never fully written: its repair never started (the entry is
                // fsync'd first). Anything readable behind it would mean damage in the middle of the journal.
                var last = !complete || position + 8 + length == data.Length || WalFormat.IsAllZero(rest);
                if (!last)
                    throw new WalCorruptedException(path, position, "a loss journal entry is damaged, so earlier loss reports cannot be trusted; move the file aside (keep it for inspection) to open the log");
                return Truncated(directory, path, reports, position);
            }
            var payload = rest.Slice(8, (int)length);
            if (payload.Length >= 9 && payload[0] == DeliveredKind)
            {
                if (byId.TryGetValue(BinaryPrimitives.ReadInt64LittleEndian(payload[1..]), out var delivered)) delivered.Delivered = true;
            }
            else if (payload.Length > 0 && payload[0] == ReportKind)
            {
                var report = ReadReport(directory, payload);
                reports.Add(report);
                byId[report.Id] = report;
            }
            else
            {
                throw new WalCorruptedException(path, position, $"a loss journal entry has an unknown kind {(payload.Length > 0 ? payload[0] : -1)}");
            }
            position += 8 + (int)length;
        }
        return new LossJournal(directory, path, reports, data.Length);
    }

    /// <summary>
    /// The parts of [<paramref name="first"/>, <paramref name="last"/>] no earlier report covers (empty when
    /// everything was reported already).
    /// </summary>
    public List<(long First, long Last)> Uncovered(long first, long last)
    {
        var parts = new List<(long, long)> { (first, last) };
        foreach (var report in _reports)
        {
            if (report.Corruption is not { FirstLostSequence: { } a, LastLostSequence: { } b }) continue;
            var next = new List<(long, long)>(parts.Count + 1);
            foreach (var (f, l) in parts)
            {
                if (b < f || a > l) { next.Add((f, l)); continue; }
                if (a > f) next.Add((f, a - 1));
                if (b < l) next.Add((b + 1, l));
            }
            parts = next;
        }
        return parts;
    }

    /// <summary>True when a report without a lost range for the same file, offset and problem exists.</summary>
    public bool HasReport(string segmentPath, long offset, string problem) =>
        _reports.Any(r => r.Corruption.FirstLostSequence is null && r.Corruption.Offset == offset
            && r.Corruption.Problem == problem && r.Corruption.SegmentPath == segmentPath);

    /// <summary>The quarantine copy an earlier report made of <paramref name="segmentPath"/>, if it still exists.</summary>
    public string? ExistingQuarantine(string segmentPath) =>
        _reports.Select(r => r.Corruption).Where(c => c.SegmentPath == segmentPath && c.QuarantinePath is not null)
            .Select(c => c.QuarantinePath).LastOrDefault(System.IO.File.Exists);

    /// <summary>Appends the reports and makes them durable (write + fsync) before returning.</summary>
    public IReadOnlyList<LossReport> Append(IReadOnlyList<WalCorruption> corruptions)
    {
        if (corruptions.Count == 0) return [];
        var added = new List<LossReport>(corruptions.Count);
        var bytes = new List<byte>();
        var id = _reports.Count == 0 ? 1 : _reports[^1].Id + 1;
        foreach (var corruption in corruptions)
        {
            var report = new LossReport(id++, corruption, delivered: false);
            AddEntry(bytes, WriteReport(report));
            added.Add(report);
        }
        WriteDurably([.. bytes]);
        _reports.AddRange(added);
        return added;
    }

    /// <summary>Marks the reports delivered (write + fsync).</summary>
    public void MarkDelivered(IReadOnlyList<LossReport> reports)
    {
        if (reports.Count == 0) return;
        var bytes = new List<byte>();
        foreach (var report in reports)
        {
            var payload = new byte[9];
            payload[0] = DeliveredKind;
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(1), report.Id);
            AddEntry(bytes, payload);
        }
        WriteDurably([.. bytes]);
        foreach (var report in reports) report.Delivered = true;
    }

    private static LossJournal Truncated(string directory, string path, List<LossReport> reports, long length)
    {
        using (var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            RandomAccess.SetLength(handle, length < HeaderSize ? 0 : length);
            RandomAccess.FlushToDisk(handle);
        }
        return new LossJournal(directory, path, reports, length < HeaderSize ? 0 : length);
    }

    private void WriteDurably(byte[] entries)
    {
        var created = !System.IO.File.Exists(Path);
        using (var handle = System.IO.File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            if (_length == 0)
            {
                var header = new byte[HeaderSize];
                BinaryPrimitives.WriteUInt32LittleEndian(header, WalFormat.LossJournalMagic);
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), WalFormat.LossJournalVersion);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32C.Compute(header.AsSpan(0, 12)));
                RandomAccess.Write(handle, header, 0);
                _length = HeaderSize;
            }
            RandomAccess.Write(handle, entries, _length);
            RandomAccess.FlushToDisk(handle);
        }
        if (created) DirectorySync.Flush(_directory);
        _length += entries.Length;
    }

    private static void AddEntry(List<byte> destination, byte[] payload)
    {
        var entry = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(entry, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, Crc32C.Compute(entry.AsSpan(4)));
        destination.AddRange(entry);
    }

    private byte[] WriteReport(LossReport report)
    {
        var c = report.Corruption;
        var segment = Utf8.GetBytes(System.IO.Path.GetRelativePath(_directory, c.SegmentPath));
        var quarantine = Utf8.GetBytes(c.QuarantinePath is null ? "" : System.IO.Path.GetRelativePath(_directory, c.QuarantinePath));
        var problem = Utf8.GetBytes(c.Problem);
        var payload = new byte[1 + 8 + 8 + 8 + 1 + 8 + 4 + 6 + segment.Length + quarantine.Length + problem.Length];
        var span = payload.AsSpan();
        span[0] = ReportKind;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], report.Id);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], c.FirstLostSequence ?? 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], c.LastLostSequence ?? 0);
        span[25] = c.LostUnreplayedEntries ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(span[26..], c.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], c.SalvagedRecords);
        var rest = span[38..];
        foreach (var text in (ReadOnlySpan<byte[]>)[segment, quarantine, problem])
        {
            BinaryPrimitives.WriteUInt16LittleEndian(rest, (ushort)text.Length);
            text.CopyTo(rest[2..]);
            rest = rest[(2 + text.Length)..];
        }
        return payload;
    }

    private static LossReport ReadReport(string directory, ReadOnlySpan<byte> payload)
    {
        var id = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
        var first = BinaryPrimitives.ReadInt64LittleEndian(payload[9..]);
        var last = BinaryPrimitives.ReadInt64LittleEndian(payload[17..]);
        var flags = payload[25];
        var offset = BinaryPrimitives.ReadInt64LittleEndian(payload[26..]);
        var kept = BinaryPrimitives.ReadInt32LittleEndian(payload[34..]);
        var rest = payload[38..];
        var texts = new string[3];
        for (var i = 0; i < texts.Length; i++)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            texts[i] = Utf8.GetString(rest.Slice(2, length));
            rest = rest[(2 + length)..];
        }
        return new LossReport(id, new WalCorruption
        {
            SegmentPath = System.IO.Path.Combine(directory, texts[0]),
            QuarantinePath = texts[1].Length == 0 ? null : System.IO.Path.Combine(directory, texts[1]),
            Offset = offset,
            Problem = texts[2],
            FirstLostSequence = first == 0 ? null : first,
            LastLostSequence = last == 0 ? null : last,
            LostUnreplayedEntries = (flags & 1) != 0,
            SalvagedRecords = kept,
        }, delivered: false);
    }
}
