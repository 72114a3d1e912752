using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Store;

/// <summary>What the block being written when power fails ends up holding.</summary>
public enum CutMode
{
    /// <summary>The old contents: the write never reached the medium.</summary>
    Lost,
    /// <summary>First half new, second half old.</summary>
    TornFirstHalfNew,
    /// <summary>First half old, second half new.</summary>
    TornSecondHalfNew,
    /// <summary>Random bytes.</summary>
    Garbage,
}

/// <summary>Wraps a RAM device and cuts the power at one chosen block write: that block is lost or
/// torn as CutMode says, and from then on every call fails with NotReady, as a board without power
/// would. Multi-block writes count block by block, so a cut can land inside one.</summary>
public sealed class FaultInjectingBlockDevice(RamBlockDevice inner, long cutAtBlockWrite, CutMode mode, int seed = 1) : IBlockDevice
{
    readonly Random _random = new(seed);

    public int BlockSize => inner.BlockSize;
    public long BlockCount => inner.BlockCount;
    public bool IsReadOnly => inner.IsReadOnly;

    /// <summary>Block writes attempted so far (including the one that was cut).</summary>
    public long BlockWrites { get; private set; }

    /// <summary>True once the cut has happened.</summary>
    public bool PoweredOff { get; private set; }

    /// <summary>Block number that was being written when the power was cut (-1 if none).</summary>
    public long CutBlock { get; private set; } = -1;

    public BlockStatus Read(long block, int count, byte[] buffer, int offset)
    {
        if (PoweredOff) return BlockStatus.NotReady;
        return inner.Read(block, count, buffer, offset);
    }

    public BlockStatus Write(long block, int count, byte[] buffer, int offset)
    {
        for (int i = 0; i < count; i++)
        {
            if (PoweredOff) return BlockStatus.NotReady;
            long target = block + i;
            int source = offset + i * BlockSize;
            if (BlockWrites == cutAtBlockWrite)
            {
                BlockWrites++;
                PoweredOff = true;
                CutBlock = target;
                Tear(target, buffer, source);
                return BlockStatus.NotReady;
            }
            BlockWrites++;
            var status = inner.Write(target, 1, buffer, source);
            if (status != BlockStatus.Ok) return status;
        }
        return BlockStatus.Ok;
    }

    void Tear(long target, byte[] buffer, int source)
    {
        if (target < 0 || target >= BlockCount) return;
        var half = BlockSize / 2;
        var at = target * BlockSize;
        switch (mode)
        {
            case CutMode.Lost:
                break;
            case CutMode.TornFirstHalfNew:
                Array.Copy(buffer, source, inner.Data, at, half);
                break;
            case CutMode.TornSecondHalfNew:
                Array.Copy(buffer, source + half, inner.Data, at + half, half);
                break;
            case CutMode.Garbage:
                var noise = new byte[BlockSize];
                _random.NextBytes(noise);
                Array.Copy(noise, 0, inner.Data, at, BlockSize);
                break;
        }
    }
}
