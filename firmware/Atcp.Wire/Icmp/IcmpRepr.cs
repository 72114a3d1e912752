namespace Atcp.Wire.Icmp
{
    /// <summary>Plain description of an ICMPv4 message. Reusable: Parse overwrites every field.
    /// The data (echo payload, or the offending datagram's IP header and first 8 payload bytes for
    /// destination unreachable and time exceeded) is referenced, not copied: Data, DataOffset and
    /// DataLength point into the parsed buffer, and Emit copies from them.</summary>
    public sealed class IcmpRepr
    {
        /// <summary>Bytes of the offending datagram's payload an error message must carry (RFC 792).</summary>
        public const int ErrorPayloadLength = 8;

        /// <summary>Type (<see cref="IcmpType"/>); unknown values are kept.</summary>
        public byte Type;
        /// <summary>Code.</summary>
        public byte Code;
        /// <summary>Echo identifier (echo request and reply).</summary>
        public ushort Identifier;
        /// <summary>Echo sequence number (echo request and reply).</summary>
        public ushort SequenceNumber;
        /// <summary>Next-hop MTU (destination unreachable, code 4; RFC 1191).</summary>
        public ushort NextHopMtu;
        /// <summary>The raw rest-of-header word. Parse always fills it; Emit writes it for types
        /// other than echo and destination unreachable, so unknown messages round-trip.</summary>
        public uint RestOfHeader;
        /// <summary>Buffer holding the data (not owned). Null when there is none, or when the caller
        /// has already written the data at offset + 8 of the emit buffer.</summary>
        public byte[] Data;
        /// <summary>Where the data starts in Data.</summary>
        public int DataOffset;
        /// <summary>Data length in bytes.</summary>
        public int DataLength;

        /// <summary>Bytes Emit writes: the 8-byte header plus the data.</summary>
        public int Length { get { return IcmpHeader.Length + DataLength; } }

        /// <summary>True for types whose data is the offending datagram (destination unreachable,
        /// time exceeded).</summary>
        public bool IsError { get { return Type == IcmpType.DestinationUnreachable || Type == IcmpType.TimeExceeded; } }

        /// <summary>Fills this instance from the ICMP message buffer[offset..offset+length) (length
        /// from the IP header). Truncated when shorter than the header, BadChecksum when the checksum
        /// does not verify; for error messages, Truncated when the data cannot hold the offending
        /// IP header and 8 bytes, BadField when that header is not IPv4.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (IcmpHeader.Check(buffer, offset, length) != ParseStatus.Ok) return ParseStatus.Truncated;
            if (!IcmpHeader.VerifyChecksum(buffer, offset, length)) return ParseStatus.BadChecksum;
            Type = IcmpHeader.GetMessageType(buffer, offset);
            Code = IcmpHeader.GetCode(buffer, offset);
            RestOfHeader = IcmpHeader.GetRestOfHeader(buffer, offset);
            Identifier = IcmpHeader.GetIdentifier(buffer, offset);
            SequenceNumber = IcmpHeader.GetSequenceNumber(buffer, offset);
            NextHopMtu = IcmpHeader.GetNextHopMtu(buffer, offset);
            Data = buffer;
            DataOffset = offset + IcmpHeader.Length;
            DataLength = length - IcmpHeader.Length;
            if (IsError) return CheckOffendingHeader(buffer, DataOffset, DataLength);
            return ParseStatus.Ok;
        }

        static ParseStatus CheckOffendingHeader(byte[] buffer, int offset, int length)
        {
            if (length < IPv4.IPv4Header.MinLength) return ParseStatus.Truncated;
            if (IPv4.IPv4Header.GetVersion(buffer, offset) != 4) return ParseStatus.BadField;
            int headerLength = IPv4.IPv4Header.GetHeaderLength(buffer, offset);
            if (headerLength < IPv4.IPv4Header.MinLength) return ParseStatus.BadField;
            if (headerLength + ErrorPayloadLength > length) return ParseStatus.Truncated;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the message at buffer[offset..offset+Length): header, the data (copied
        /// from Data unless Data is null or already sits at offset + 8 in buffer), and the checksum
        /// over all of it.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            IcmpHeader.SetMessageType(buffer, offset, Type);
            IcmpHeader.SetCode(buffer, offset, Code);
            uint rest;
            if (Type == IcmpType.EchoRequest || Type == IcmpType.EchoReply) rest = ((uint)Identifier << 16) | SequenceNumber;
            else if (Type == IcmpType.DestinationUnreachable) rest = NextHopMtu;
            else rest = RestOfHeader;
            IcmpHeader.SetRestOfHeader(buffer, offset, rest);
            int dataStart = offset + IcmpHeader.Length;
            if (DataLength > 0 && Data != null && !(Data == buffer && DataOffset == dataStart))
                System.Array.Copy(Data, DataOffset, buffer, dataStart, DataLength);
            IcmpHeader.FillChecksum(buffer, offset, Length);
        }
    }
}
