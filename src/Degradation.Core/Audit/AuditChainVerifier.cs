using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Degradation.Audit;

/// <summary>Computes and verifies the SHA-256 links of an audit chain.</summary>
internal static class AuditChainVerifier
{
    /// <summary>The anchor of a chain that starts at sequence 1: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>
    /// Verifies <paramref name="entries"/> (in order) against <paramref name="anchorHash"/>, the hash that precedes
    /// the first entry (<see cref="GenesisHash"/> for a chain that starts at sequence 1). Finds the first entry
    /// that was altered, removed (its successor no longer links) or reordered.
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, string? anchorHash = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var expectedPrevious = anchorHash ?? GenesisHash;
        long? expectedSequence = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null) return Broken(i, null, "the entry is missing (null)");
            if (entry.Record is null) return Broken(i, entry.Sequence, "its record is missing (null)");
            if (expectedSequence is { } sequence && entry.Sequence != sequence)
                return Broken(i, entry.Sequence, $"sequence {entry.Sequence} where {sequence} was expected (entry removed or reordered)");
            if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
                return Broken(i, entry.Sequence, "its previous-hash link does not match the preceding entry (entry removed, inserted or reordered)");
            var actual = ComputeHash(entry);
            if (!string.Equals(entry.Hash, actual, StringComparison.Ordinal))
                return Broken(i, entry.Sequence, "its content does not match its hash (entry altered)");
            expectedPrevious = entry.Hash;
            expectedSequence = entry.Sequence + 1;
        }
        return new AuditVerification(true, entries.Count, -1, null, null);
    }

    /// <summary>The SHA-256 (lower-case hex) of <paramref name="entry"/>'s sequence, record and previous hash; its <see cref="AuditEntry.Hash"/> is ignored.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Record, nameof(entry) + "." + nameof(AuditEntry.Record));
        return ComputeHash(entry.Sequence, entry.Record, entry.PreviousHash);
    }

    /// <summary>The SHA-256 (lower-case hex) that links <paramref name="record"/> at <paramref name="sequence"/> after <paramref name="previousHash"/>.</summary>
    /// <remarks>The byte layout is fixed: chains hashed by earlier versions must keep verifying. Never reorder or add fields.</remarks>
    public static string ComputeHash(long sequence, AuditRecord record, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, (long)record.Kind);
        WriteString(buffer, record.Action);
        WriteString(buffer, record.Component);
        WriteString(buffer, record.OperatorId);
        WriteString(buffer, record.From);
        WriteString(buffer, record.To);
        WriteString(buffer, record.Reason);
        WriteString(buffer, record.Details);
        WriteInt64(buffer, record.WallTime.UtcTicks);
        WriteInt64(buffer, (long)record.WallTime.Offset.TotalMinutes);
        WriteString(buffer, previousHash);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static AuditVerification Broken(int index, long? sequence, string problem) =>
        new(false, index + 1, index, sequence, problem);

    // Every field is length-prefixed (-1 for null), so no two different entries serialize alike.
    private static void WriteString(ArrayBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteInt64(buffer, -1);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteInt64(buffer, count);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(count));
        buffer.Advance(count);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }
}
