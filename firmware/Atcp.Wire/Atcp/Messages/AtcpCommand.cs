namespace Atcp.Wire.Atcp
{
    /// <summary>COMMAND body view (type 0x01, front-end to board; SPEC.md section 5.1): offsets of
    /// the fixed part. The name (1-byte length + bytes) and the reply prefix (2-byte length +
    /// bytes) follow at <see cref="NameLengthOffset"/>.</summary>
    public static class AtcpCommand
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Client MAC, 6 bytes (informational: the client's own MAC when on-link).</summary>
        public const int ClientMacOffset = 4;
        /// <summary>Next-hop MAC, 6 bytes: the Ethernet destination of the board's segments.</summary>
        public const int NextHopMacOffset = 10;
        /// <summary>Client IPv4 address, 4 bytes.</summary>
        public const int ClientAddressOffset = 16;
        /// <summary>Service (front-end) IPv4 address, 4 bytes: the source of the board's segments.</summary>
        public const int ServiceAddressOffset = 20;
        /// <summary>Client TCP port, 16 bits.</summary>
        public const int ClientPortOffset = 24;
        /// <summary>Service TCP port, 16 bits.</summary>
        public const int ServicePortOffset = 26;
        /// <summary>Sequence number of the reply's first byte, 32 bits.</summary>
        public const int SequenceNumberOffset = 28;
        /// <summary>Acknowledgement number the board's segments carry, 32 bits.</summary>
        public const int AckNumberOffset = 32;
        /// <summary>Client's window as it appeared in its last segment (unscaled), 16 bits.</summary>
        public const int ClientWindowOffset = 36;
        /// <summary>Client's window scale shift count (RFC 7323 section 2.3), 1 byte.</summary>
        public const int WindowScaleOffset = 38;
        /// <summary>IPv4 TTL for the board's segments, 1 byte.</summary>
        public const int TtlOffset = 39;
        /// <summary>Window field of the board's segments (the front-end's receive window, already
        /// scaled down by the front-end's own shift), 16 bits.</summary>
        public const int ServiceWindowOffset = 40;
        /// <summary>Largest segment payload the board may send, 16 bits.</summary>
        public const int MssOffset = 42;
        /// <summary>Flags, 16 bits (<see cref="AtcpCommandFlags"/>).</summary>
        public const int FlagsOffset = 44;
        /// <summary>Smoothed RTT the front-end measured (RFC 6298 SRTT), milliseconds, 16 bits; 0 unknown.</summary>
        public const int SmoothedRttOffset = 46;
        /// <summary>RTT variation (RFC 6298 RTTVAR), milliseconds, 16 bits.</summary>
        public const int RttVariationOffset = 48;
        /// <summary>Service opcode, 1 byte (<see cref="AtcpServiceOpcode"/>).</summary>
        public const int OpcodeOffset = 50;
        /// <summary>Volume id, 1 byte.</summary>
        public const int VolumeOffset = 51;
        /// <summary>Range offset in the object, 64 bits.</summary>
        public const int RangeOffsetOffset = 52;
        /// <summary>Range length, 64 bits; all ones = to the end.</summary>
        public const int RangeLengthOffset = 60;
        /// <summary>Initial window, bytes, 32 bits: what the reply may send before its first ACK; 0 =
        /// the board's RFC 3390 initial window (see <see cref="AtcpCommandRepr.InitialWindow"/>).</summary>
        public const int InitialWindowOffset = 68;
        /// <summary>Name length N, 1 byte; N name bytes follow, then the prefix length (16 bits) and the prefix.</summary>
        public const int NameLengthOffset = 72;
        /// <summary>Smallest body: empty name and empty prefix.</summary>
        public const int MinLength = 75;
        /// <summary>Largest initial window a board takes (bytes); more is clamped to it.</summary>
        public const long MaxInitialWindow = 262144;
        /// <summary>Longest name in bytes.</summary>
        public const int MaxNameLength = 255;
        /// <summary>Longest reply prefix in bytes (room for an HTTP response header).</summary>
        public const int MaxPrefixLength = 1024;
        /// <summary>Smallest MSS accepted (below it the per-segment overhead dominates).</summary>
        public const int MinMss = 64;
        /// <summary>Largest MSS: a 1500-byte Ethernet payload minus 20-byte IPv4 and TCP headers.</summary>
        public const int MaxMss = 1460;
        /// <summary>Largest window scale shift (RFC 7323 section 2.3).</summary>
        public const int MaxWindowScale = 14;
    }

    /// <summary>COMMAND body repr: everything a board needs to send a reply as if it were the
    /// front-end's TCP. Reusable; owns its MACs, and its name (255 bytes) and prefix (1024 bytes)
    /// unless made to borrow them from the parsed buffer.</summary>
    public sealed class AtcpCommandRepr : IAtcpMessage
    {
        /// <summary>Stream id chosen by the front-end, never 0.</summary>
        public uint StreamId;
        /// <summary>Client MAC (owned, 6 bytes).</summary>
        public readonly byte[] ClientMac = new byte[6];
        /// <summary>Next-hop MAC (owned, 6 bytes).</summary>
        public readonly byte[] NextHopMac = new byte[6];
        /// <summary>Client IPv4 address as a host-order number of the network-order bytes.</summary>
        public uint ClientAddress;
        /// <summary>Service IPv4 address (host-order number).</summary>
        public uint ServiceAddress;
        /// <summary>Client TCP port.</summary>
        public ushort ClientPort;
        /// <summary>Service TCP port.</summary>
        public ushort ServicePort;
        /// <summary>Sequence number of the reply's first byte.</summary>
        public uint SequenceNumber;
        /// <summary>Acknowledgement number for the board's segments.</summary>
        public uint AckNumber;
        /// <summary>Client's raw (unscaled) window.</summary>
        public ushort ClientWindow;
        /// <summary>Client's window scale shift, 0..14.</summary>
        public byte WindowScale;
        /// <summary>IPv4 TTL for the board's segments.</summary>
        public byte Ttl;
        /// <summary>Window field for the board's segments (raw, as the front-end would send it).</summary>
        public ushort ServiceWindow;
        /// <summary>Largest segment payload, 64..1460.</summary>
        public ushort Mss;
        /// <summary>Flags (<see cref="AtcpCommandFlags"/>).</summary>
        public ushort Flags;
        /// <summary>Smoothed RTT hint, milliseconds (0 unknown).</summary>
        public ushort SmoothedRttMs;
        /// <summary>RTT variation hint, milliseconds.</summary>
        public ushort RttVariationMs;
        /// <summary>What to send; unknown values kept.</summary>
        public AtcpServiceOpcode Opcode;
        /// <summary>Volume id.</summary>
        public byte Volume;
        /// <summary>First byte of the range within the object.</summary>
        public ulong RangeOffset;
        /// <summary>Range length (<see cref="AtcpStream.RangeToEnd"/> = to the end).</summary>
        public ulong RangeLength;
        /// <summary>The connection's congestion window when this reply continues it (bytes; 0 = none:
        /// the board starts from its RFC 3390 initial window). A keep-alive connection's replies are
        /// one TCP byte stream: its window carries over from one reply to the next unless the
        /// connection idled (RFC 5681 section 4.1). Boards clamp it (SPEC.md section 5.1).</summary>
        public uint InitialWindow;
        /// <summary>Object name or ISO 9660 path, UTF-8, up to 255 bytes.</summary>
        public readonly AtcpByteString Name;
        /// <summary>Bytes sent before the range (e.g. an HTTP response header), up to 1024.</summary>
        public readonly AtcpByteString Prefix;

        /// <summary>A repr that owns copies of its name and prefix.</summary>
        public AtcpCommandRepr() : this(false) { }

        /// <summary>A repr; with borrowFields, Parse leaves Name and Prefix referring to the parsed
        /// buffer (see <see cref="AtcpByteString.Borrowing"/>) instead of copying them: a board
        /// that acts on a COMMAND before its receive buffer changes keeps no 1.3 KB of copies.</summary>
        public AtcpCommandRepr(bool borrowFields)
        {
            Name = borrowFields ? AtcpByteString.Borrowing(AtcpCommand.MaxNameLength) : new AtcpByteString(AtcpCommand.MaxNameLength);
            Prefix = borrowFields ? AtcpByteString.Borrowing(AtcpCommand.MaxPrefixLength) : new AtcpByteString(AtcpCommand.MaxPrefixLength);
        }

        /// <summary>Type 0x01.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.Command; } }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpCommand.MinLength + Name.Length + Prefix.Length; } }

        /// <summary>Fills this instance from a body of exactly length bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpCommand.MinLength) return ParseStatus.Truncated;
            int nameLength = buffer[offset + AtcpCommand.NameLengthOffset];
            int prefixLengthAt = AtcpCommand.NameLengthOffset + 1 + nameLength;
            if (prefixLengthAt + 2 > length) return ParseStatus.Truncated;
            int prefixLength = NetworkOrder.ReadUInt16(buffer, offset + prefixLengthAt);
            if (prefixLength > AtcpCommand.MaxPrefixLength) return ParseStatus.BadLength;
            int total = prefixLengthAt + 2 + prefixLength;
            if (total > length) return ParseStatus.Truncated;
            if (total < length) return ParseStatus.BadLength;

            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.StreamIdOffset);
            System.Array.Copy(buffer, offset + AtcpCommand.ClientMacOffset, ClientMac, 0, 6);
            System.Array.Copy(buffer, offset + AtcpCommand.NextHopMacOffset, NextHopMac, 0, 6);
            ClientAddress = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.ClientAddressOffset);
            ServiceAddress = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.ServiceAddressOffset);
            ClientPort = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.ClientPortOffset);
            ServicePort = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.ServicePortOffset);
            SequenceNumber = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.SequenceNumberOffset);
            AckNumber = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.AckNumberOffset);
            ClientWindow = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.ClientWindowOffset);
            WindowScale = buffer[offset + AtcpCommand.WindowScaleOffset];
            Ttl = buffer[offset + AtcpCommand.TtlOffset];
            ServiceWindow = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.ServiceWindowOffset);
            Mss = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.MssOffset);
            Flags = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.FlagsOffset);
            SmoothedRttMs = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.SmoothedRttOffset);
            RttVariationMs = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommand.RttVariationOffset);
            Opcode = (AtcpServiceOpcode)buffer[offset + AtcpCommand.OpcodeOffset];
            Volume = buffer[offset + AtcpCommand.VolumeOffset];
            RangeOffset = NetworkOrder.ReadUInt64(buffer, offset + AtcpCommand.RangeOffsetOffset);
            RangeLength = NetworkOrder.ReadUInt64(buffer, offset + AtcpCommand.RangeLengthOffset);
            InitialWindow = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommand.InitialWindowOffset);
            Name.Set(buffer, offset + AtcpCommand.NameLengthOffset + 1, nameLength);
            Prefix.Set(buffer, offset + prefixLengthAt + 2, prefixLength);
            return Validate();
        }

        /// <summary>Checks field values: a nonzero stream id, window scale at most 14, MSS within
        /// 64..1460, TTL nonzero, operands consistent with the opcode. Parse ends with it; senders
        /// may call it before Emit.</summary>
        public ParseStatus Validate()
        {
            if (StreamId == AtcpStream.AllStreams) return ParseStatus.BadField;
            if (WindowScale > AtcpCommand.MaxWindowScale) return ParseStatus.BadField;
            if (Mss < AtcpCommand.MinMss || Mss > AtcpCommand.MaxMss) return ParseStatus.BadField;
            if (Ttl == 0) return ParseStatus.BadField;
            return AtcpStream.CheckOperands(Opcode, Name.Length, RangeOffset, RangeLength);
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.StreamIdOffset, StreamId);
            System.Array.Copy(ClientMac, 0, buffer, offset + AtcpCommand.ClientMacOffset, 6);
            System.Array.Copy(NextHopMac, 0, buffer, offset + AtcpCommand.NextHopMacOffset, 6);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.ClientAddressOffset, ClientAddress);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.ServiceAddressOffset, ServiceAddress);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.ClientPortOffset, ClientPort);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.ServicePortOffset, ServicePort);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.SequenceNumberOffset, SequenceNumber);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.AckNumberOffset, AckNumber);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.ClientWindowOffset, ClientWindow);
            buffer[offset + AtcpCommand.WindowScaleOffset] = WindowScale;
            buffer[offset + AtcpCommand.TtlOffset] = Ttl;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.ServiceWindowOffset, ServiceWindow);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.MssOffset, Mss);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.FlagsOffset, Flags);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.SmoothedRttOffset, SmoothedRttMs);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommand.RttVariationOffset, RttVariationMs);
            buffer[offset + AtcpCommand.OpcodeOffset] = (byte)Opcode;
            buffer[offset + AtcpCommand.VolumeOffset] = Volume;
            NetworkOrder.WriteUInt64(buffer, offset + AtcpCommand.RangeOffsetOffset, RangeOffset);
            NetworkOrder.WriteUInt64(buffer, offset + AtcpCommand.RangeLengthOffset, RangeLength);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommand.InitialWindowOffset, InitialWindow);
            int p = offset + AtcpCommand.NameLengthOffset;
            buffer[p] = (byte)Name.Length;
            Name.CopyTo(buffer, p + 1);
            p += 1 + Name.Length;
            NetworkOrder.WriteUInt16(buffer, p, (ushort)Prefix.Length);
            Prefix.CopyTo(buffer, p + 2);
        }
    }
}
