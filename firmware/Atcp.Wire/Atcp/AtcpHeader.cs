namespace Atcp.Wire.Atcp
{
    /// <summary>ATCP header view (SPEC.md section 2): static accessors over byte[] + the offset of
    /// the header's first byte, which in a frame is 14 (right after the Ethernet II header). Every
    /// multi-byte field is big-endian.</summary>
    public static class AtcpHeader
    {
        /// <summary>Protocol version, 1 byte; this code speaks <see cref="CurrentVersion"/>.</summary>
        public const int VersionOffset = 0;
        /// <summary>Message type, 1 byte (<see cref="AtcpMessageType"/>; unknown values kept).</summary>
        public const int MessageTypeOffset = 1;
        /// <summary>Header flags, 16 bits (<see cref="AtcpHeaderFlags"/>).</summary>
        public const int FlagsOffset = 2;
        /// <summary>Cluster id, 32 bits.</summary>
        public const int ClusterIdOffset = 4;
        /// <summary>Sender id, 16 bits: 0 is the front-end, 1..65534 a board, 65535 reserved.</summary>
        public const int SenderIdOffset = 8;
        /// <summary>Body length in bytes, 16 bits (the tag follows the body).</summary>
        public const int BodyLengthOffset = 10;
        /// <summary>Frame counter, 64 bits: boot epoch in the high 32 bits, per-boot count in the low 32.</summary>
        public const int CounterOffset = 12;
        /// <summary>Header length; the message body starts here.</summary>
        public const int Length = 20;

        /// <summary>The version this code emits and accepts.</summary>
        public const byte CurrentVersion = 1;
        /// <summary>The front-end's sender id.</summary>
        public const ushort FrontEndId = 0;
        /// <summary>Reserved sender id, never valid on the wire.</summary>
        public const ushort ReservedId = 0xFFFF;

        /// <summary>Reads the version byte.</summary>
        public static byte GetVersion(byte[] buffer, int offset) { return buffer[offset + VersionOffset]; }
        /// <summary>Reads the message type byte.</summary>
        public static byte GetMessageType(byte[] buffer, int offset) { return buffer[offset + MessageTypeOffset]; }
        /// <summary>Reads the header flags.</summary>
        public static ushort GetFlags(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + FlagsOffset); }
        /// <summary>Reads the cluster id.</summary>
        public static uint GetClusterId(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + ClusterIdOffset); }
        /// <summary>Reads the sender id.</summary>
        public static ushort GetSenderId(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + SenderIdOffset); }
        /// <summary>Reads the body length.</summary>
        public static ushort GetBodyLength(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + BodyLengthOffset); }
        /// <summary>Reads the 64-bit frame counter.</summary>
        public static ulong GetCounter(byte[] buffer, int offset) { return NetworkOrder.ReadUInt64(buffer, offset + CounterOffset); }

        /// <summary>Writes the version byte.</summary>
        public static void SetVersion(byte[] buffer, int offset, byte value) { buffer[offset + VersionOffset] = value; }
        /// <summary>Writes the message type byte.</summary>
        public static void SetMessageType(byte[] buffer, int offset, byte value) { buffer[offset + MessageTypeOffset] = value; }
        /// <summary>Writes the header flags.</summary>
        public static void SetFlags(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + FlagsOffset, value); }
        /// <summary>Writes the cluster id.</summary>
        public static void SetClusterId(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + ClusterIdOffset, value); }
        /// <summary>Writes the sender id.</summary>
        public static void SetSenderId(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + SenderIdOffset, value); }
        /// <summary>Writes the body length.</summary>
        public static void SetBodyLength(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + BodyLengthOffset, value); }
        /// <summary>Writes the 64-bit frame counter.</summary>
        public static void SetCounter(byte[] buffer, int offset, ulong value) { NetworkOrder.WriteUInt64(buffer, offset + CounterOffset, value); }
    }

    /// <summary>Frame-level layout (SPEC.md section 1): Ethernet II header, ATCP header, body,
    /// 8-byte tag, then zero padding up to the Ethernet minimum. Offsets are from the frame's first
    /// byte (the destination MAC).</summary>
    public static class AtcpFrame
    {
        /// <summary>Where the ATCP header starts (after the 14-byte Ethernet II header).</summary>
        public const int HeaderOffset = 14;
        /// <summary>Where the message body starts.</summary>
        public const int BodyOffset = HeaderOffset + AtcpHeader.Length;
        /// <summary>Bytes around a body: Ethernet header, ATCP header and tag.</summary>
        public const int Overhead = BodyOffset + SipHash24.TagLength;
        /// <summary>Largest frame without FCS: a 1500-byte Ethernet payload (IEEE 802.3).</summary>
        public const int MaxFrameLength = 1514;
        /// <summary>Largest body: what is left of a 1500-byte payload after header and tag.</summary>
        public const int MaxBodyLength = MaxFrameLength - Overhead;
        /// <summary>Smallest frame on the wire without FCS; Seal pads shorter frames with zeros.</summary>
        public const int MinFrameLength = 60;

        /// <summary>Bytes a frame with this body occupies up to the end of its tag.</summary>
        public static int SealedLength(int bodyLength) { return Overhead + bodyLength; }

        /// <summary>Bytes to transmit for this body: the sealed length, padded to the Ethernet minimum.</summary>
        public static int WireLength(int bodyLength)
        {
            int n = Overhead + bodyLength;
            return n < MinFrameLength ? MinFrameLength : n;
        }
    }

    /// <summary>Header flag bits (SPEC.md section 2.1). Bits not listed are sent as zero and
    /// ignored on receipt, so later versions can define them.</summary>
    public static class AtcpHeaderFlags
    {
        /// <summary>The sender is repeating a message it already sent (re-sealed under a new
        /// counter), e.g. a COMMAND that got no SERVICE_ACK. Receivers answer again rather than
        /// start over.</summary>
        public const ushort Retransmission = 0x0001;
    }
}
