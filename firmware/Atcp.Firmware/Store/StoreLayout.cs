using Atcp.Firmware.Alu;

namespace Atcp.Firmware.Store
{
    /// <summary>Where the store's regions sit on a card, and the fixed numbers of the on-card
    /// format (FORMAT.md is the prose version; both must agree, a test checks the vector).</summary>
    public sealed class StoreLayout
    {
        /// <summary>Bytes per block; the only block size the format supports (SD cards).</summary>
        public const int BlockSize = 512;
        /// <summary>On-card format version written in every metadata block header.</summary>
        public const int FormatVersion = 1;
        /// <summary>Superblock slot blocks: slot 0 at block 0, slot 1 at block 1.</summary>
        public const int SuperblockSlots = 2;
        /// <summary>First block of the directory region (blocks 2..7 stay zero, reserved).</summary>
        public const long DirectoryStartBlock = 8;
        /// <summary>Bytes of bitmap payload per bitmap block (after the 24-byte header).</summary>
        public const int BitmapBytesPerBlock = BlockSize - MetadataBlock.HeaderLength;
        /// <summary>Allocation units tracked by one bitmap block.</summary>
        public const int UnitsPerBitmapBlock = BitmapBytesPerBlock * 8;
        /// <summary>Most directory buckets (the superblock's selector bits bound the metadata count).</summary>
        public const int MaxBuckets = 1024;
        /// <summary>Most bitmap blocks.</summary>
        public const int MaxBitmapBlocks = 2048;
        /// <summary>Largest allocation unit in blocks (32 MiB); bounds the card size (FORMAT.md).</summary>
        public const int MaxUnitBlocks = 65536;
        /// <summary>Directory load the default bucket count aims at: half of a bucket's 61 entries.</summary>
        public const int TargetEntriesPerBucket = 30;
        /// <summary>Smallest chunk size a card may be formatted with.</summary>
        public const int MinChunkSize = 2;
        /// <summary>Largest chunk size (a chunk's sum is one 16-bit word whatever its length).</summary>
        public const int MaxChunkSize = 65535;
        /// <summary>Default chunk size: 1460 / 5, so a 1460-byte MSS carries exactly five chunks.</summary>
        public const int DefaultChunkSize = 292;
        /// <summary>Largest maxObjects a format accepts (MaxBuckets times the target load).</summary>
        public const int MaxObjectsLimit = MaxBuckets * TargetEntriesPerBucket;

        /// <summary>Blocks on the medium the store covers.</summary>
        public long BlockCount;
        /// <summary>Blocks per allocation unit (a power of two).</summary>
        public int UnitBlocks;
        /// <summary>Allocation units in the data region.</summary>
        public int UnitCount;
        /// <summary>Directory buckets (a power of two).</summary>
        public int BucketCount;
        /// <summary>Bitmap blocks.</summary>
        public int BitmapBlocks;
        /// <summary>First block of the bitmap region.</summary>
        public long BitmapStart;
        /// <summary>First block of the data region (unit 0).</summary>
        public long DataStart;

        /// <summary>Default object capacity for a card: one object per 64 blocks, between 16 and 4096.</summary>
        public static int DefaultMaxObjects(long blockCount)
        {
            long n = blockCount / 64;
            if (n < 16) n = 16;
            if (n > 4096) n = 4096;
            return (int)n;
        }

        /// <summary>Computes the layout for a card of blockCount blocks meant to hold about
        /// maxObjects objects. Returns UnsupportedDevice when the card is too small or too large,
        /// InvalidArgument for a maxObjects outside 1..MaxObjectsLimit.</summary>
        public StoreStatus Compute(long blockCount, int maxObjects)
        {
            if (maxObjects < 1 || maxObjects > MaxObjectsLimit) return StoreStatus.InvalidArgument;
            if (blockCount <= DirectoryStartBlock) return StoreStatus.UnsupportedDevice;
            long unitBlocks = 1;
            while (blockCount / unitBlocks > (long)MaxBitmapBlocks * UnitsPerBitmapBlock) unitBlocks *= 2;
            if (unitBlocks > MaxUnitBlocks) return StoreStatus.UnsupportedDevice;
            int buckets = 1;
            long wanted = ByteRange.PiecesFor(maxObjects, TargetEntriesPerBucket);
            while (buckets < wanted) buckets *= 2;
            long bitmapBlocks = ByteRange.PiecesFor(blockCount / unitBlocks, UnitsPerBitmapBlock);
            if (bitmapBlocks < 1) bitmapBlocks = 1;
            long bitmapStart = DirectoryStartBlock + 2L * buckets;
            long metadataEnd = bitmapStart + 2 * bitmapBlocks;
            long dataStart = ByteRange.AlignUp(metadataEnd, unitBlocks > 8 ? unitBlocks : 8);
            if (dataStart < 0 || dataStart >= blockCount) return StoreStatus.UnsupportedDevice;
            long units = (blockCount - dataStart) / unitBlocks;
            if (units < 4) return StoreStatus.UnsupportedDevice;
            BlockCount = blockCount;
            UnitBlocks = (int)unitBlocks;
            UnitCount = (int)units;
            BucketCount = buckets;
            BitmapBlocks = (int)bitmapBlocks;
            BitmapStart = bitmapStart;
            DataStart = dataStart;
            return StoreStatus.Ok;
        }

        /// <summary>True when a layout read from a card is internally consistent: regions in order and
        /// inside the card, counts within the format's limits.</summary>
        public bool IsPlausible()
        {
            if (BlockCount <= DirectoryStartBlock) return false;
            if (UnitBlocks < 1 || UnitBlocks > MaxUnitBlocks || (UnitBlocks & (UnitBlocks - 1)) != 0) return false;
            if (BucketCount < 1 || BucketCount > MaxBuckets || (BucketCount & (BucketCount - 1)) != 0) return false;
            if (BitmapBlocks < 1 || BitmapBlocks > MaxBitmapBlocks) return false;
            if (BitmapStart != DirectoryStartBlock + 2L * BucketCount) return false;
            if (DataStart < BitmapStart + 2L * BitmapBlocks || DataStart >= BlockCount) return false;
            if (UnitCount < 1 || (long)UnitCount > (long)BitmapBlocks * UnitsPerBitmapBlock) return false;
            if ((long)UnitCount > (BlockCount - DataStart) / UnitBlocks) return false;
            return true;
        }

        /// <summary>Copies every field from another layout.</summary>
        public void CopyFrom(StoreLayout other)
        {
            BlockCount = other.BlockCount;
            UnitBlocks = other.UnitBlocks;
            UnitCount = other.UnitCount;
            BucketCount = other.BucketCount;
            BitmapBlocks = other.BitmapBlocks;
            BitmapStart = other.BitmapStart;
            DataStart = other.DataStart;
        }

        /// <summary>First block of allocation unit unit.</summary>
        public long UnitBlock(long unit) { return DataStart + unit * UnitBlocks; }

        /// <summary>Physical block of copy (0 or 1) of directory bucket bucket.</summary>
        public long BucketBlock(int bucket, int copy) { return DirectoryStartBlock + 2L * bucket + copy; }

        /// <summary>Physical block of copy (0 or 1) of bitmap block index.</summary>
        public long BitmapBlock(int index, int copy) { return BitmapStart + 2L * index + copy; }
    }
}
