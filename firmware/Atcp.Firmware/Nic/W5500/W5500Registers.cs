namespace Atcp.Firmware.Nic
{
    // Register and opcode map of the WIZnet W5500, named as in the W5500 Datasheet v1.0.9 (2013-2019).
    // Section numbers below refer to that document. Offsets are 16-bit "Offset Address" values of the
    // SPI frame's address phase; the block they belong to is chosen by BSB[4:0] in the control phase.

    /// <summary>SPI frame layout (datasheet 2.2): 16-bit offset address (MSB first), one control byte
    /// BSB[4:0] | RWB | OM[1:0], then the data phase.</summary>
    public static class W5500Spi
    {
        /// <summary>Bytes of address phase plus control phase in front of every data phase (2.2).</summary>
        public const int HeaderLength = 3;
        /// <summary>Shift of BSB[4:0], the block select bits, inside the control byte (2.2.2).</summary>
        public const int BlockShift = 3;
        /// <summary>RWB bit (2.2.2): 0 = read, 1 = write.</summary>
        public const byte Write = 0x04;
        /// <summary>RWB cleared: read access (2.2.2).</summary>
        public const byte Read = 0x00;
        /// <summary>OM[1:0] = 00: variable length data mode, frame length set by SCSn (2.2.2, 2.3).</summary>
        public const byte VariableLengthDataMode = 0x00;
        /// <summary>OM[1:0] = 01: fixed length data mode, 1 data byte (2.2.2, 2.4).</summary>
        public const byte FixedLength1 = 0x01;
        /// <summary>OM[1:0] = 10: fixed length data mode, 2 data bytes (2.2.2, 2.4).</summary>
        public const byte FixedLength2 = 0x02;
        /// <summary>OM[1:0] = 11: fixed length data mode, 4 data bytes (2.2.2, 2.4).</summary>
        public const byte FixedLength4 = 0x03;
        /// <summary>Mask of OM[1:0] in the control byte.</summary>
        public const byte OperationModeMask = 0x03;
    }

    /// <summary>Block select values, BSB[4:0] (datasheet 2.2.2).</summary>
    public static class W5500Block
    {
        /// <summary>00000: Common Register Block (3.1).</summary>
        public const byte Common = 0x00;
        /// <summary>Socket n Register Block, BSB = 4n + 1 (3.2).</summary>
        public static byte SocketRegisters(int socket) { return (byte)(socket * 4 + 1); }
        /// <summary>Socket n TX Buffer Block, BSB = 4n + 2 (3.3).</summary>
        public static byte SocketTxBuffer(int socket) { return (byte)(socket * 4 + 2); }
        /// <summary>Socket n RX Buffer Block, BSB = 4n + 3 (3.3).</summary>
        public static byte SocketRxBuffer(int socket) { return (byte)(socket * 4 + 3); }
        /// <summary>Socket 0 Register Block (00001).</summary>
        public const byte Socket0Registers = 0x01;
        /// <summary>Socket 0 TX Buffer Block (00010).</summary>
        public const byte Socket0TxBuffer = 0x02;
        /// <summary>Socket 0 RX Buffer Block (00011).</summary>
        public const byte Socket0RxBuffer = 0x03;
    }

    /// <summary>Common Register Block offsets (datasheet 3.1, descriptions in 4.1).</summary>
    public static class W5500CommonRegister
    {
        /// <summary>Mode Register, 1 byte: RST, WOL, PB, PPPoE, FARP.</summary>
        public const ushort MR = 0x0000;
        /// <summary>Gateway IP Address Register, 4 bytes.</summary>
        public const ushort GAR = 0x0001;
        /// <summary>Subnet Mask Register, 4 bytes.</summary>
        public const ushort SUBR = 0x0005;
        /// <summary>Source Hardware Address Register (our MAC), 6 bytes.</summary>
        public const ushort SHAR = 0x0009;
        /// <summary>Source IP Address Register, 4 bytes.</summary>
        public const ushort SIPR = 0x000F;
        /// <summary>Interrupt Low Level Timer Register, 2 bytes.</summary>
        public const ushort INTLEVEL = 0x0013;
        /// <summary>Interrupt Register, write 1 to clear.</summary>
        public const ushort IR = 0x0015;
        /// <summary>Interrupt Mask Register.</summary>
        public const ushort IMR = 0x0016;
        /// <summary>Socket Interrupt Register (read only): bit n = Socket n has an interrupt.</summary>
        public const ushort SIR = 0x0017;
        /// <summary>Socket Interrupt Mask Register: bit n lets Socket n drive INTn.</summary>
        public const ushort SIMR = 0x0018;
        /// <summary>Retry Time Register, 2 bytes, 100 us units, reset 0x07D0.</summary>
        public const ushort RTR = 0x0019;
        /// <summary>Retry Count Register, reset 0x08.</summary>
        public const ushort RCR = 0x001B;
        /// <summary>PPP LCP Request Timer Register, reset 0x28.</summary>
        public const ushort PTIMER = 0x001C;
        /// <summary>PPP LCP Magic Number Register.</summary>
        public const ushort PMAGIC = 0x001D;
        /// <summary>PPP Destination MAC Register, 6 bytes.</summary>
        public const ushort PHAR = 0x001E;
        /// <summary>PPP Session Identification Register, 2 bytes.</summary>
        public const ushort PSID = 0x0024;
        /// <summary>PPP Maximum Receive Unit Register, 2 bytes, reset 0xFFFF.</summary>
        public const ushort PMRU = 0x0026;
        /// <summary>Unreachable IP Address Register, 4 bytes, read only.</summary>
        public const ushort UIPR = 0x0028;
        /// <summary>Unreachable Port Register, 2 bytes, read only.</summary>
        public const ushort UPORTR = 0x002C;
        /// <summary>PHY Configuration Register: RST, OPMD, OPMDC[2:0], DPX, SPD, LNK.</summary>
        public const ushort PHYCFGR = 0x002E;
        /// <summary>Chip Version Register, read only, always 0x04.</summary>
        public const ushort VERSIONR = 0x0039;
        /// <summary>First reserved offset after VERSIONR.</summary>
        public const ushort End = 0x003A;
    }

    /// <summary>Socket n Register Block offsets (datasheet 3.2, descriptions in 4.2).</summary>
    public static class W5500SocketRegister
    {
        /// <summary>Socket n Mode Register: MULTI/MFEN, BCASTB, ND/MC/MMB, UCASTB/MIP6B, P[3:0].</summary>
        public const ushort Sn_MR = 0x0000;
        /// <summary>Socket n Command Register; reads 0x00 once the chip has accepted a command.</summary>
        public const ushort Sn_CR = 0x0001;
        /// <summary>Socket n Interrupt Register: SEND_OK, TIMEOUT, RECV, DISCON, CON; write 1 to clear.</summary>
        public const ushort Sn_IR = 0x0002;
        /// <summary>Socket n Status Register, read only.</summary>
        public const ushort Sn_SR = 0x0003;
        /// <summary>Socket n Source Port Register, 2 bytes.</summary>
        public const ushort Sn_PORT = 0x0004;
        /// <summary>Socket n Destination Hardware Address Register, 6 bytes, reset FF..FF.</summary>
        public const ushort Sn_DHAR = 0x0006;
        /// <summary>Socket n Destination IP Address Register, 4 bytes.</summary>
        public const ushort Sn_DIPR = 0x000C;
        /// <summary>Socket n Destination Port Register, 2 bytes.</summary>
        public const ushort Sn_DPORT = 0x0010;
        /// <summary>Socket n Maximum Segment Size Register, 2 bytes.</summary>
        public const ushort Sn_MSSR = 0x0012;
        /// <summary>Socket n IP TOS Register.</summary>
        public const ushort Sn_TOS = 0x0015;
        /// <summary>Socket n IP TTL Register, reset 0x80.</summary>
        public const ushort Sn_TTL = 0x0016;
        /// <summary>Socket n RX Buffer Size Register in KB: 0, 1, 2, 4, 8 or 16; reset 2.</summary>
        public const ushort Sn_RXBUF_SIZE = 0x001E;
        /// <summary>Socket n TX Buffer Size Register in KB: 0, 1, 2, 4, 8 or 16; reset 2.</summary>
        public const ushort Sn_TXBUF_SIZE = 0x001F;
        /// <summary>Socket n TX Free Size Register, 2 bytes, read only.</summary>
        public const ushort Sn_TX_FSR = 0x0020;
        /// <summary>Socket n TX Read Pointer Register, 2 bytes, read only.</summary>
        public const ushort Sn_TX_RD = 0x0022;
        /// <summary>Socket n TX Write Pointer Register, 2 bytes.</summary>
        public const ushort Sn_TX_WR = 0x0024;
        /// <summary>Socket n Received Size Register, 2 bytes, read only.</summary>
        public const ushort Sn_RX_RSR = 0x0026;
        /// <summary>Socket n RX Read Data Pointer Register, 2 bytes.</summary>
        public const ushort Sn_RX_RD = 0x0028;
        /// <summary>Socket n RX Write Pointer Register, 2 bytes, read only.</summary>
        public const ushort Sn_RX_WR = 0x002A;
        /// <summary>Socket n Interrupt Mask Register, reset 0xFF: an Sn_IR bit is set only if its mask bit is.</summary>
        public const ushort Sn_IMR = 0x002C;
        /// <summary>Socket n Fragment Offset in IP header Register, 2 bytes, reset 0x4000.</summary>
        public const ushort Sn_FRAG = 0x002D;
        /// <summary>Socket n Keep Alive Timer Register.</summary>
        public const ushort Sn_KPALVTR = 0x002F;
        /// <summary>First reserved offset after Sn_KPALVTR.</summary>
        public const ushort End = 0x0030;
    }

    /// <summary>Bits of MR (datasheet 4.1).</summary>
    public static class W5500Mode
    {
        /// <summary>RST: 1 starts a software reset of every register; the chip clears it when done.</summary>
        public const byte RST = 0x80;
        /// <summary>WOL: wake on LAN.</summary>
        public const byte WOL = 0x20;
        /// <summary>PB: ping block.</summary>
        public const byte PB = 0x10;
        /// <summary>PPPoE mode.</summary>
        public const byte PPPoE = 0x08;
        /// <summary>FARP: force ARP.</summary>
        public const byte FARP = 0x02;
    }

    /// <summary>Bits of PHYCFGR (datasheet 4.1). Reset value 0b10111xxx (RST=1, OPMD=0, OPMDC=111).</summary>
    public static class W5500PhyConfig
    {
        /// <summary>RST: writing 0 resets the internal PHY; write 1 again afterwards.</summary>
        public const byte RST = 0x80;
        /// <summary>OPMD: 1 = operation mode from OPMDC, 0 = from the PMODE pins.</summary>
        public const byte OPMD = 0x40;
        /// <summary>OPMDC[2:0] mask.</summary>
        public const byte OPMDC = 0x38;
        /// <summary>DPX: 1 = full duplex (read only).</summary>
        public const byte DPX = 0x04;
        /// <summary>SPD: 1 = 100 Mbps, 0 = 10 Mbps (read only).</summary>
        public const byte SPD = 0x02;
        /// <summary>LNK: 1 = link up (read only).</summary>
        public const byte LNK = 0x01;
    }

    /// <summary>Bits of Sn_MR (datasheet 4.2).</summary>
    public static class W5500SocketMode
    {
        /// <summary>P[3:0] mask: protocol.</summary>
        public const byte ProtocolMask = 0x0F;
        /// <summary>P[3:0] = 0000: closed.</summary>
        public const byte Closed = 0x00;
        /// <summary>P[3:0] = 0001: TCP.</summary>
        public const byte TCP = 0x01;
        /// <summary>P[3:0] = 0010: UDP.</summary>
        public const byte UDP = 0x02;
        /// <summary>P[3:0] = 0100: MACRAW, valid in Socket 0 only.</summary>
        public const byte MACRAW = 0x04;
        /// <summary>MFEN (bit 7, MACRAW): MAC filter, receive only frames to SHAR, broadcast and multicast.</summary>
        public const byte MFEN = 0x80;
        /// <summary>BCASTB (bit 6, MACRAW and UDP): block broadcast frames.</summary>
        public const byte BCASTB = 0x40;
        /// <summary>MMB (bit 5, MACRAW): block multicast frames.</summary>
        public const byte MMB = 0x20;
        /// <summary>MIP6B (bit 4, MACRAW): block IPv6 frames.</summary>
        public const byte MIP6B = 0x10;
    }

    /// <summary>Sn_CR command values (datasheet 4.2).</summary>
    public static class W5500SocketCommand
    {
        /// <summary>OPEN: initialise and open the socket per Sn_MR.</summary>
        public const byte OPEN = 0x01;
        /// <summary>LISTEN (TCP server).</summary>
        public const byte LISTEN = 0x02;
        /// <summary>CONNECT (TCP client).</summary>
        public const byte CONNECT = 0x04;
        /// <summary>DISCON (TCP).</summary>
        public const byte DISCON = 0x08;
        /// <summary>CLOSE: close the socket; Sn_SR becomes SOCK_CLOSED.</summary>
        public const byte CLOSE = 0x10;
        /// <summary>SEND: transmit the TX buffer from Sn_TX_RD to Sn_TX_WR (one frame in MACRAW).</summary>
        public const byte SEND = 0x20;
        /// <summary>SEND_MAC (UDP).</summary>
        public const byte SEND_MAC = 0x21;
        /// <summary>SEND_KEEP (TCP).</summary>
        public const byte SEND_KEEP = 0x22;
        /// <summary>RECV: tell the chip that Sn_RX_RD was advanced, freeing RX buffer space.</summary>
        public const byte RECV = 0x40;
    }

    /// <summary>Bits of Sn_IR (datasheet 4.2). Writing 1 to a bit clears it.</summary>
    public static class W5500SocketInterrupt
    {
        /// <summary>SEND_OK: the SEND command completed.</summary>
        public const byte SEND_OK = 0x10;
        /// <summary>TIMEOUT: ARP or TCP timeout.</summary>
        public const byte TIMEOUT = 0x08;
        /// <summary>RECV: data arrived.</summary>
        public const byte RECV = 0x04;
        /// <summary>DISCON: FIN received (TCP).</summary>
        public const byte DISCON = 0x02;
        /// <summary>CON: connection established (TCP).</summary>
        public const byte CON = 0x01;
    }

    /// <summary>Sn_SR values (datasheet 4.2).</summary>
    public static class W5500SocketStatus
    {
        /// <summary>SOCK_CLOSED.</summary>
        public const byte SOCK_CLOSED = 0x00;
        /// <summary>SOCK_INIT: TCP socket opened.</summary>
        public const byte SOCK_INIT = 0x13;
        /// <summary>SOCK_LISTEN.</summary>
        public const byte SOCK_LISTEN = 0x14;
        /// <summary>SOCK_ESTABLISHED.</summary>
        public const byte SOCK_ESTABLISHED = 0x17;
        /// <summary>SOCK_CLOSE_WAIT.</summary>
        public const byte SOCK_CLOSE_WAIT = 0x1C;
        /// <summary>SOCK_UDP.</summary>
        public const byte SOCK_UDP = 0x22;
        /// <summary>SOCK_MACRAW: Socket 0 open in MACRAW mode.</summary>
        public const byte SOCK_MACRAW = 0x42;
    }

    /// <summary>Fixed chip facts (datasheet 3.3, 4.1, 4.2).</summary>
    public static class W5500Chip
    {
        /// <summary>VERSIONR of every W5500.</summary>
        public const byte Version = 0x04;
        /// <summary>Sockets on the chip.</summary>
        public const int SocketCount = 8;
        /// <summary>TX memory shared by the sockets, and likewise RX memory, in bytes (3.3).</summary>
        public const int MemorySize = 16384;
        /// <summary>Bytes of the length header (PACKET-INFO) in front of each MACRAW frame in the RX
        /// buffer; its big-endian value counts itself plus the frame.</summary>
        public const int MacRawHeaderLength = 2;
    }
}
