namespace Atcp.Wire.Icmp
{
    /// <summary>ICMPv4 header view (RFC 792): static accessors over byte[] + offset. Every message
    /// has type, code, checksum and a 4-byte rest-of-header whose meaning depends on the type; the
    /// checksum covers the whole message (header and data). Multi-byte fields are network order.</summary>
    public static class IcmpHeader
    {
        /// <summary>Type, 8 bits (<see cref="IcmpType"/>).</summary>
        public const int TypeOffset = 0;
        /// <summary>Code, 8 bits.</summary>
        public const int CodeOffset = 1;
        /// <summary>Checksum over the whole ICMP message, 16 bits.</summary>
        public const int ChecksumOffset = 2;
        /// <summary>Rest of header, 32 bits; meaning depends on the type.</summary>
        public const int RestOfHeaderOffset = 4;
        /// <summary>Echo identifier, 16 bits (echo request and reply).</summary>
        public const int IdentifierOffset = 4;
        /// <summary>Echo sequence number, 16 bits (echo request and reply).</summary>
        public const int SequenceNumberOffset = 6;
        /// <summary>Next-hop MTU, 16 bits (destination unreachable code 4, RFC 1191 section 4).</summary>
        public const int NextHopMtuOffset = 6;
        /// <summary>Header length; data (echo payload or the offending datagram's header) starts here.</summary>
        public const int Length = 8;

        /// <summary>Checks input: Truncated when length (the ICMP message length, from the IP
        /// header) cannot hold the header. Does not verify the checksum.</summary>
        public static ParseStatus Check(byte[] buffer, int offset, int length)
        {
            return length < Length ? ParseStatus.Truncated : ParseStatus.Ok;
        }

        /// <summary>Reads the type.</summary>
        public static byte GetMessageType(byte[] buffer, int offset) { return buffer[offset + TypeOffset]; }

        /// <summary>Writes the type.</summary>
        public static void SetMessageType(byte[] buffer, int offset, byte value) { buffer[offset + TypeOffset] = value; }

        /// <summary>Reads the code.</summary>
        public static byte GetCode(byte[] buffer, int offset) { return buffer[offset + CodeOffset]; }

        /// <summary>Writes the code.</summary>
        public static void SetCode(byte[] buffer, int offset, byte value) { buffer[offset + CodeOffset] = value; }

        /// <summary>Reads the checksum field.</summary>
        public static ushort GetChecksum(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + ChecksumOffset); }

        /// <summary>Writes the checksum field.</summary>
        public static void SetChecksum(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + ChecksumOffset, value); }

        /// <summary>Reads the rest-of-header word.</summary>
        public static uint GetRestOfHeader(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + RestOfHeaderOffset); }

        /// <summary>Writes the rest-of-header word.</summary>
        public static void SetRestOfHeader(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + RestOfHeaderOffset, value); }

        /// <summary>Reads the echo identifier.</summary>
        public static ushort GetIdentifier(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + IdentifierOffset); }

        /// <summary>Reads the echo sequence number.</summary>
        public static ushort GetSequenceNumber(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + SequenceNumberOffset); }

        /// <summary>Reads the next-hop MTU of a fragmentation-needed message (0 from routers older than RFC 1191).</summary>
        public static ushort GetNextHopMtu(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + NextHopMtuOffset); }

        /// <summary>True when the message of length bytes (header and data) sums to 0xFFFF.</summary>
        public static bool VerifyChecksum(byte[] buffer, int offset, int length)
        {
            return InternetChecksum.Sum(buffer, offset, length) == 0xFFFF;
        }

        /// <summary>Computes and writes the checksum over the message of length bytes. Loops over the
        /// data: for echo replies on a board prefer <see cref="TurnEchoRequestIntoReply"/>.</summary>
        public static void FillChecksum(byte[] buffer, int offset, int length)
        {
            SetChecksum(buffer, offset, 0);
            SetChecksum(buffer, offset, InternetChecksum.Finish(InternetChecksum.Accumulate(0, buffer, offset, length)));
        }

        /// <summary>Turns an echo request in place into its reply (RFC 792: type 8 becomes 0, all
        /// else stays) and updates the checksum incrementally (RFC 1624), without touching the data.</summary>
        public static void TurnEchoRequestIntoReply(byte[] buffer, int offset)
        {
            ushort oldWord = NetworkOrder.ReadUInt16(buffer, offset + TypeOffset);
            buffer[offset + TypeOffset] = IcmpType.EchoReply;
            ushort newWord = NetworkOrder.ReadUInt16(buffer, offset + TypeOffset);
            SetChecksum(buffer, offset, InternetChecksum.Update(GetChecksum(buffer, offset), oldWord, newWord));
        }
    }

    /// <summary>ICMPv4 types this project uses (RFC 792). Others survive parsing as numbers.</summary>
    public static class IcmpType
    {
        /// <summary>Echo reply.</summary>
        public const byte EchoReply = 0;
        /// <summary>Destination unreachable (codes in <see cref="IcmpUnreachableCode"/>).</summary>
        public const byte DestinationUnreachable = 3;
        /// <summary>Echo request.</summary>
        public const byte EchoRequest = 8;
        /// <summary>Time exceeded (code 0 in transit, 1 reassembly).</summary>
        public const byte TimeExceeded = 11;
    }

    /// <summary>Destination unreachable codes (RFC 792; RFC 1191 for the next-hop MTU of code 4).</summary>
    public static class IcmpUnreachableCode
    {
        /// <summary>Net unreachable.</summary>
        public const byte NetUnreachable = 0;
        /// <summary>Host unreachable.</summary>
        public const byte HostUnreachable = 1;
        /// <summary>Protocol unreachable.</summary>
        public const byte ProtocolUnreachable = 2;
        /// <summary>Port unreachable.</summary>
        public const byte PortUnreachable = 3;
        /// <summary>Fragmentation needed and DF set; carries the next-hop MTU (RFC 1191).</summary>
        public const byte FragmentationNeeded = 4;
        /// <summary>Source route failed.</summary>
        public const byte SourceRouteFailed = 5;
    }
}
