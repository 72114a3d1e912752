using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Wire;

namespace Atcp.Firmware.Tests.Tcp;

/// <summary>An object in memory with chunk sums computed as the store would keep them; sums can
/// be corrupted on purpose to prove the packetizer uses them.</summary>
sealed class MemoryPayloadSource : IPayloadSource
{
    readonly byte[] _data;
    readonly ushort[] _sums;
    public int Reads;

    public MemoryPayloadSource(byte[] data, int chunkSize)
    {
        _data = data;
        ChunkSize = chunkSize;
        _sums = chunkSize == 0 ? [] : new ushort[(data.Length + chunkSize - 1) / chunkSize];
        for (int i = 0; i < _sums.Length; i++)
            _sums[i] = InternetChecksum.Sum(data, i * chunkSize, Math.Min(chunkSize, data.Length - i * chunkSize));
    }

    public long Size => _data.Length;
    public int ChunkSize { get; }
    public void CorruptSum(int chunk) => _sums[chunk] ^= 0x1234;

    public BlockStatus Read(long offset, byte[] buffer, int bufferOffset, int count)
    {
        if (offset < 0 || offset + count > _data.Length) return BlockStatus.OutOfRange;
        Reads++;
        Array.Copy(_data, offset, buffer, bufferOffset, count);
        return BlockStatus.Ok;
    }

    public bool TryGetStoredSum(long offset, int count, out ushort sum)
    {
        sum = 0;
        long end = offset + count;
        if (ChunkSize == 0 || offset % ChunkSize != 0 || (end % ChunkSize != 0 && end != Size)) return false;
        // Chunks sit at even positions relative to each other only when the chunk size is even.
        for (long c = offset / ChunkSize, p = 0; c * ChunkSize < end; c++, p += ChunkSize)
            sum = InternetChecksum.CombineAt(sum, _sums[c], p);
        return true;
    }
}
