using System.Buffers.Binary;
using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Recovery;

/// <summary>
/// Checks every record of a segment file and tells torn writes (an incomplete or zero-filled end of the newest
/// segment: data that was never acknowledged) from damage (anything else unreadable, including bytes followed by
/// readable records), resynchronizing after damage so the records behind it are kept.
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
            if (data.Length < WalFormat.SegmentHeaderSize)
            {
                scan.Damage.Add(Lost(0, problem, minSequence, isNewest ? null : maxSequence));
                return scan;
            }
            scan.Damage.Add(new DamagedRegion(0, problem, null, null));
        }
        else if (headerFirst != nameSequence)
        {
            scan.Damage.Add(new DamagedRegion(8, $"segment header names first sequence {headerFirst}, its file name {nameSequence}", null, null));
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
            var next = FindNextValid(data, position + 1, minSequence, maxSequence, maxRecordBytes, out var nextInfo);
            if (next >= 0)
            {
                scan.Damage.Add(nextInfo.Sequence > minSequence
                    ? new DamagedRegion(position, Describe(result), minSequence, nextInfo.Sequence - 1)
                    : new DamagedRegion(position, Describe(result), null, null));
                position = next;
                continue;
            }
            if (isNewest && (result == RecordStatus.Incomplete || WalFormat.IsAllZero(data[position..])))
            {
                scan.TornTailAt = position;
                break;
            }
            scan.Damage.Add(Lost(position, Describe(result) + ", and no readable record follows", minSequence, isNewest ? null : maxSequence));
            break;
        }
        return scan;
    }

    private static DamagedRegion Lost(long offset, string problem, long first, long? last) =>
        last is { } l && l < first ? new DamagedRegion(offset, problem, null, null) : new DamagedRegion(offset, problem, first, last);

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
