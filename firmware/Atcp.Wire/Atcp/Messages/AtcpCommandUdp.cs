namespace Atcp.Wire.Atcp
{
    /// <summary>COMMAND_UDP body view (type 0x02, front-end to board; SPEC.md section 5.2): offsets
    /// of the fixed part; the name (1-byte length + bytes) ends the body.</summary>
    public static class AtcpCommandUdp
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Client MAC, 6 bytes.</summary>
        public const int ClientMacOffset = 4;
        /// <summary>Next-hop MAC, 6 bytes: the Ethernet destination of the board's datagrams.</summary>
        public const int NextHopMacOffset = 10;
        /// <summary>Client IPv4 address, 4 bytes.</summary>
        public const int ClientAddressOffset = 16;
        /// <summary>Service IPv4 address, 4 bytes: the source of the board's datagrams.</summary>
        public const int ServiceAddressOffset = 20;
        /// <summary>Client UDP port, 16 bits.</summary>
        public const int ClientPortOffset = 24;
        /// <summary>Service UDP port, 16 bits (for TFTP, the server's transfer port, RFC 1350 section 4).</summary>
        public const int ServicePortOffset = 26;
        /// <summary>IPv4 TTL, 1 byte.</summary>
        public const int TtlOffset = 28;
        /// <summary>Framing, 1 byte (<see cref="AtcpDatagramFraming"/>).</summary>
        public const int FramingOffset = 29;
        /// <summary>Payload bytes per full block (excluding the TFTP header), 16 bits.</summary>
        public const int BlockSizeOffset = 30;
        /// <summary>Blocks in flight before an acknowledgement is needed (RFC 7440 windowsize), 16 bits.</summary>
        public const int WindowSizeOffset = 32;
        /// <summary>Number of the first block (TFTP: 1), 16 bits.</summary>
        public const int FirstBlockOffset = 34;
        /// <summary>Retransmit timeout, milliseconds, 16 bits.</summary>
        public const int RetransmitTimeoutOffset = 36;
        /// <summary>Retransmissions of one window before the board gives up, 1 byte.</summary>
        public const int MaxRetransmissionsOffset = 38;
        /// <summary>Service opcode, 1 byte.</summary>
        public const int OpcodeOffset = 39;
        /// <summary>Range offset, 64 bits.</summary>
        public const int RangeOffsetOffset = 40;
        /// <summary>Range length, 64 bits; all ones = to the end.</summary>
        public const int RangeLengthOffset = 48;
        /// <summary>Volume id, 1 byte.</summary>
        public const int VolumeOffset = 56;
        /// <summary>Name length N, 1 byte; N name bytes follow and end the body.</summary>
        public const int NameLengthOffset = 57;
        /// <summary>Smallest body (empty name).</summary>
        public const int MinLength = 58;
        /// <summary>Longest name in bytes.</summary>
        public const int MaxNameLength = 255;
        /// <summary>Largest UDP payload in a 1500-byte IPv4 packet (1500 - 20 - 8).</summary>
        public const int MaxDatagramPayload = 1472;
        /// <summary>TFTP DATA header: 2-byte opcode 3 and 2-byte block number (RFC 1350 section 5).</summary>
        public const int TftpDataHeaderLength = 4;
    }

    /// <summary>COMMAND_UDP body repr: a reply sent as datagrams that look like the front-end's
    /// (the seed's UDP embodiment), e.g. a TFTP read. Reusable; owns its MACs and name.</summary>
    public sealed class AtcpCommandUdpRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>Client MAC (owned, 6 bytes).</summary>
        public readonly byte[] ClientMac = new byte[6];
        /// <summary>Next-hop MAC (owned, 6 bytes).</summary>
        public readonly byte[] NextHopMac = new byte[6];
        /// <summary>Client IPv4 address (host-order number).</summary>
        public uint ClientAddress;
        /// <summary>Service IPv4 address (host-order number).</summary>
        public uint ServiceAddress;
        /// <summary>Client UDP port.</summary>
        public ushort ClientPort;
        /// <summary>Service UDP port.</summary>
        public ushort ServicePort;
        /// <summary>IPv4 TTL, nonzero.</summary>
        public byte Ttl;
        /// <summary>Datagram framing; unknown values kept.</summary>
        public AtcpDatagramFraming Framing;
        /// <summary>Payload bytes per full block, 1..1472 (1..1468 with TFTP framing).</summary>
        public ushort BlockSize;
        /// <summary>Blocks in flight, at least 1.</summary>
        public ushort WindowSize;
        /// <summary>Number of the first block.</summary>
        public ushort FirstBlock;
        /// <summary>Retransmit timeout in milliseconds, at least 1.</summary>
        public ushort RetransmitTimeoutMs;
        /// <summary>Retransmissions before giving up.</summary>
        public byte MaxRetransmissions;
        /// <summary>What to send; unknown values kept.</summary>
        public AtcpServiceOpcode Opcode;
        /// <summary>First byte of the range.</summary>
        public ulong RangeOffset;
        /// <summary>Range length (<see cref="AtcpStream.RangeToEnd"/> = to the end).</summary>
        public ulong RangeLength;
        /// <summary>Volume id.</summary>
        public byte Volume;
        /// <summary>Object name or path, UTF-8, up to 255 bytes.</summary>
        public readonly AtcpByteString Name;

        /// <summary>A repr that owns a copy of its name.</summary>
        public AtcpCommandUdpRepr() : this(false) { }

        /// <summary>A repr; with borrowName, Parse leaves Name referring to the parsed buffer (see
        /// <see cref="AtcpByteString.Borrowing"/>) instead of copying it.</summary>
        public AtcpCommandUdpRepr(bool borrowName)
        {
            Name = borrowName ? AtcpByteString.Borrowing(AtcpCommandUdp.MaxNameLength) : new AtcpByteString(AtcpCommandUdp.MaxNameLength);
        }

        /// <summary>Type 0x02.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.CommandUdp; } }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpCommandUdp.MinLength + Name.Length; } }

        /// <summary>Fills this instance from a body of exactly length bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpCommandUdp.MinLength) return ParseStatus.Truncated;
            int nameLength = buffer[offset + AtcpCommandUdp.NameLengthOffset];
            int total = AtcpCommandUdp.MinLength + nameLength;
            if (total > length) return ParseStatus.Truncated;
            if (total < length) return ParseStatus.BadLength;

            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommandUdp.StreamIdOffset);
            System.Array.Copy(buffer, offset + AtcpCommandUdp.ClientMacOffset, ClientMac, 0, 6);
            System.Array.Copy(buffer, offset + AtcpCommandUdp.NextHopMacOffset, NextHopMac, 0, 6);
            ClientAddress = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommandUdp.ClientAddressOffset);
            ServiceAddress = NetworkOrder.ReadUInt32(buffer, offset + AtcpCommandUdp.ServiceAddressOffset);
            ClientPort = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.ClientPortOffset);
            ServicePort = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.ServicePortOffset);
            Ttl = buffer[offset + AtcpCommandUdp.TtlOffset];
            Framing = (AtcpDatagramFraming)buffer[offset + AtcpCommandUdp.FramingOffset];
            BlockSize = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.BlockSizeOffset);
            WindowSize = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.WindowSizeOffset);
            FirstBlock = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.FirstBlockOffset);
            RetransmitTimeoutMs = NetworkOrder.ReadUInt16(buffer, offset + AtcpCommandUdp.RetransmitTimeoutOffset);
            MaxRetransmissions = buffer[offset + AtcpCommandUdp.MaxRetransmissionsOffset];
            Opcode = (AtcpServiceOpcode)buffer[offset + AtcpCommandUdp.OpcodeOffset];
            RangeOffset = NetworkOrder.ReadUInt64(buffer, offset + AtcpCommandUdp.RangeOffsetOffset);
            RangeLength = NetworkOrder.ReadUInt64(buffer, offset + AtcpCommandUdp.RangeLengthOffset);
            Volume = buffer[offset + AtcpCommandUdp.VolumeOffset];
            Name.Set(buffer, offset + AtcpCommandUdp.NameLengthOffset + 1, nameLength);
            return Validate();
        }

        /// <summary>Checks field values: nonzero stream id and TTL, a block (plus TFTP header) that
        /// fits one datagram, a window and timeout of at least 1, operands consistent with the opcode.</summary>
        public ParseStatus Validate()
        {
            if (StreamId == AtcpStream.AllStreams || Ttl == 0) return ParseStatus.BadField;
            int maxBlock = AtcpCommandUdp.MaxDatagramPayload;
            if (Framing == AtcpDatagramFraming.TftpData) maxBlock -= AtcpCommandUdp.TftpDataHeaderLength;
            if (BlockSize == 0 || BlockSize > maxBlock) return ParseStatus.BadField;
            if (WindowSize == 0 || RetransmitTimeoutMs == 0) return ParseStatus.BadField;
            return AtcpStream.CheckOperands(Opcode, Name.Length, RangeOffset, RangeLength);
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommandUdp.StreamIdOffset, StreamId);
            System.Array.Copy(ClientMac, 0, buffer, offset + AtcpCommandUdp.ClientMacOffset, 6);
            System.Array.Copy(NextHopMac, 0, buffer, offset + AtcpCommandUdp.NextHopMacOffset, 6);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommandUdp.ClientAddressOffset, ClientAddress);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpCommandUdp.ServiceAddressOffset, ServiceAddress);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.ClientPortOffset, ClientPort);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.ServicePortOffset, ServicePort);
            buffer[offset + AtcpCommandUdp.TtlOffset] = Ttl;
            buffer[offset + AtcpCommandUdp.FramingOffset] = (byte)Framing;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.BlockSizeOffset, BlockSize);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.WindowSizeOffset, WindowSize);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.FirstBlockOffset, FirstBlock);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpCommandUdp.RetransmitTimeoutOffset, RetransmitTimeoutMs);
            buffer[offset + AtcpCommandUdp.MaxRetransmissionsOffset] = MaxRetransmissions;
            buffer[offset + AtcpCommandUdp.OpcodeOffset] = (byte)Opcode;
            NetworkOrder.WriteUInt64(buffer, offset + AtcpCommandUdp.RangeOffsetOffset, RangeOffset);
            NetworkOrder.WriteUInt64(buffer, offset + AtcpCommandUdp.RangeLengthOffset, RangeLength);
            buffer[offset + AtcpCommandUdp.VolumeOffset] = Volume;
            buffer[offset + AtcpCommandUdp.NameLengthOffset] = (byte)Name.Length;
            Name.CopyTo(buffer, offset + AtcpCommandUdp.NameLengthOffset + 1);
        }
    }
}
