using CsCheck;
using Degradation.Testing;
using Degradation.Storage.File.Format;
using Xunit.Abstractions;

namespace Degradation.Tests.Storage;

/// <summary>
/// The WAL record codec as CsCheck properties from a fixed, printed seed: any valid record (keys in any script,
/// empty or large payloads, with or without an old state, any instant and offset) decodes to an equal record, and
/// any single flipped bit of an encoded record is caught before it could be decoded.
/// </summary>
public class RecordCodecProperties(ITestOutputHelper output)
{
    private static readonly string Seed = new PCG(3, 20_260_126).ToString();
    private const int Cases = 1_000;
    private const int MaxRecordBytes = 1 << 20;

    // Well-formed UTF-16 only (the codec refuses lone surrogates): ASCII, Latin/Greek/Cyrillic/Arabic, CJK.
    private static readonly Gen<char> Letter = Gen.OneOf<char>(Gen.Char['!', '~'], Gen.Char['\u00a0', '\u07ff'], Gen.Char['\u4e00', '\u9fff']);
    private static readonly Gen<string> Name = Gen.String[Letter, 1, 80];
    private static readonly long MinUtcTicks = DateTimeOffset.MinValue.UtcTicks + TimeSpan.FromHours(14).Ticks;
    private static readonly long MaxUtcTicks = DateTimeOffset.MaxValue.UtcTicks - TimeSpan.FromHours(14).Ticks;

    private static readonly Gen<WalRecord> Records =
        from key in Name
        from type in Name
        from id in Name
        from payload in Gen.Byte.Array[0, 2_048]
        from hasOld in Gen.Bool
        from old in Gen.Byte.Array[0, 256]
        from ticks in Gen.Long[MinUtcTicks, MaxUtcTicks]
        from offsetMinutes in Gen.Int[-14 * 60, 14 * 60]
        select new WalRecord
        {
            IdempotentKey = key, ResourceType = type, ResourceId = id, Payload = payload,
            OldState = hasOld ? old : (ReadOnlyMemory<byte>?)null,
            CreatedAt = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes)),
        };

    private static byte[] Encode(WalRecord record, long sequence, long durableThrough)
    {
        var bytes = new byte[RecordCodec.Measure(record, 0, MaxRecordBytes)];
        RecordCodec.Encode(record, bytes);
        RecordCodec.Number(bytes, sequence);
        RecordCodec.Seal(bytes, durableThrough);
        return bytes;
    }

    private static string Print(WalRecord r) =>
        $"key '{r.IdempotentKey}', type '{r.ResourceType}', id '{r.ResourceId}', payload {r.Payload.Length} B, old state {(r.OldState is { } o ? o.Length + " B" : "none")}, created {r.CreatedAt:O}";

    [Fact]
    public void Every_record_decodes_to_an_equal_record()
    {
        output.WriteLine($"CsCheck seed: {Seed}");
        FixedSeedProperty.Check(Gen.Select(Records, Gen.Long[1, long.MaxValue - 1]), c =>
        {
            var (record, sequence) = c;
            var durableThrough = sequence / 2;
            var bytes = Encode(record, sequence, durableThrough);

            Assert.Equal(RecordStatus.Valid, RecordCodec.TryRead(bytes, 0, sequence, sequence, MaxRecordBytes, out var info));
            Assert.Equal((sequence, durableThrough, bytes.Length, record.Payload.Length, record.CreatedAt.UtcTicks),
                (info.Sequence, info.DurableThrough, info.Length, info.PayloadLength, info.CreatedUtcTicks));

            var decoded = RecordCodec.Decode(bytes);
            Assert.Equal((record.IdempotentKey, record.ResourceType, record.ResourceId), (decoded.IdempotentKey, decoded.ResourceType, decoded.ResourceId));
            Assert.Equal(record.Payload.ToArray(), decoded.Payload.ToArray());
            Assert.Equal(record.OldState.HasValue, decoded.OldState.HasValue);
            if (record.OldState is { } old) Assert.Equal(old.ToArray(), decoded.OldState!.Value.ToArray());
            Assert.Equal(record.CreatedAt, decoded.CreatedAt);
            Assert.Equal(record.CreatedAt.Offset, decoded.CreatedAt.Offset);
        }, Seed, Cases, t => $"{Print(t.Item1)}, sequence {t.Item2}", output.WriteLine);
    }

    [Fact]
    public void A_single_flipped_bit_is_never_read_as_a_valid_record()
    {
        output.WriteLine($"CsCheck seed: {Seed}");
        FixedSeedProperty.Check(Gen.Select(Records, Gen.Int[0, int.MaxValue], Gen.Int[0, 7]), c =>
        {
            var (record, position, bit) = c;
            const long sequence = 42;
            var bytes = Encode(record, sequence, 41);
            var at = position % bytes.Length;
            bytes[at] ^= (byte)(1 << bit);
            Assert.NotEqual(RecordStatus.Valid, RecordCodec.TryRead(bytes, 0, sequence, sequence, MaxRecordBytes, out _));
        }, Seed, Cases, t => $"{Print(t.Item1)}, byte {t.Item2}, bit {t.Item3}", output.WriteLine);
    }
}
