using System.Buffers;
using Degradation.Buffering;
using Degradation.Storage.File.Format;

namespace Degradation.Storage.File.Segments;

/// <summary>One <c>AppendAsync</c> call: its records encoded back to back in a pooled buffer, waiting for the group commit.</summary>
internal sealed class PendingAppend
{
    private const int MaxBatchBytes = 512 * 1024 * 1024;
    private byte[]? _buffer;

    private PendingAppend(byte[] buffer, int length, RecordInfo[] records)
    {
        _buffer = buffer;
        Length = length;
        Records = records;
    }

    public int Length { get; }
    public RecordInfo[] Records { get; }
    public long FirstSequence { get; private set; }
    public long LastSequence => FirstSequence + Records.Length - 1;
    public TaskCompletionSource<IReadOnlyList<long>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, Length);

    /// <summary>Validates and encodes <paramref name="records"/> (outside any lock).</summary>
    public static PendingAppend Encode(IReadOnlyList<WalRecord> records, int maxRecordBytes)
    {
        var infos = new RecordInfo[records.Count];
        long total = 0;
        for (var i = 0; i < infos.Length; i++)
        {
            var size = RecordCodec.Measure(records[i], i, maxRecordBytes);
            infos[i] = new RecordInfo { Offset = (int)total, Length = size, PayloadLength = records[i].Payload.Length, CreatedUtcTicks = records[i].CreatedAt.UtcTicks };
            total += size;
            if (total > MaxBatchBytes) throw new ArgumentException($"The batch encodes to more than {MaxBatchBytes} bytes; append it in smaller batches.", nameof(records));
        }
        var buffer = ArrayPool<byte>.Shared.Rent((int)total);
        for (var i = 0; i < infos.Length; i++) RecordCodec.Encode(records[i], buffer.AsSpan(infos[i].Offset, infos[i].Length));
        return new PendingAppend(buffer, (int)total, infos);
    }

    /// <summary>Assigns sequence numbers from <paramref name="firstSequence"/> (cheap: done under the store's lock).</summary>
    public void Number(long firstSequence)
    {
        FirstSequence = firstSequence;
        for (var i = 0; i < Records.Length; i++)
        {
            Records[i].Sequence = firstSequence + i;
            RecordCodec.Number(_buffer.AsSpan(Records[i].Offset, Records[i].Length), firstSequence + i);
        }
    }

    /// <summary>
    /// Stamps every record with <paramref name="durableThrough"/> (the store's durable sequence when its group is
    /// written) and its checksum. Runs on the flushing thread, outside the store's lock.
    /// </summary>
    public void Seal(long durableThrough)
    {
        for (var i = 0; i < Records.Length; i++)
        {
            Records[i].DurableThrough = durableThrough;
            RecordCodec.Seal(_buffer.AsSpan(Records[i].Offset, Records[i].Length), durableThrough);
        }
    }

    public void Complete()
    {
        var sequences = new long[Records.Length];
        for (var i = 0; i < sequences.Length; i++) sequences[i] = FirstSequence + i;
        ReleaseBuffer();
        Completion.TrySetResult(sequences);
    }

    public void Fail(Exception exception)
    {
        ReleaseBuffer();
        Completion.TrySetException(exception);
    }

    public void ReleaseBuffer()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
