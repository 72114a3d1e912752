using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    /// <summary>Directory bucket view (FORMAT.md section 4): after the 24-byte header, 61 entries of
    /// 8 bytes: the name's CRC-32C (uint32) and the object's unit number plus one (uint32, 0 = empty
    /// entry). An object lives in bucket (name CRC-32C mod bucket count). Entries never move, so a
    /// listing cursor (bucket * 61 + entry) stays valid across deletes. The header's Length ends after
    /// the last used entry, so the CRC check of a sparse bucket is short.</summary>
    public static class DirectoryBucket
    {
        /// <summary>Entries per bucket.</summary>
        public const int EntryCount = (StoreLayout.BlockSize - MetadataBlock.HeaderLength) / EntryLength;
        /// <summary>Bytes per entry.</summary>
        public const int EntryLength = 8;

        static int EntryOffset(int entry) { return MetadataBlock.HeaderLength + entry * EntryLength; }

        /// <summary>Name hash of an entry.</summary>
        public static uint GetHash(byte[] bucket, int entry)
        {
            return LittleEndian.ReadUInt32(bucket, EntryOffset(entry));
        }

        /// <summary>Object unit of an entry, or -1 when the entry is empty.</summary>
        public static long GetUnit(byte[] bucket, int entry)
        {
            return (long)LittleEndian.ReadUInt32(bucket, EntryOffset(entry) + 4) - 1;
        }

        /// <summary>Fills an entry.</summary>
        public static void Set(byte[] bucket, int entry, uint hash, long unit)
        {
            LittleEndian.WriteUInt32(bucket, EntryOffset(entry), hash);
            LittleEndian.WriteUInt32(bucket, EntryOffset(entry) + 4, (uint)(unit + 1));
        }

        /// <summary>Empties an entry.</summary>
        public static void Clear(byte[] bucket, int entry)
        {
            System.Array.Clear(bucket, EntryOffset(entry), EntryLength);
        }

        /// <summary>First empty entry, or -1 when the bucket is full.</summary>
        public static int FindFree(byte[] bucket)
        {
            for (int i = 0; i < EntryCount; i++) if (GetUnit(bucket, i) < 0) return i;
            return -1;
        }

        /// <summary>Entry holding unit, or -1.</summary>
        public static int FindUnit(byte[] bucket, long unit)
        {
            for (int i = 0; i < EntryCount; i++) if (GetUnit(bucket, i) == unit) return i;
            return -1;
        }

        /// <summary>CRC-covered length for the bucket's current entries: up to the last used one.</summary>
        public static int UsedLength(byte[] bucket)
        {
            for (int i = EntryCount - 1; i >= 0; i--) if (GetUnit(bucket, i) >= 0) return EntryOffset(i + 1);
            return MetadataBlock.HeaderLength;
        }

        /// <summary>Clears a buffer to an empty bucket's contents (the header is filled by Seal).</summary>
        public static void Reset(byte[] bucket)
        {
            System.Array.Clear(bucket, 0, StoreLayout.BlockSize);
        }
    }
}
