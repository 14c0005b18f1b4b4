using System.Globalization;

namespace Degradation.Storage.File.Format;

/// <summary>
/// The on-disk layout (all integers little-endian).
/// <code>
/// segment file "{firstSequence:D20}.wal":
///   header (32 bytes): u32 magic "DWAL" | u16 version (2) | u16 header size (32) | u64 first sequence
///                      | u64 reserved | u32 reserved | u32 CRC-32C of bytes [0, 28)
///   records, back to back:
///     u32 CRC-32C of bytes [4, 24 + body length) | u32 body length | u64 sequence | u64 durable-through | body
///     (durable-through: every sequence at or below it had been written and fsync'd — so may have been
///      acknowledged — before this record was written; always below the record's own sequence)
///     body: i64 created-at UTC ticks | i16 offset minutes | u8 flags (bit 0: old state present) | u8 reserved
///           | u16 key bytes | u16 resource-type bytes | u16 resource-id bytes | u32 payload bytes
///           | u32 old-state bytes | key | resource type | resource id | payload | old state   (strings UTF-8)
/// checkpoint file "checkpoint": two 32-byte slots at offsets 0 and 4096, written alternately:
///   u32 magic "DWCP" | u16 version | u16 reserved | u64 generation | u64 replayed-through sequence
///   | u32 reserved | u32 CRC-32C of bytes [0, 28)     (checkpoint version 1)
/// loss journal "losses": 16-byte header (u32 magic "DWLJ" | u16 version (1) | u16 reserved | u32 reserved
///   | u32 CRC-32C of bytes [0, 12)), then entries (see LossJournal)
/// </code>
/// </summary>
internal static class WalFormat
{
    public const uint SegmentMagic = 0x4C415744; // bytes 'D' 'W' 'A' 'L'
    public const uint CheckpointMagic = 0x50435744; // bytes 'D' 'W' 'C' 'P'
    public const uint LossJournalMagic = 0x4A4C5744; // bytes 'D' 'W' 'L' 'J'
    /// <summary>Segment format version. Version 1 records had no durable-through field and cannot be read.</summary>
    public const ushort Version = 2;
    public const ushort CheckpointVersion = 1;
    public const ushort LossJournalVersion = 1;
    public const int SegmentHeaderSize = 32;
    public const int RecordHeaderSize = 24;
    public const int BodyFixedSize = 26;
    public const int MinRecordSize = RecordHeaderSize + BodyFixedSize;
    public const int CheckpointSlotSize = 32;
    public const int CheckpointSlotStride = 4096;
    public const string SegmentExtension = ".wal";
    public const string CheckpointFileName = "checkpoint";
    public const string LossJournalFileName = "losses";
    public const string LockFileName = "wal.lock";
    public const string QuarantineDirectoryName = "quarantine";
    public const string SalvageExtension = ".salvage";

    public static string SegmentFileName(long firstSequence) =>
        firstSequence.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    public static bool TryParseSegmentFileName(string fileName, out long firstSequence)
    {
        firstSequence = 0;
        if (!fileName.EndsWith(SegmentExtension, StringComparison.Ordinal)) return false;
        var stem = fileName.AsSpan(0, fileName.Length - SegmentExtension.Length);
        return stem.Length == 20 && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence) && firstSequence > 0;
    }

    public static bool IsAllZero(ReadOnlySpan<byte> data) => !data.ContainsAnyExcept((byte)0);
}
