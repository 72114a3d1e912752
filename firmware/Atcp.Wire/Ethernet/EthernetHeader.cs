namespace Atcp.Wire.Ethernet
{
    /// <summary>Ethernet II header view: static accessors over byte[] + offset. Views are static
    /// rather than structs because nanoCLR boxes value types on its heap, and the board's data path
    /// must not allocate per frame.</summary>
    public static class EthernetHeader
    {
        /// <summary>Destination MAC, 6 bytes.</summary>
        public const int DestinationOffset = 0;
        /// <summary>Source MAC, 6 bytes.</summary>
        public const int SourceOffset = 6;
        /// <summary>EtherType, 16 bits, network order.</summary>
        public const int EtherTypeOffset = 12;
        /// <summary>Header length; the payload starts here.</summary>
        public const int Length = 14;
        /// <summary>Smallest frame on the wire without FCS; shorter frames are padded by the sender.</summary>
        public const int MinFrameLength = 60;

        /// <summary>True when length bytes can hold the header.</summary>
        public static bool HasHeader(int length) { return length >= Length; }

        /// <summary>Reads the EtherType.</summary>
        public static ushort GetEtherType(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + EtherTypeOffset); }

        /// <summary>Writes the EtherType.</summary>
        public static void SetEtherType(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + EtherTypeOffset, value); }

        /// <summary>Copies the destination MAC into mac[macOffset..+6).</summary>
        public static void GetDestination(byte[] buffer, int offset, byte[] mac, int macOffset) { System.Array.Copy(buffer, offset + DestinationOffset, mac, macOffset, 6); }

        /// <summary>Copies the source MAC into mac[macOffset..+6).</summary>
        public static void GetSource(byte[] buffer, int offset, byte[] mac, int macOffset) { System.Array.Copy(buffer, offset + SourceOffset, mac, macOffset, 6); }

        /// <summary>Writes the destination MAC from mac[macOffset..+6).</summary>
        public static void SetDestination(byte[] buffer, int offset, byte[] mac, int macOffset) { System.Array.Copy(mac, macOffset, buffer, offset + DestinationOffset, 6); }

        /// <summary>Writes the source MAC from mac[macOffset..+6).</summary>
        public static void SetSource(byte[] buffer, int offset, byte[] mac, int macOffset) { System.Array.Copy(mac, macOffset, buffer, offset + SourceOffset, 6); }
    }

    /// <summary>EtherType values this project uses. Others survive parsing as plain numbers.</summary>
    public static class EtherType
    {
        /// <summary>IPv4, RFC 894.</summary>
        public const ushort IPv4 = 0x0800;
        /// <summary>ARP, RFC 826.</summary>
        public const ushort Arp = 0x0806;
        /// <summary>IEEE 802 local experimental EtherType 1, carrying ATCP frames.</summary>
        public const ushort Atcp = 0x88B5;
    }

    /// <summary>Plain description of an Ethernet II header. Reusable: Parse overwrites every field,
    /// so one instance serves every frame without allocation.</summary>
    public sealed class EthernetRepr
    {
        /// <summary>Destination MAC (6 bytes, owned by this instance).</summary>
        public readonly byte[] Destination = new byte[6];
        /// <summary>Source MAC (6 bytes, owned by this instance).</summary>
        public readonly byte[] Source = new byte[6];
        /// <summary>EtherType; unknown values are kept as they are.</summary>
        public ushort EtherType;

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return EthernetHeader.Length; } }

        /// <summary>Fills this instance from buffer[offset..offset+length); Truncated if too short.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (!EthernetHeader.HasHeader(length)) return ParseStatus.Truncated;
            EthernetHeader.GetDestination(buffer, offset, Destination, 0);
            EthernetHeader.GetSource(buffer, offset, Source, 0);
            EtherType = EthernetHeader.GetEtherType(buffer, offset);
            return ParseStatus.Ok;
        }

        /// <summary>Writes the header at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            EthernetHeader.SetDestination(buffer, offset, Destination, 0);
            EthernetHeader.SetSource(buffer, offset, Source, 0);
            EthernetHeader.SetEtherType(buffer, offset, EtherType);
        }
    }
}
