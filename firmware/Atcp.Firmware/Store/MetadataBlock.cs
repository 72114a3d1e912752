using Atcp.Firmware.Alu;
using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    /// <summary>The 24-byte header every store metadata block starts with (superblock, directory
    /// bucket, bitmap block, object block; FORMAT.md section 2). Fields are little-endian. The CRC-32C
    /// covers bytes [8, Length), so a block's unused tail costs no CRC time; the magic is compared
    /// exactly and tells what kind of block it is.</summary>
    public static class MetadataBlock
    {
        /// <summary>Four ASCII bytes naming the kind of block.</summary>
        public const int MagicOffset = 0;
        /// <summary>CRC-32C of bytes [8, Length), uint32.</summary>
        public const int CrcOffset = 4;
        /// <summary>Bytes covered by the CRC, counted from the block start, uint16 (24..512).</summary>
        public const int LengthOffset = 8;
        /// <summary>Format version, uint16.</summary>
        public const int VersionOffset = 10;
        /// <summary>Which block this is meant to be (slot, bucket, bitmap index or unit), uint32:
        /// catches a block written to or read from the wrong place.</summary>
        public const int IndexOffset = 12;
        /// <summary>Generation of the commit that wrote the block, uint64.</summary>
        public const int GenerationOffset = 16;
        /// <summary>Header length; contents start here.</summary>
        public const int HeaderLength = 24;

        /// <summary>"ATSB": superblock.</summary>
        public const uint SuperblockMagic = 0x42535441;
        /// <summary>"ATDB": directory bucket.</summary>
        public const uint BucketMagic = 0x42445441;
        /// <summary>"ATBM": allocation bitmap block.</summary>
        public const uint BitmapMagic = 0x4D425441;
        /// <summary>"ATOB": object block (name, size, type, CRC, extents).</summary>
        public const uint ObjectMagic = 0x424F5441;

        /// <summary>Fills the header of the block at buffer[0..512) and its CRC over [8, length).</summary>
        public static void Seal(byte[] buffer, uint magic, int length, uint index, long generation)
        {
            LittleEndian.WriteUInt32(buffer, MagicOffset, magic);
            LittleEndian.WriteUInt16(buffer, LengthOffset, (ushort)length);
            LittleEndian.WriteUInt16(buffer, VersionOffset, StoreLayout.FormatVersion);
            LittleEndian.WriteUInt32(buffer, IndexOffset, index);
            LittleEndian.WriteUInt64(buffer, GenerationOffset, (ulong)generation);
            LittleEndian.WriteUInt32(buffer, CrcOffset, Crc32C.Compute(buffer, LengthOffset, length - LengthOffset));
        }

        /// <summary>True when the block starts with magic.</summary>
        public static bool HasMagic(byte[] buffer, uint magic)
        {
            return LittleEndian.ReadUInt32(buffer, MagicOffset) == magic;
        }

        /// <summary>Checks magic, version, length, CRC, index and that the generation is at most
        /// maxGeneration (a newer block is one an unfinished commit wrote). Ok, UnsupportedVersion or
        /// Corrupt. On Ok, bytes [Length, 512) are zeroed so callers may treat them as empty.</summary>
        public static StoreStatus Check(byte[] buffer, uint magic, uint index, long maxGeneration)
        {
            if (!HasMagic(buffer, magic)) return StoreStatus.Corrupt;
            if (LittleEndian.ReadUInt16(buffer, VersionOffset) != StoreLayout.FormatVersion) return StoreStatus.UnsupportedVersion;
            int length = LittleEndian.ReadUInt16(buffer, LengthOffset);
            if (length < HeaderLength || length > StoreLayout.BlockSize) return StoreStatus.Corrupt;
            uint crc = Crc32C.Compute(buffer, LengthOffset, length - LengthOffset);
            if (crc != LittleEndian.ReadUInt32(buffer, CrcOffset)) return StoreStatus.Corrupt;
            if (LittleEndian.ReadUInt32(buffer, IndexOffset) != index) return StoreStatus.Corrupt;
            ulong generation = LittleEndian.ReadUInt64(buffer, GenerationOffset);
            if (generation > (ulong)maxGeneration) return StoreStatus.Corrupt;
            if (length < StoreLayout.BlockSize) System.Array.Clear(buffer, length, StoreLayout.BlockSize - length);
            return StoreStatus.Ok;
        }

        /// <summary>Generation field of a checked block.</summary>
        public static long GetGeneration(byte[] buffer)
        {
            return (long)LittleEndian.ReadUInt64(buffer, GenerationOffset);
        }
    }
}
