using Atcp.Firmware.Alu;
using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>How much card a set of objects needs, computed with the store's own layout rules
/// (StoreLayout.Compute and the per-object cost of FORMAT.md section 10), before anything is written.</summary>
public sealed class StoreSizing
{
    /// <summary>Block size of the store (and of SD cards).</summary>
    public const int BlockSize = StoreLayout.BlockSize;

    /// <summary>Share of a card's nominal (decimal) capacity that every real card of that size holds:
    /// cards report 93-99 % of the number on the label, so an automatic image this big fits any of them.</summary>
    public const double NominalFraction = 0.93;

    /// <summary>The largest card the format covers: 2048 bitmap blocks of units of 65,536 blocks (FORMAT.md section 10).</summary>
    public const long LargestBytes = (long)StoreLayout.MaxBitmapBlocks * StoreLayout.UnitsPerBitmapBlock * StoreLayout.MaxUnitBlocks * BlockSize;

    readonly IReadOnlyList<long> _sizes;
    readonly int _chunkSize;
    readonly int? _maxObjects;

    /// <summary>Sizing for objects of the given payload sizes, stored with chunkSize; maxObjects sizes the
    /// directory (null: the store's default, or twice the object count when that is more).</summary>
    public StoreSizing(IReadOnlyList<long> sizes, int chunkSize, int? maxObjects = null)
    {
        _sizes = sizes;
        _chunkSize = chunkSize;
        _maxObjects = maxObjects;
        ContentBytes = sizes.Sum();
    }

    /// <summary>Payload bytes of all objects.</summary>
    public long ContentBytes { get; }

    /// <summary>The directory capacity the image is formatted with on a card of blockCount blocks:
    /// at least twice the object count, so buckets stay about half full (FORMAT.md section 8).</summary>
    public int MaxObjectsFor(long blockCount)
    {
        if (_maxObjects is int fixedCount) return fixedCount;
        long wanted = Math.Max(StoreLayout.DefaultMaxObjects(blockCount), 2L * _sizes.Count);
        return (int)Math.Min(wanted, StoreLayout.MaxObjectsLimit);
    }

    /// <summary>Units one object occupies: object block, payload blocks and sums blocks, rounded up to
    /// whole units (the same sum as ObjectStore.UnitsFor).</summary>
    public static long UnitsFor(long size, int chunkSize, int unitBlocks)
    {
        long blocks = 1 + ByteRange.PiecesFor(size, BlockSize) + StoreObject.SumsBlocksFor(size, chunkSize);
        return ByteRange.PiecesFor(blocks, unitBlocks);
    }

    /// <summary>The layout of a card of blockCount blocks, or null when the store cannot use such a card.</summary>
    public StoreLayout? LayoutFor(long blockCount)
    {
        var layout = new StoreLayout();
        return layout.Compute(blockCount, MaxObjectsFor(blockCount)) == StoreStatus.Ok ? layout : null;
    }

    /// <summary>Units all objects need on a card with this layout.</summary>
    public long UnitsNeeded(StoreLayout layout)
    {
        long units = 0;
        foreach (long size in _sizes) units += UnitsFor(size, _chunkSize, layout.UnitBlocks);
        return units;
    }

    /// <summary>True when every object fits on a card of blockCount blocks with headroomBytes to spare.</summary>
    public bool Fits(long blockCount, long headroomBytes = 0)
    {
        var layout = LayoutFor(blockCount);
        if (layout == null) return false;
        long unitBytes = (long)layout.UnitBlocks * BlockSize;
        return UnitsNeeded(layout) + ByteRange.PiecesFor(headroomBytes, unitBytes) <= layout.UnitCount;
    }

    /// <summary>The smallest image, in whole MiB, that holds every object.</summary>
    public long MinimumBytes()
    {
        const long Mib = 1 << 20;
        long low = StoreLayout.DirectoryStartBlock, high = 1L << 20;
        while (!Fits(high))
        {
            high *= 2;
            if (high * BlockSize > LargestBytes) throw new ToolException($"the content is larger than the biggest card the store supports ({ByteSize.Format(LargestBytes)})");
        }
        while (high - low > 1)
        {
            long mid = low + (high - low) / 2;
            if (Fits(mid)) high = mid; else low = mid;
        }
        long bytes = ByteRange.AlignUp(high * BlockSize, Mib);
        // Layout steps (unit size doubling) can make a slightly larger card hold less; step past them.
        while (!Fits(bytes / BlockSize)) bytes += Mib;
        return bytes;
    }

    /// <summary>The image size --size auto picks: the largest image that fits on the smallest card
    /// (by label: 32 MB, 64 MB, ... 1 GB, 2 GB, ...) holding the content plus headroom (1/32 of the
    /// content and 1 MiB, for the settings and later small writes). nominalBytes is the label size.</summary>
    public long AutoBytes(out long nominalBytes)
    {
        long headroom = ContentBytes / 32 + (1 << 20);
        for (long nominal = 32_000_000; nominal * NominalFraction <= LargestBytes; nominal *= 2)
        {
            if (nominal == 1_024_000_000) nominal = 1_000_000_000; // 512 MB, then 1 GB, 2 GB, ... as cards are sold
            long bytes = (long)(nominal * NominalFraction) / (1 << 20) * (1 << 20);
            if (Fits(bytes / BlockSize, headroom))
            {
                nominalBytes = nominal;
                return bytes;
            }
        }
        throw new ToolException($"the content is larger than the biggest card the store supports ({ByteSize.Format(LargestBytes)})");
    }

    /// <summary>A card label size for people: "2 GB", "512 MB".</summary>
    public static string Nominal(long bytes) =>
        bytes >= 1_000_000_000_000 ? $"{bytes / 1_000_000_000_000} TB"
        : bytes >= 1_000_000_000 ? $"{bytes / 1_000_000_000} GB" : $"{bytes / 1_000_000} MB";
}
