namespace Atcp.Wire.Udp
{
    /// <summary>UDP header view (RFC 768): static accessors over byte[] + offset, and the
    /// pseudo-header checksum. Multi-byte fields are network order.</summary>
    public static class UdpHeader
    {
        /// <summary>Source port, 16 bits.</summary>
        public const int SourcePortOffset = 0;
        /// <summary>Destination port, 16 bits.</summary>
        public const int DestinationPortOffset = 2;
        /// <summary>Length of header plus data, 16 bits.</summary>
        public const int LengthOffset = 4;
        /// <summary>Checksum, 16 bits; 0 means the sender computed none.</summary>
        public const int ChecksumOffset = 6;
        /// <summary>Header length; the payload starts here.</summary>
        public const int Length = 8;

        /// <summary>Checks input: length is the IP payload length. Truncated when the header or the
        /// datagram its length field announces does not fit, BadLength when that field is below 8.
        /// Does not verify the checksum.</summary>
        public static ParseStatus Check(byte[] buffer, int offset, int length)
        {
            if (length < Length) return ParseStatus.Truncated;
            int datagramLength = GetLength(buffer, offset);
            if (datagramLength < Length) return ParseStatus.BadLength;
            if (datagramLength > length) return ParseStatus.Truncated;
            return ParseStatus.Ok;
        }

        /// <summary>Reads the source port.</summary>
        public static ushort GetSourcePort(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + SourcePortOffset); }

        /// <summary>Writes the source port.</summary>
        public static void SetSourcePort(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + SourcePortOffset, value); }

        /// <summary>Reads the destination port.</summary>
        public static ushort GetDestinationPort(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + DestinationPortOffset); }

        /// <summary>Writes the destination port.</summary>
        public static void SetDestinationPort(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + DestinationPortOffset, value); }

        /// <summary>Reads the length field (header plus data).</summary>
        public static ushort GetLength(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + LengthOffset); }

        /// <summary>Writes the length field.</summary>
        public static void SetLength(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + LengthOffset, value); }

        /// <summary>Reads the checksum field.</summary>
        public static ushort GetChecksum(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + ChecksumOffset); }

        /// <summary>Writes the checksum field.</summary>
        public static void SetChecksum(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + ChecksumOffset, value); }

        /// <summary>True when the datagram buffer[offset..offset+length) carries no checksum (field 0,
        /// RFC 768) or its checksum verifies with the pseudo-header; length is the length field.</summary>
        public static bool VerifyChecksum(uint source, uint destination, byte[] buffer, int offset, int length)
        {
            if (GetChecksum(buffer, offset) == 0) return true;
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Udp, length);
            return InternetChecksum.Fold(InternetChecksum.Accumulate(sum, buffer, offset, length)) == 0xFFFF;
        }

        /// <summary>Computes and writes the checksum of the datagram buffer[offset..offset+length),
        /// summing the payload from the buffer.</summary>
        public static void FillChecksum(uint source, uint destination, byte[] buffer, int offset, int length)
        {
            SetChecksum(buffer, offset, 0);
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Udp, length);
            SetChecksum(buffer, offset, ToField(InternetChecksum.Finish(InternetChecksum.Accumulate(sum, buffer, offset, length))));
        }

        /// <summary>Computes and writes the checksum from the 8-byte header at buffer[offset..] and a
        /// payload partial sum supplied by the caller (<see cref="InternetChecksum.Sum"/> of the
        /// payload bytes), so a board never loops over payload bytes.</summary>
        public static void FillChecksum(uint source, uint destination, byte[] buffer, int offset, int payloadLength, ushort payloadSum)
        {
            SetChecksum(buffer, offset, 0);
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Udp, Length + payloadLength);
            sum = InternetChecksum.Accumulate(sum + payloadSum, buffer, offset, Length);
            SetChecksum(buffer, offset, ToField(InternetChecksum.Finish(sum)));
        }

        // RFC 768: a computed checksum of zero is transmitted as all ones, because zero means "none".
        static ushort ToField(ushort checksum) { return checksum == 0 ? (ushort)0xFFFF : checksum; }
    }
}
