namespace Atcp.Wire.Tcp
{
    /// <summary>TCP header view (RFC 9293 section 3.1): static accessors over byte[] + offset, and
    /// the pseudo-header checksum. Multi-byte fields are network order; addresses passed to the
    /// checksum helpers are host-order uints of the network-order bytes.</summary>
    public static class TcpHeader
    {
        /// <summary>Source port, 16 bits.</summary>
        public const int SourcePortOffset = 0;
        /// <summary>Destination port, 16 bits.</summary>
        public const int DestinationPortOffset = 2;
        /// <summary>Sequence number, 32 bits.</summary>
        public const int SequenceNumberOffset = 4;
        /// <summary>Acknowledgment number, 32 bits.</summary>
        public const int AcknowledgmentNumberOffset = 8;
        /// <summary>Data offset (high nibble, header length in 32-bit words) and 4 reserved bits.</summary>
        public const int DataOffsetOffset = 12;
        /// <summary>Control bits CWR ECE URG ACK PSH RST SYN FIN (<see cref="TcpFlags"/>).</summary>
        public const int FlagsOffset = 13;
        /// <summary>Window, 16 bits (unscaled as on the wire).</summary>
        public const int WindowOffset = 14;
        /// <summary>Checksum over pseudo-header, header and payload, 16 bits.</summary>
        public const int ChecksumOffset = 16;
        /// <summary>Urgent pointer, 16 bits.</summary>
        public const int UrgentPointerOffset = 18;
        /// <summary>Header length without options; options start here.</summary>
        public const int MinLength = 20;
        /// <summary>Largest header (data offset 15).</summary>
        public const int MaxLength = 60;
        /// <summary>Largest options part.</summary>
        public const int MaxOptionsLength = 40;

        /// <summary>Checks input: length is the segment length (IP payload length, not the frame).
        /// Truncated when the fixed header or the header the data offset announces does not fit,
        /// BadLength when the data offset is below 5. Does not verify the checksum.</summary>
        public static ParseStatus Check(byte[] buffer, int offset, int length)
        {
            if (length < MinLength) return ParseStatus.Truncated;
            int headerLength = GetHeaderLength(buffer, offset);
            if (headerLength < MinLength) return ParseStatus.BadLength;
            if (headerLength > length) return ParseStatus.Truncated;
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

        /// <summary>Reads the sequence number.</summary>
        public static uint GetSequenceNumber(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + SequenceNumberOffset); }

        /// <summary>Writes the sequence number.</summary>
        public static void SetSequenceNumber(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + SequenceNumberOffset, value); }

