using System.Buffers.Binary;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>Test data that shows where a wrong byte came from: a random block repeated, with every
/// 4 KiB page starting with its own offset in the file (8 bytes, little-endian), so data that is
/// shifted, repeated or taken from another place differs from what belongs there.</summary>
public static class StampedData
{
    /// <summary>Bytes between two offset stamps.</summary>
    public const int PageSize = 4096;

    /// <summary>Length of the repeated random block.</summary>
    public const int BlockSize = 1 << 20;

    /// <summary>Writes length bytes to path: a block of seeded random bytes, repeated, each page
    /// stamped with its offset. Same seed and length, same file.</summary>
    public static void Write(string path, long length, int seed)
    {
        var block = new byte[BlockSize];
        new Random(seed).NextBytes(block);
        var chunk = new byte[BlockSize];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        for (long offset = 0; offset < length; offset += BlockSize)
        {
            block.CopyTo(chunk, 0);
            for (int page = 0; page < BlockSize; page += PageSize)
                BinaryPrimitives.WriteInt64LittleEndian(chunk.AsSpan(page, 8), offset + page);
            file.Write(chunk, 0, (int)Math.Min(BlockSize, length - offset));
        }
    }

    /// <summary>The offset stamped at the start of the page holding position in data read from
    /// dataOffset on (null when that page's start is not in data): says where misplaced bytes came from.</summary>
    public static long? StampAt(ReadOnlySpan<byte> data, long dataOffset, long position)
    {
        long pageStart = position / PageSize * PageSize;
        long index = pageStart - dataOffset;
        if (index < 0 || index + 8 > data.Length) return null;
        return BinaryPrimitives.ReadInt64LittleEndian(data.Slice((int)index, 8));
    }
}
