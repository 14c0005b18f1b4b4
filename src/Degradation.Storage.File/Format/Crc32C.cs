using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Degradation.Storage.File.Format;

/// <summary>
/// CRC-32C (Castagnoli) with the standard initial value and final XOR (0xFFFFFFFF), so an all-zero region never
/// checks out. Uses <see cref="BitOperations.Crc32C(uint, ulong)"/>, hardware-accelerated where available.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => ~Append(Append(0xFFFFFFFFu, first), second);

    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(data);
            foreach (var word in words) crc = BitOperations.Crc32C(crc, word);
            data = data[(words.Length * sizeof(ulong))..];
        }
        else
        {
            while (data.Length >= sizeof(ulong))
            {
                crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
