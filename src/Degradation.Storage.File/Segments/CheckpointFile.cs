using System.Buffers.Binary;
using Degradation.Storage.File.Format;
using Microsoft.Win32.SafeHandles;

namespace Degradation.Storage.File.Segments;

/// <summary>
/// The durable replay checkpoint: two checksummed slots written alternately (4 KiB apart), so a torn write
/// of one slot leaves the previous checkpoint readable in the other. The valid slot with the highest
/// generation wins. Not thread-safe (the store serializes writes).
/// </summary>
internal sealed class CheckpointFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private long _generation;

    private CheckpointFile(SafeFileHandle handle, string path, long generation, long replayedThrough)
    {
        _handle = handle;
        Path = path;
        _generation = generation;
        ReplayedThrough = replayedThrough;
    }

    public string Path { get; }
    public long ReplayedThrough { get; private set; }

    public static CheckpointFile Open(string directoryPath)
    {
        var path = System.IO.Path.Combine(directoryPath, WalFormat.CheckpointFileName);
        var created = !System.IO.File.Exists(path);
        var handle = System.IO.File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            if (created) DirectorySync.Flush(directoryPath);
            var slots = new SlotState[2];
            Span<byte> buffer = stackalloc byte[WalFormat.CheckpointSlotSize];
            var length = RandomAccess.GetLength(handle);
            for (var i = 0; i < 2; i++)
            {
                long offset = i * WalFormat.CheckpointSlotStride;
                var read = offset < length ? RandomAccess.Read(handle, buffer, offset) : 0;
                slots[i] = ReadSlot(buffer[..read], path, offset);
            }
            if (slots[0].Kind == SlotKind.Damaged && slots[1].Kind == SlotKind.Damaged)
                throw new WalCorruptedException(path, 0, "both checkpoint slots are unreadable, so the replayed position is unknown");
            var best = slots.Where(s => s.Kind == SlotKind.Valid).OrderByDescending(s => s.Generation).FirstOrDefault();
            return new CheckpointFile(handle, path, best.Generation, best.ReplayedThrough);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Durably records <paramref name="replayedThrough"/> (write + fsync of the older slot).</summary>
    public void Write(long replayedThrough)
    {
        var generation = _generation + 1;
        Span<byte> slot = stackalloc byte[WalFormat.CheckpointSlotSize];
        slot.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(slot, WalFormat.CheckpointMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(slot[4..], WalFormat.CheckpointVersion);
        BinaryPrimitives.WriteInt64LittleEndian(slot[8..], generation);
        BinaryPrimitives.WriteInt64LittleEndian(slot[16..], replayedThrough);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[28..], Crc32C.Compute(slot[..28]));
        RandomAccess.Write(_handle, slot, (generation % 2) * WalFormat.CheckpointSlotStride);
        RandomAccess.FlushToDisk(_handle);
        _generation = generation;
        ReplayedThrough = replayedThrough;
    }

    public void Dispose() => _handle.Dispose();

    private static SlotState ReadSlot(ReadOnlySpan<byte> slot, string path, long offset)
    {
        if (slot.Length == 0 || WalFormat.IsAllZero(slot)) return default; // never written
        if (slot.Length < WalFormat.CheckpointSlotSize
            || BinaryPrimitives.ReadUInt32LittleEndian(slot) != WalFormat.CheckpointMagic
            || BinaryPrimitives.ReadUInt32LittleEndian(slot[28..]) != Crc32C.Compute(slot[..28]))
            return new SlotState(SlotKind.Damaged, 0, 0); // a torn write, or damage
        var version = BinaryPrimitives.ReadUInt16LittleEndian(slot[4..]);
        if (version != WalFormat.CheckpointVersion) throw new UnsupportedWalVersionException(path, version, WalFormat.CheckpointVersion);
        var generation = BinaryPrimitives.ReadInt64LittleEndian(slot[8..]);
        var replayed = BinaryPrimitives.ReadInt64LittleEndian(slot[16..]);
        if (generation <= 0 || replayed < 0 || generation % 2 != offset / WalFormat.CheckpointSlotStride)
            return new SlotState(SlotKind.Damaged, 0, 0);
        return new SlotState(SlotKind.Valid, generation, replayed);
    }

    private enum SlotKind : byte { Empty, Valid, Damaged }

    private readonly record struct SlotState(SlotKind Kind, long Generation, long ReplayedThrough);
}
