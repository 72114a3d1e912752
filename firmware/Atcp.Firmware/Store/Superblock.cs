using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    /// <summary>The superblock (FORMAT.md section 3): the store's root, in two slots (blocks 0 and 1).
    /// The valid slot with the highest generation is the committed state. Besides the geometry it
    /// holds one selector bit per metadata block saying which of that block's two copies is current,
    /// so a commit is: write new copies into the other halves of the pairs, then one superblock write.
    /// Reusable: Parse overwrites every field.</summary>
    public sealed class Superblock
    {
        /// <summary>Offset of the block size field (uint32, 512).</summary>
        public const int BlockSizeOffset = 24;
        /// <summary>Offset of the chunk size (uint32).</summary>
        public const int ChunkSizeOffset = 28;
        /// <summary>Offset of the card's block count at format time (uint64).</summary>
        public const int BlockCountOffset = 32;
        /// <summary>Offset of the blocks per allocation unit (uint32).</summary>
        public const int UnitBlocksOffset = 40;
        /// <summary>Offset of the number of allocation units (uint32).</summary>
        public const int UnitCountOffset = 44;
        /// <summary>Offset of the data region's first block (uint64).</summary>
        public const int DataStartOffset = 48;
        /// <summary>Offset of the bitmap region's first block (uint64).</summary>
        public const int BitmapStartOffset = 56;
        /// <summary>Offset of the directory bucket count (uint32).</summary>
        public const int BucketCountOffset = 64;
        /// <summary>Offset of the bitmap block count (uint32).</summary>
        public const int BitmapBlocksOffset = 68;
        /// <summary>Offset of the free unit count (uint32).</summary>
        public const int FreeUnitsOffset = 72;
        /// <summary>Offset of the object count (uint32).</summary>
        public const int ObjectCountOffset = 76;
        /// <summary>Offset of the object capacity asked for at format time (uint32, advisory).</summary>
        public const int MaxObjectsOffset = 80;
        /// <summary>Offset of the flags word (uint32, 0; readers refuse unknown bits).</summary>
        public const int FlagsOffset = 84;
        /// <summary>Offset of the directory region's first block (uint64, 8).</summary>
        public const int DirectoryStartOffset = 88;
        /// <summary>Offset of the volume label (32 bytes UTF-8, zero padded).</summary>
        public const int LabelOffset = 96;
        /// <summary>Label bytes.</summary>
        public const int LabelLength = 32;
        /// <summary>Offset of the selector bitmap (bit m = copy of metadata block m, LSB first).</summary>
        public const int SelectorsOffset = 128;
        /// <summary>Selector bytes: 3072 bits, one per metadata block (buckets, then bitmap blocks).</summary>
        public const int SelectorsLength = StoreLayout.BlockSize - SelectorsOffset;

        /// <summary>Commit generation; each commit adds one.</summary>
        public long Generation;
        /// <summary>Chunk size for stored sums, in bytes.</summary>
        public int ChunkSize;
        /// <summary>Region geometry.</summary>
        public readonly StoreLayout Layout = new StoreLayout();
        /// <summary>Free allocation units.</summary>
        public int FreeUnits;
        /// <summary>Objects in the directory.</summary>
        public int ObjectCount;
        /// <summary>Object capacity asked for at format time.</summary>
        public int MaxObjects;
        /// <summary>Volume label, UTF-8, zero padded.</summary>
        public readonly byte[] Label = new byte[LabelLength];
        /// <summary>Selector bits.</summary>
        public readonly byte[] Selectors = new byte[SelectorsLength];

        /// <summary>Which copy (0 or 1) of metadata block index is current.</summary>
        public int GetSelector(int index)
        {
            return (Selectors[index >> 3] >> (index & 7)) & 1;
        }

        /// <summary>Sets which copy of metadata block index is current.</summary>
        public void SetSelector(int index, int copy)
        {
            int mask = 1 << (index & 7);
            if (copy != 0) Selectors[index >> 3] = (byte)(Selectors[index >> 3] | mask);
            else Selectors[index >> 3] = (byte)(Selectors[index >> 3] & ~mask);
        }

        /// <summary>Copies every field from another superblock.</summary>
        public void CopyFrom(Superblock other)
        {
            Generation = other.Generation;
            ChunkSize = other.ChunkSize;
            Layout.CopyFrom(other.Layout);
            FreeUnits = other.FreeUnits;
            ObjectCount = other.ObjectCount;
            MaxObjects = other.MaxObjects;
            System.Array.Copy(other.Label, Label, LabelLength);
            System.Array.Copy(other.Selectors, Selectors, SelectorsLength);
        }

        /// <summary>Validates and reads a slot read from block slot. Ok, Unformatted (no magic),
        /// UnsupportedVersion or Corrupt (bad CRC, wrong slot, or implausible geometry).</summary>
        public StoreStatus Parse(byte[] buffer, int slot)
        {
            if (!MetadataBlock.HasMagic(buffer, MetadataBlock.SuperblockMagic)) return StoreStatus.Unformatted;
            StoreStatus status = MetadataBlock.Check(buffer, MetadataBlock.SuperblockMagic, (uint)slot, long.MaxValue);
            if (status != StoreStatus.Ok) return status;
            if (LittleEndian.ReadUInt16(buffer, MetadataBlock.LengthOffset) != StoreLayout.BlockSize) return StoreStatus.Corrupt;
            if (LittleEndian.ReadUInt32(buffer, BlockSizeOffset) != StoreLayout.BlockSize) return StoreStatus.Corrupt;
            if (LittleEndian.ReadUInt32(buffer, FlagsOffset) != 0) return StoreStatus.UnsupportedVersion;
            if (LittleEndian.ReadUInt64(buffer, DirectoryStartOffset) != (ulong)StoreLayout.DirectoryStartBlock) return StoreStatus.Corrupt;
            ulong generation = LittleEndian.ReadUInt64(buffer, MetadataBlock.GenerationOffset);
            ulong blockCount = LittleEndian.ReadUInt64(buffer, BlockCountOffset);
            ulong dataStart = LittleEndian.ReadUInt64(buffer, DataStartOffset);
            ulong bitmapStart = LittleEndian.ReadUInt64(buffer, BitmapStartOffset);
            uint chunk = LittleEndian.ReadUInt32(buffer, ChunkSizeOffset);
            uint unitBlocks = LittleEndian.ReadUInt32(buffer, UnitBlocksOffset);
            uint unitCount = LittleEndian.ReadUInt32(buffer, UnitCountOffset);
            uint buckets = LittleEndian.ReadUInt32(buffer, BucketCountOffset);
            uint bitmapBlocks = LittleEndian.ReadUInt32(buffer, BitmapBlocksOffset);
            uint free = LittleEndian.ReadUInt32(buffer, FreeUnitsOffset);
            uint objects = LittleEndian.ReadUInt32(buffer, ObjectCountOffset);
            uint maxObjects = LittleEndian.ReadUInt32(buffer, MaxObjectsOffset);
            // Every value is range-checked before narrowing so a damaged field cannot wrap into a plausible one.
            const ulong LongLimit = 0x7FFFFFFFFFFFFFFFul;
            if (generation < 1 || generation > LongLimit || blockCount > LongLimit || dataStart > LongLimit || bitmapStart > LongLimit) return StoreStatus.Corrupt;
            if (chunk < StoreLayout.MinChunkSize || chunk > StoreLayout.MaxChunkSize) return StoreStatus.Corrupt;
            if (unitBlocks > StoreLayout.MaxUnitBlocks || buckets > StoreLayout.MaxBuckets || bitmapBlocks > StoreLayout.MaxBitmapBlocks) return StoreStatus.Corrupt;
            if (unitCount > 0x7FFFFFFFu || free > unitCount || objects > (uint)StoreLayout.MaxBuckets * DirectoryBucket.EntryCount) return StoreStatus.Corrupt;
            if (maxObjects < 1 || maxObjects > StoreLayout.MaxObjectsLimit) return StoreStatus.Corrupt;
            Layout.BlockCount = (long)blockCount;
            Layout.DataStart = (long)dataStart;
            Layout.BitmapStart = (long)bitmapStart;
            Layout.UnitBlocks = (int)unitBlocks;
            Layout.UnitCount = (int)unitCount;
            Layout.BucketCount = (int)buckets;
            Layout.BitmapBlocks = (int)bitmapBlocks;
            if (!Layout.IsPlausible()) return StoreStatus.Corrupt;
            Generation = (long)generation;
            ChunkSize = (int)chunk;
            FreeUnits = (int)free;
            ObjectCount = (int)objects;
            MaxObjects = (int)maxObjects;
            System.Array.Copy(buffer, LabelOffset, Label, 0, LabelLength);
            System.Array.Copy(buffer, SelectorsOffset, Selectors, 0, SelectorsLength);
            return StoreStatus.Ok;
        }

        /// <summary>Writes the whole 512-byte slot image for block slot into buffer, sealed with its CRC.</summary>
        public void Emit(byte[] buffer, int slot)
        {
            System.Array.Clear(buffer, 0, StoreLayout.BlockSize);
            LittleEndian.WriteUInt32(buffer, BlockSizeOffset, StoreLayout.BlockSize);
            LittleEndian.WriteUInt32(buffer, ChunkSizeOffset, (uint)ChunkSize);
            LittleEndian.WriteUInt64(buffer, BlockCountOffset, (ulong)Layout.BlockCount);
            LittleEndian.WriteUInt32(buffer, UnitBlocksOffset, (uint)Layout.UnitBlocks);
            LittleEndian.WriteUInt32(buffer, UnitCountOffset, (uint)Layout.UnitCount);
            LittleEndian.WriteUInt64(buffer, DataStartOffset, (ulong)Layout.DataStart);
            LittleEndian.WriteUInt64(buffer, BitmapStartOffset, (ulong)Layout.BitmapStart);
            LittleEndian.WriteUInt32(buffer, BucketCountOffset, (uint)Layout.BucketCount);
            LittleEndian.WriteUInt32(buffer, BitmapBlocksOffset, (uint)Layout.BitmapBlocks);
            LittleEndian.WriteUInt32(buffer, FreeUnitsOffset, (uint)FreeUnits);
            LittleEndian.WriteUInt32(buffer, ObjectCountOffset, (uint)ObjectCount);
            LittleEndian.WriteUInt32(buffer, MaxObjectsOffset, (uint)MaxObjects);
            LittleEndian.WriteUInt64(buffer, DirectoryStartOffset, (ulong)StoreLayout.DirectoryStartBlock);
            System.Array.Copy(Label, 0, buffer, LabelOffset, LabelLength);
            System.Array.Copy(Selectors, 0, buffer, SelectorsOffset, SelectorsLength);
            MetadataBlock.Seal(buffer, MetadataBlock.SuperblockMagic, StoreLayout.BlockSize, (uint)slot, Generation);
        }
    }
}