        /// <summary>Reads the acknowledgment number.</summary>
        public static uint GetAcknowledgmentNumber(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + AcknowledgmentNumberOffset); }

        /// <summary>Writes the acknowledgment number.</summary>
        public static void SetAcknowledgmentNumber(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + AcknowledgmentNumberOffset, value); }

        /// <summary>Reads the data offset and returns the header length in bytes (data offset times 4).</summary>
        public static int GetHeaderLength(byte[] buffer, int offset) { return (buffer[offset + DataOffsetOffset] >> 4) << 2; }

        /// <summary>Writes the data offset for a header of headerLength bytes (a multiple of 4,
        /// 20..60); the reserved bits are written as zero.</summary>
        public static void SetHeaderLength(byte[] buffer, int offset, int headerLength) { buffer[offset + DataOffsetOffset] = (byte)((headerLength >> 2) << 4); }

        /// <summary>Reads the control bits (<see cref="TcpFlags"/>).</summary>
        public static byte GetFlags(byte[] buffer, int offset) { return buffer[offset + FlagsOffset]; }

        /// <summary>Writes the control bits.</summary>
        public static void SetFlags(byte[] buffer, int offset, byte value) { buffer[offset + FlagsOffset] = value; }

        /// <summary>Reads the window field (before any window scaling).</summary>
        public static ushort GetWindow(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + WindowOffset); }

        /// <summary>Writes the window field.</summary>
        public static void SetWindow(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + WindowOffset, value); }

        /// <summary>Reads the checksum field.</summary>
        public static ushort GetChecksum(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + ChecksumOffset); }

        /// <summary>Writes the checksum field.</summary>
        public static void SetChecksum(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + ChecksumOffset, value); }

        /// <summary>Reads the urgent pointer.</summary>
        public static ushort GetUrgentPointer(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + UrgentPointerOffset); }

        /// <summary>Writes the urgent pointer.</summary>
        public static void SetUrgentPointer(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + UrgentPointerOffset, value); }

        /// <summary>True when the segment buffer[offset..offset+length) (header and payload) sums to
        /// 0xFFFF together with the pseudo-header (RFC 9293 section 3.1).</summary>
        public static bool VerifyChecksum(uint source, uint destination, byte[] buffer, int offset, int length)
        {
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Tcp, length);
            return InternetChecksum.Fold(InternetChecksum.Accumulate(sum, buffer, offset, length)) == 0xFFFF;
        }

        /// <summary>Computes and writes the checksum of the segment buffer[offset..offset+length),
        /// summing the payload from the buffer (host side, headers-only segments, tests).</summary>
        public static void FillChecksum(uint source, uint destination, byte[] buffer, int offset, int length)
        {
            SetChecksum(buffer, offset, 0);
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Tcp, length);
            SetChecksum(buffer, offset, InternetChecksum.Finish(InternetChecksum.Accumulate(sum, buffer, offset, length)));
        }

        /// <summary>Computes and writes the checksum from the header at buffer[offset..+headerLength)
        /// and a payload partial sum supplied by the caller (<see cref="InternetChecksum.Sum"/> of the
        /// payload bytes, for example stored next to the data on the card), so a board never loops
        /// over payload bytes. The payload starts at an even position (the header is a multiple of 4
        /// bytes), so the sum is used as it is.</summary>
        public static void FillChecksum(uint source, uint destination, byte[] buffer, int offset, int headerLength, int payloadLength, ushort payloadSum)
        {
            SetChecksum(buffer, offset, 0);
            uint sum = InternetChecksum.PseudoHeaderSum(source, destination, IPv4.IpProtocol.Tcp, headerLength + payloadLength);
            sum = InternetChecksum.Accumulate(sum + payloadSum, buffer, offset, headerLength);
            SetChecksum(buffer, offset, InternetChecksum.Finish(sum));
        }
    }

    /// <summary>TCP control bits as they sit in header byte 13 (RFC 9293 section 3.1; CWR and ECE
    /// from RFC 3168).</summary>
    public static class TcpFlags
    {
        /// <summary>No more data from sender.</summary>
        public const byte Fin = 0x01;
        /// <summary>Synchronize sequence numbers.</summary>
        public const byte Syn = 0x02;
        /// <summary>Reset the connection.</summary>
        public const byte Rst = 0x04;
        /// <summary>Push function.</summary>
        public const byte Psh = 0x08;
        /// <summary>Acknowledgment field is significant.</summary>
        public const byte Ack = 0x10;
        /// <summary>Urgent pointer field is significant.</summary>
        public const byte Urg = 0x20;
        /// <summary>ECN-Echo.</summary>
        public const byte Ece = 0x40;
        /// <summary>Congestion window reduced.</summary>
        public const byte Cwr = 0x80;

        /// <summary>Formats flags for people, e.g. "SYN,ACK" (empty string for none).</summary>
        public static string Format(byte flags)
        {
            string text = "";
            if ((flags & Cwr) != 0) text = Append(text, "CWR");
            if ((flags & Ece) != 0) text = Append(text, "ECE");
            if ((flags & Urg) != 0) text = Append(text, "URG");
            if ((flags & Ack) != 0) text = Append(text, "ACK");
            if ((flags & Psh) != 0) text = Append(text, "PSH");
            if ((flags & Rst) != 0) text = Append(text, "RST");
            if ((flags & Syn) != 0) text = Append(text, "SYN");
            if ((flags & Fin) != 0) text = Append(text, "FIN");
            return text;
        }

        static string Append(string text, string name) { return text.Length == 0 ? name : text + "," + name; }
    }
}
