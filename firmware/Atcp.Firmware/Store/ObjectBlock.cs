using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    /// <summary>Object block view (FORMAT.md section 6): the first block of an object's first extent,
    /// written once when the object is committed and never modified. Little-endian fields after the
    /// 24-byte header (index = the block's own unit, generation = the object's version).</summary>
    public static class ObjectBlock
    {
        /// <summary>Payload size, int64.</summary>
        public const int SizeOffset = 24;
        /// <summary>Payload CRC-32C, uint32.</summary>
        public const int PayloadCrcOffset = 32;
        /// <summary>CRC-32C of the sums table bytes, uint32.</summary>
        public const int SumsCrcOffset = 36;
        /// <summary>Chunk size, uint32.</summary>
        public const int ChunkSizeOffset = 40;
        /// <summary>Name CRC-32C (the directory hash), uint32.</summary>
        public const int NameHashOffset = 44;
        /// <summary>Modification time from the writer, int64.</summary>
        public const int ModifiedTimeOffset = 48;
        /// <summary>Extent count, uint8 (1..8).</summary>
        public const int ExtentCountOffset = 56;
        /// <summary>Name length, uint8 (1..255).</summary>
        public const int NameLengthOffset = 57;
        /// <summary>Content type length, uint8 (0..120).</summary>
        public const int ContentTypeLengthOffset = 58;
        /// <summary>Extent table: 8 entries of (first unit uint32, unit count uint32).</summary>
        public const int ExtentsOffset = 64;
        /// <summary>Name bytes, then content type bytes.</summary>
        public const int NameOffset = 128;

        /// <summary>Writes obj as a sealed object block into buffer[0..512).</summary>
        public static void Emit(byte[] buffer, StoreObject obj)
        {
            System.Array.Clear(buffer, 0, StoreLayout.BlockSize);
            LittleEndian.WriteUInt64(buffer, SizeOffset, (ulong)obj.Size);
            LittleEndian.WriteUInt32(buffer, PayloadCrcOffset, obj.PayloadCrc);
            LittleEndian.WriteUInt32(buffer, SumsCrcOffset, obj.SumsCrc);
            LittleEndian.WriteUInt32(buffer, ChunkSizeOffset, (uint)obj.ChunkSize);
            LittleEndian.WriteUInt32(buffer, NameHashOffset, obj.NameHash);
            LittleEndian.WriteUInt64(buffer, ModifiedTimeOffset, (ulong)obj.ModifiedTime);
            buffer[ExtentCountOffset] = (byte)obj.ExtentCount;
            buffer[NameLengthOffset] = (byte)obj.NameLength;
            buffer[ContentTypeLengthOffset] = (byte)obj.ContentTypeLength;
            for (int i = 0; i < obj.ExtentCount; i++)
            {
                LittleEndian.WriteUInt32(buffer, ExtentsOffset + 8 * i, obj.ExtentStart[i]);
                LittleEndian.WriteUInt32(buffer, ExtentsOffset + 8 * i + 4, obj.ExtentUnits[i]);
            }
            System.Array.Copy(obj.Name, 0, buffer, NameOffset, obj.NameLength);
            System.Array.Copy(obj.ContentType, 0, buffer, NameOffset + obj.NameLength, obj.ContentTypeLength);
            int length = NameOffset + obj.NameLength + obj.ContentTypeLength;
            MetadataBlock.Seal(buffer, MetadataBlock.ObjectMagic, length, (uint)obj.Unit, obj.Version);
        }

        /// <summary>Checks the object block read from unit's first block (written no later than
        /// generation maxGeneration) and fills obj. Corrupt when any field contradicts the format or
        /// the layout (extents outside the data region, too few units for the size).</summary>
        public static StoreStatus Parse(byte[] buffer, long unit, long maxGeneration, StoreLayout layout, StoreObject obj)
        {
            StoreStatus status = MetadataBlock.Check(buffer, MetadataBlock.ObjectMagic, (uint)unit, maxGeneration);
            if (status != StoreStatus.Ok) return status;
            ulong size = LittleEndian.ReadUInt64(buffer, SizeOffset);
            uint chunk = LittleEndian.ReadUInt32(buffer, ChunkSizeOffset);
            int extents = buffer[ExtentCountOffset];
            int nameLength = buffer[NameLengthOffset];
            int typeLength = buffer[ContentTypeLengthOffset];
            int length = LittleEndian.ReadUInt16(buffer, MetadataBlock.LengthOffset);
            if (size > 0x7FFFFFFFFFFFFFFFul) return StoreStatus.Corrupt;
            if (chunk < StoreLayout.MinChunkSize || chunk > StoreLayout.MaxChunkSize) return StoreStatus.Corrupt;
            if (extents < 1 || extents > StoreObject.MaxExtents || nameLength < 1 || typeLength > StoreObject.MaxContentTypeLength) return StoreStatus.Corrupt;
            if (length != NameOffset + nameLength + typeLength) return StoreStatus.Corrupt;
            long units = 0;
            for (int i = 0; i < extents; i++)
            {
                uint start = LittleEndian.ReadUInt32(buffer, ExtentsOffset + 8 * i);
                uint count = LittleEndian.ReadUInt32(buffer, ExtentsOffset + 8 * i + 4);
                if (count == 0 || start >= (uint)layout.UnitCount || count > (uint)layout.UnitCount - start) return StoreStatus.Corrupt;
                if (i == 0 && start != unit) return StoreStatus.Corrupt;
                obj.ExtentStart[i] = start;
                obj.ExtentUnits[i] = count;
                units += count;
            }
            long needed = 1 + Alu.ByteRange.PiecesFor((long)size, StoreLayout.BlockSize) + StoreObject.SumsBlocksFor((long)size, (int)chunk);
            if (units * layout.UnitBlocks < needed) return StoreStatus.Corrupt;
            obj.Unit = unit;
            obj.Size = (long)size;
            obj.PayloadCrc = LittleEndian.ReadUInt32(buffer, PayloadCrcOffset);
            obj.SumsCrc = LittleEndian.ReadUInt32(buffer, SumsCrcOffset);
            obj.ChunkSize = (int)chunk;
            obj.NameHash = LittleEndian.ReadUInt32(buffer, NameHashOffset);
            obj.Version = MetadataBlock.GetGeneration(buffer);
            obj.ModifiedTime = (long)LittleEndian.ReadUInt64(buffer, ModifiedTimeOffset);
            obj.ExtentCount = extents;
            obj.NameLength = nameLength;
            obj.ContentTypeLength = typeLength;
            if (obj.KeepsNames)
            {
                System.Array.Copy(buffer, NameOffset, obj.Name, 0, nameLength);
                System.Array.Copy(buffer, NameOffset + nameLength, obj.ContentType, 0, typeLength);
            }
            return StoreStatus.Ok;
        }

        /// <summary>True when the object block in buffer (already checked) has the name bytes[offset..+count).</summary>
        public static bool HasName(byte[] buffer, byte[] bytes, int offset, int count)
        {
            if (buffer[NameLengthOffset] != count) return false;
            for (int i = 0; i < count; i++) if (buffer[NameOffset + i] != bytes[offset + i]) return false;
            return true;
        }
    }
}
