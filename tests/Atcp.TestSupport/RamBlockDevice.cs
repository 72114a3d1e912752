using Atcp.Firmware.Hal;

namespace Atcp.TestSupport;

/// <summary>A block device in a byte array, counting the blocks it reads and writes.</summary>
public sealed class RamBlockDevice : IBlockDevice
{
    public RamBlockDevice(long blockCount, int blockSize = 512)
    {
        BlockSize = blockSize;
        BlockCount = blockCount;
        Data = new byte[blockCount * blockSize];
    }

    /// <summary>The medium's bytes, block after block.</summary>
    public byte[] Data { get; }
    public int BlockSize { get; }
    public long BlockCount { get; }
    public bool IsReadOnly { get; set; }
    public long BlocksRead { get; private set; }
    public long BlocksWritten { get; private set; }
    public long ReadCalls { get; private set; }

    public BlockStatus Read(long block, int count, byte[] buffer, int offset)
    {
        if (block < 0 || count < 0 || block + count > BlockCount) return BlockStatus.OutOfRange;
        Array.Copy(Data, block * BlockSize, buffer, offset, (long)count * BlockSize);
        BlocksRead += count;
        ReadCalls++;
        return BlockStatus.Ok;
    }

    public BlockStatus Write(long block, int count, byte[] buffer, int offset)
    {
        if (IsReadOnly) return BlockStatus.ReadOnly;
        if (block < 0 || count < 0 || block + count > BlockCount) return BlockStatus.OutOfRange;
        Array.Copy(buffer, offset, Data, block * BlockSize, (long)count * BlockSize);
        BlocksWritten += count;
        return BlockStatus.Ok;
    }

    /// <summary>A copy of one block.</summary>
    public byte[] Block(long block) => Data.AsSpan((int)(block * BlockSize), BlockSize).ToArray();

    /// <summary>An independent copy of the medium (a card moved to another slot).</summary>
    public RamBlockDevice Clone()
    {
        var copy = new RamBlockDevice(BlockCount, BlockSize);
        Data.CopyTo(copy.Data, 0);
        return copy;
    }
}
