namespace Atcp.Wire.Atcp
{
    /// <summary>INVENTORY_REQUEST body view (type 0x07, front-end to board; SPEC.md section 5.8), 8 bytes.</summary>
    public static class AtcpInventoryRequest
    {
        /// <summary>Volume id, 1 byte.</summary>
        public const int VolumeOffset = 0;
        /// <summary>Reserved, 1 byte, sent as zero, ignored.</summary>
        public const int ReservedOffset = 1;
        /// <summary>Most entries wanted in the page, 16 bits; 0 = as many as fit.</summary>
        public const int MaxEntriesOffset = 2;
        /// <summary>Index of the first entry wanted (the cursor), 32 bits; 0 starts the listing.</summary>
        public const int FirstIndexOffset = 4;
        /// <summary>Body length.</summary>
        public const int Length = 8;
    }

    /// <summary>INVENTORY_REQUEST body repr: asks for the page of a volume's list starting at FirstIndex.</summary>
    public sealed class AtcpInventoryRequestRepr : IAtcpMessage
    {
        /// <summary>Volume id.</summary>
        public byte Volume;
        /// <summary>Most entries wanted (0 = as many as fit).</summary>
        public ushort MaxEntries;
        /// <summary>Index of the first entry wanted.</summary>
        public uint FirstIndex;

        /// <summary>Type 0x07.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.InventoryRequest; } }

        /// <summary>8 bytes.</summary>
        public int Length { get { return AtcpInventoryRequest.Length; } }

        /// <summary>Fills this instance from a body of exactly 8 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpInventoryRequest.Length) return ParseStatus.Truncated;
            if (length > AtcpInventoryRequest.Length) return ParseStatus.BadLength;
            Volume = buffer[offset + AtcpInventoryRequest.VolumeOffset];
            MaxEntries = NetworkOrder.ReadUInt16(buffer, offset + AtcpInventoryRequest.MaxEntriesOffset);
            FirstIndex = NetworkOrder.ReadUInt32(buffer, offset + AtcpInventoryRequest.FirstIndexOffset);
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+8).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            buffer[offset + AtcpInventoryRequest.VolumeOffset] = Volume;
            buffer[offset + AtcpInventoryRequest.ReservedOffset] = 0;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpInventoryRequest.MaxEntriesOffset, MaxEntries);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpInventoryRequest.FirstIndexOffset, FirstIndex);
        }
    }
}
