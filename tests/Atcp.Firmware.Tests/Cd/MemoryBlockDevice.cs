using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>A block device over a byte array (an image mutated in memory), counting reads and
/// failing on request so tests can check access patterns and error paths.</summary>
sealed class MemoryBlockDevice(byte[] image, int blockSize = 512) : IBlockDevice
{
    public byte[] Image { get; } = image;
    public int BlockSize { get; } = blockSize;
    public long BlockCount => Image.Length / BlockSize;
    public bool IsReadOnly => true;

    /// <summary>Read calls that returned Ok.</summary>
    public long ReadCalls { get; set; }

    /// <summary>Blocks returned by Read.</summary>
    public long BlocksRead { get; set; }

    /// <summary>A read touching this block fails with <see cref="FailStatus"/>; -1 for none.</summary>
    public long FailAtBlock { get; set; } = -1;

    public BlockStatus FailStatus { get; set; } = BlockStatus.Timeout;

    public BlockStatus Read(long block, int count, byte[] buffer, int offset)
    {
        if (block < 0 || count < 0 || block + count > BlockCount) return BlockStatus.OutOfRange;
        if (FailAtBlock >= block && FailAtBlock < block + count) return FailStatus;
        Array.Copy(Image, block * BlockSize, buffer, offset, (long)count * BlockSize);
        ReadCalls++;
        BlocksRead += count;
        return BlockStatus.Ok;
    }

    public BlockStatus Write(long block, int count, byte[] buffer, int offset) => BlockStatus.ReadOnly;
}
