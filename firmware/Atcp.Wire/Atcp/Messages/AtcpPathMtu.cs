namespace Atcp.Wire.Atcp
{
    /// <summary>PATH_MTU body view (type 0x05, front-end to board; SPEC.md section 5.11), 8 bytes.</summary>
    public static class AtcpPathMtu
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>New path MTU (whole IPv4 packet), 16 bits, from ICMP type 3 code 4 (RFC 1191 section 4).</summary>
        public const int MtuOffset = 4;
        /// <summary>Reserved, 16 bits, sent as zero, ignored.</summary>
        public const int ReservedOffset = 6;
        /// <summary>Body length.</summary>
        public const int Length = 8;
        /// <summary>Smallest MTU every IPv4 host must accept (RFC 791 section 3.2).</summary>
        public const int MinMtu = 68;
        /// <summary>Largest MTU of the board's Ethernet link.</summary>
        public const int MaxMtu = 1500;
    }

    /// <summary>PATH_MTU body repr: the path to the stream's client carries at most Mtu bytes per
    /// packet; the board lowers its segment size to Mtu - 40 and resends what was lost.</summary>
    public sealed class AtcpPathMtuRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>New path MTU, 68..1500.</summary>
        public ushort Mtu;

        /// <summary>Type 0x05.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.PathMtu; } }

        /// <summary>8 bytes.</summary>
        public int Length { get { return AtcpPathMtu.Length; } }

        /// <summary>Fills this instance from a body of exactly 8 bytes; an MTU outside 68..1500 is BadField.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpPathMtu.Length) return ParseStatus.Truncated;
            if (length > AtcpPathMtu.Length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpPathMtu.StreamIdOffset);
            Mtu = NetworkOrder.ReadUInt16(buffer, offset + AtcpPathMtu.MtuOffset);
            if (StreamId == AtcpStream.AllStreams) return ParseStatus.BadField;
            if (Mtu < AtcpPathMtu.MinMtu || Mtu > AtcpPathMtu.MaxMtu) return ParseStatus.BadField;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+8).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpPathMtu.StreamIdOffset, StreamId);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpPathMtu.MtuOffset, Mtu);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpPathMtu.ReservedOffset, 0);
        }
    }
}
