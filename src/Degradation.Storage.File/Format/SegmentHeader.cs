using System.Buffers.Binary;

namespace Degradation.Storage.File.Format;

internal enum SegmentHeaderStatus : byte { Valid, Short, BadMagic, BadChecksum, UnsupportedVersion }

/// <summary>Reads and writes the 32-byte segment header (see <see cref="WalFormat"/>).</summary>
internal static class SegmentHeader
{
    public static void Write(Span<byte> destination, long firstSequence)
    {
        var header = destination[..WalFormat.SegmentHeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, WalFormat.SegmentMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], WalFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], WalFormat.SegmentHeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    public static SegmentHeaderStatus Read(ReadOnlySpan<byte> data, out long firstSequence, out ushort version)
    {
        firstSequence = 0;
        version = 0;
        if (data.Length < WalFormat.SegmentHeaderSize) return SegmentHeaderStatus.Short;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != WalFormat.SegmentMagic) return SegmentHeaderStatus.BadMagic;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[28..]) != Crc32C.Compute(data[..28])) return SegmentHeaderStatus.BadChecksum;
        version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != WalFormat.Version || BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != WalFormat.SegmentHeaderSize)
            return SegmentHeaderStatus.UnsupportedVersion;
        firstSequence = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        return SegmentHeaderStatus.Valid;
    }
}
