using System.Buffers.Binary;
using System.Text;
using Degradation.Buffering;

namespace Degradation.Storage.File.Format;

/// <summary>Encodes and validates records (layout in <see cref="WalFormat"/>).</summary>
internal static class RecordCodec
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The full size of <paramref name="record"/> once encoded; validates its fields.</summary>
    public static int Measure(WalRecord record, int index, int maxRecordBytes)
    {
        if (record is null) throw new ArgumentException($"records[{index}] is null.", "records");
        var key = StringBytes(record.IdempotentKey, nameof(WalRecord.IdempotentKey), index);
        var type = StringBytes(record.ResourceType, nameof(WalRecord.ResourceType), index);
        var id = StringBytes(record.ResourceId, nameof(WalRecord.ResourceId), index);
        var size = (long)WalFormat.RecordHeaderSize + WalFormat.BodyFixedSize + key + type + id
                   + record.Payload.Length + (record.OldState?.Length ?? 0);
        if (size > maxRecordBytes)
            throw new ArgumentException($"records[{index}] (key '{record.IdempotentKey}') encodes to {size} bytes, above MaxRecordBytes ({maxRecordBytes}).", "records");
        return (int)size;
    }

    /// <summary>Writes <paramref name="record"/> into <paramref name="destination"/> (exactly its measured size); sequence and checksum are sealed later.</summary>
    public static void Encode(WalRecord record, Span<byte> destination)
    {
        var body = destination[WalFormat.RecordHeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)body.Length);
        BinaryPrimitives.WriteInt64LittleEndian(body, record.CreatedAt.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(body[8..], (short)record.CreatedAt.Offset.TotalMinutes);
        body[10] = record.OldState.HasValue ? (byte)1 : (byte)0;
        body[11] = 0;
        var rest = body[WalFormat.BodyFixedSize..];
        var key = Utf8.GetBytes(record.IdempotentKey, rest);
        rest = rest[key..];
        var type = Utf8.GetBytes(record.ResourceType, rest);
        rest = rest[type..];
        var id = Utf8.GetBytes(record.ResourceId, rest);
        rest = rest[id..];
        record.Payload.Span.CopyTo(rest);
        rest = rest[record.Payload.Length..];
        var oldState = record.OldState ?? ReadOnlyMemory<byte>.Empty;
        oldState.Span.CopyTo(rest);
        BinaryPrimitives.WriteUInt16LittleEndian(body[12..], (ushort)key);
        BinaryPrimitives.WriteUInt16LittleEndian(body[14..], (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(body[16..], (ushort)id);
        BinaryPrimitives.WriteInt32LittleEndian(body[18..], record.Payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(body[22..], oldState.Length);
    }

    /// <summary>Stamps the sequence number into an encoded record (the checksum follows in <see cref="Seal"/>).</summary>
    public static void Number(Span<byte> record, long sequence) => BinaryPrimitives.WriteInt64LittleEndian(record[8..], sequence);

    /// <summary>Stamps the durable-through sequence and the checksum into a numbered record, just before it is written.</summary>
    public static void Seal(Span<byte> record, long durableThrough)
    {
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], durableThrough);
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc32C.Compute(record[4..]));
    }

    /// <summary>
    /// Validates the record at <paramref name="offset"/>: complete, plausible length, checksum, sequence within
    /// [<paramref name="minSequence"/>, <paramref name="maxSequence"/>] and a consistent body.
    /// </summary>
    public static RecordStatus TryRead(ReadOnlySpan<byte> data, int offset, long minSequence, long maxSequence, int maxRecordBytes, out RecordInfo info)
    {
        info = default;
        var available = data.Length - offset;
        if (available < WalFormat.RecordHeaderSize) return RecordStatus.Incomplete;
        var header = data.Slice(offset, WalFormat.RecordHeaderSize);
        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (bodyLength < WalFormat.BodyFixedSize || bodyLength > (uint)(maxRecordBytes - WalFormat.RecordHeaderSize)) return RecordStatus.BadLength;
        var length = WalFormat.RecordHeaderSize + (int)bodyLength;
        if (length > available) return RecordStatus.Incomplete;
        var record = data.Slice(offset, length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Crc32C.Compute(record[4..])) return RecordStatus.BadChecksum;
        var sequence = BinaryPrimitives.ReadInt64LittleEndian(record[8..]);
        if (sequence < minSequence || sequence > maxSequence) return RecordStatus.BadSequence;
        var durableThrough = BinaryPrimitives.ReadInt64LittleEndian(record[16..]);
        if (durableThrough < 0 || durableThrough >= sequence) return RecordStatus.BadBody;
        var body = record[WalFormat.RecordHeaderSize..];
        if (!TryReadBodyShape(body, out var createdTicks, out var payloadLength)) return RecordStatus.BadBody;
        info = new RecordInfo { Sequence = sequence, DurableThrough = durableThrough, CreatedUtcTicks = createdTicks, Offset = offset, Length = length, PayloadLength = payloadLength };
        return RecordStatus.Valid;
    }

    /// <summary>Decodes a record already validated by <see cref="TryRead"/>.</summary>
    public static WalRecord Decode(ReadOnlySpan<byte> record)
    {
        var body = record[WalFormat.RecordHeaderSize..];
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(body);
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(body[8..]);
        var hasOldState = (body[10] & 1) != 0;
        int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int typeLength = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(body[16..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(body[18..]);
        var oldLength = BinaryPrimitives.ReadInt32LittleEndian(body[22..]);
        var rest = body[WalFormat.BodyFixedSize..];
        var key = Utf8.GetString(rest[..keyLength]);
        rest = rest[keyLength..];
        var type = Utf8.GetString(rest[..typeLength]);
        rest = rest[typeLength..];
        var id = Utf8.GetString(rest[..idLength]);
        rest = rest[idLength..];
        var payload = rest[..payloadLength].ToArray();
        rest = rest[payloadLength..];
        return new WalRecord
        {
            IdempotentKey = key,
            ResourceType = type,
            ResourceId = id,
            Payload = payload,
            // (ReadOnlyMemory<byte>?)null: a bare null would convert through byte[] to an empty, present value.
            OldState = hasOldState ? rest[..oldLength].ToArray() : (ReadOnlyMemory<byte>?)null,
            CreatedAt = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes)),
        };
    }

    private static bool TryReadBodyShape(ReadOnlySpan<byte> body, out long createdTicks, out int payloadLength)
    {
        createdTicks = BinaryPrimitives.ReadInt64LittleEndian(body);
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(body[8..]);
        long keyLength = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        long typeLength = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        long idLength = BinaryPrimitives.ReadUInt16LittleEndian(body[16..]);
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(body[18..]);
        var oldLength = BinaryPrimitives.ReadInt32LittleEndian(body[22..]);
        var flags = body[10];
        return createdTicks >= DateTimeOffset.MinValue.UtcTicks && createdTicks <= DateTimeOffset.MaxValue.UtcTicks
            && offsetMinutes is >= -14 * 60 and <= 14 * 60
            && (flags & ~1) == 0 && body[11] == 0
            && payloadLength >= 0 && oldLength >= 0 && ((flags & 1) != 0 || oldLength == 0)
            && keyLength > 0 && typeLength > 0 && idLength > 0
            && WalFormat.BodyFixedSize + keyLength + typeLength + idLength + payloadLength + oldLength == body.Length;
    }

    private static int StringBytes(string? value, string field, int index)
    {
        if (string.IsNullOrEmpty(value)) throw new ArgumentException($"records[{index}].{field} is null or empty.", "records");
        var count = Utf8.GetByteCount(value);
        if (count > ushort.MaxValue)
            throw new ArgumentException($"records[{index}].{field} is {count} UTF-8 bytes long; at most {ushort.MaxValue} are allowed.", "records");
        return count;
    }
}
