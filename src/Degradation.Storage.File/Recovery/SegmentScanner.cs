using System.Buffers.Binary;
using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Recovery;

/// <summary>
/// Checks every record of a segment file and lists the valid records and the unreadable regions between them,
/// resynchronizing after damage so the records behind it are kept. It does not judge: whether a region is a torn
/// write (never acknowledged) or damage (acknowledged records lost) is decided for the whole log by
/// <see cref="LogAnalysis"/>.
/// </summary>
internal static class SegmentScanner
{
    public static SegmentScan Scan(ReadOnlySpan<byte> data, string path, long nameSequence, long previousLast,
        bool isNewest, long nextFirst, int maxRecordBytes)
    {
        var scan = new SegmentScan();
        var minSequence = Math.Max(nameSequence, previousLast + 1);
        var maxSequence = isNewest ? long.MaxValue : nextFirst - 1;
        var status = SegmentHeader.Read(data, out var headerFirst, out var version);
        if (status == SegmentHeaderStatus.UnsupportedVersion) throw new UnsupportedWalVersionException(path, version);
        if (status != SegmentHeaderStatus.Valid)
        {
            if (isNewest && (data.Length < WalFormat.SegmentHeaderSize || WalFormat.IsAllZero(data)))
            {
                scan.TornCreation = true;
                return scan;
            }
            var problem = status switch
            {
                SegmentHeaderStatus.Short => "segment header truncated",
                SegmentHeaderStatus.BadMagic => "segment header has a wrong magic number (not a WAL segment, or damaged)",
                _ => "segment header checksum mismatch",
            };
            scan.Damage.Add(new DamagedRegion(0, problem));
            if (data.Length < WalFormat.SegmentHeaderSize) return scan;
        }
        else if (headerFirst != nameSequence)
        {
            scan.Damage.Add(new DamagedRegion(8, $"segment header names first sequence {headerFirst}, its file name {nameSequence}"));
        }

        var position = WalFormat.SegmentHeaderSize;
        while (position < data.Length)
        {
            var result = RecordCodec.TryRead(data, position, minSequence, maxSequence, maxRecordBytes, out var info);
            if (result == RecordStatus.Valid)
            {
                scan.Records.Add(info);
                minSequence = info.Sequence + 1;
                position += info.Length;
                continue;
            }
            var next = FindNextValid(data, position + 1, minSequence, maxSequence, maxRecordBytes, out _);
            if (next >= 0)
            {
                scan.Damage.Add(new DamagedRegion(position, Describe(result)));
                position = next;
                continue;
            }
            var zeros = WalFormat.IsAllZero(data[position..]);
            scan.Damage.Add(new DamagedRegion(position, (zeros ? "zero-filled bytes" : Describe(result)) + ", and no readable record follows"));
            break;
        }
        return scan;
    }
    private static int FindNextValid(ReadOnlySpan<byte> data, int from, long minSequence, long maxSequence, int maxRecordBytes, out RecordInfo info)
    {
        info = default;
        // At most one record per MinRecordSize bytes can have been lost, which bounds a plausible sequence number.
        var plausibleMax = Math.Min(maxSequence, minSequence + (data.Length / WalFormat.MinRecordSize) + 1);
        for (var q = from; q + WalFormat.MinRecordSize <= data.Length; q++)
        {
            var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(q + 4)..]);
            if (bodyLength < WalFormat.BodyFixedSize || bodyLength > (uint)(data.Length - q - WalFormat.RecordHeaderSize)) continue;
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(data[(q + 8)..]);
            if (sequence < minSequence || sequence > plausibleMax) continue;
            if (RecordCodec.TryRead(data, q, minSequence, plausibleMax, maxRecordBytes, out info) == RecordStatus.Valid) return q;
        }
        return -1;
    }

    private static string Describe(RecordStatus status) => status switch
    {
        RecordStatus.Incomplete => "record truncated",
        RecordStatus.BadLength => "record length field impossible",
        RecordStatus.BadChecksum => "record checksum mismatch",
        RecordStatus.BadSequence => "record sequence number out of order",
        _ => "record fields inconsistent",
    };
}
