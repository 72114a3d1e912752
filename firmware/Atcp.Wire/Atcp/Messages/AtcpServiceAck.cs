namespace Atcp.Wire.Atcp
{
    /// <summary>SERVICE_ACK body view (type 0x81, board to front-end; SPEC.md section 5.3), 32 bytes.</summary>
    public static class AtcpServiceAck
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Status, 1 byte (<see cref="AtcpServiceStatus"/>).</summary>
        public const int StatusOffset = 4;
        /// <summary>The board's congestion window for the stream in bytes, 24 bits (0: not reported;
        /// larger windows are sent as the maximum).</summary>
        public const int CongestionWindowOffset = 5;
        /// <summary>Largest congestion window the 24-bit field carries.</summary>
        public const uint MaxCongestionWindow = 0xFFFFFF;
        /// <summary>A window that doubled is reported from this size on (SPEC 5.3): below it the
        /// front-end follows slow start itself (initial window plus the bytes acknowledged).</summary>
        public const uint GrowthReportFloor = 64 * 1024;
        /// <summary>Reply size in bytes (prefix + range), 64 bits; all ones while unknown.</summary>
        public const int ReplySizeOffset = 8;
        /// <summary>Highest reply offset sent so far (bytes from the command's sequence number), 64 bits.</summary>
        public const int BytesSentOffset = 16;
        /// <summary>Reply bytes the client has acknowledged, 64 bits.</summary>
        public const int BytesAcknowledgedOffset = 24;
        /// <summary>Body length.</summary>
        public const int Length = 32;
        /// <summary>Reply size while the board does not know it yet.</summary>
        public const ulong UnknownSize = 0xFFFFFFFFFFFFFFFFUL;
    }

    /// <summary>SERVICE_ACK body repr: a stream's status and progress. The front-end adds the reply
    /// size to the ack number it expects from the client (the seed's step (f)).</summary>
    public sealed class AtcpServiceAckRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>Status; unknown values kept.</summary>
        public AtcpServiceStatus Status;
        /// <summary>Reply size (<see cref="AtcpServiceAck.UnknownSize"/> while unknown).</summary>
        public ulong ReplySize;
        /// <summary>Highest reply offset sent.</summary>
        public ulong BytesSent;
        /// <summary>Reply bytes acknowledged by the client.</summary>
        public ulong BytesAcknowledged;
        /// <summary>The board's congestion window in bytes (0: not reported; at most
        /// <see cref="AtcpServiceAck.MaxCongestionWindow"/>, larger values are sent as that).</summary>
        public uint CongestionWindow;

        /// <summary>Type 0x81.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.ServiceAck; } }

        /// <summary>32 bytes.</summary>
        public int Length { get { return AtcpServiceAck.Length; } }

        /// <summary>True for statuses that end the stream with an error (0x10 and up).</summary>
        public bool IsError { get { return (byte)Status >= 0x10; } }

        /// <summary>Fills this instance from a body of exactly 32 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpServiceAck.Length) return ParseStatus.Truncated;
            if (length > AtcpServiceAck.Length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpServiceAck.StreamIdOffset);
            Status = (AtcpServiceStatus)buffer[offset + AtcpServiceAck.StatusOffset];
            int w = offset + AtcpServiceAck.CongestionWindowOffset;
            CongestionWindow = ((uint)buffer[w] << 16) | ((uint)buffer[w + 1] << 8) | buffer[w + 2];
            ReplySize = NetworkOrder.ReadUInt64(buffer, offset + AtcpServiceAck.ReplySizeOffset);
            BytesSent = NetworkOrder.ReadUInt64(buffer, offset + AtcpServiceAck.BytesSentOffset);
            BytesAcknowledged = NetworkOrder.ReadUInt64(buffer, offset + AtcpServiceAck.BytesAcknowledgedOffset);
            return Validate();
        }

        /// <summary>Checks: nonzero stream id; acknowledged at most sent; sent at most the size when known.</summary>
        public ParseStatus Validate()
        {
            if (StreamId == AtcpStream.AllStreams) return ParseStatus.BadField;
            if (BytesAcknowledged > BytesSent) return ParseStatus.BadField;
            if (ReplySize != AtcpServiceAck.UnknownSize && BytesSent > ReplySize) return ParseStatus.BadField;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+32).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpServiceAck.StreamIdOffset, StreamId);
            buffer[offset + AtcpServiceAck.StatusOffset] = (byte)Status;
            uint window = CongestionWindow > AtcpServiceAck.MaxCongestionWindow ? AtcpServiceAck.MaxCongestionWindow : CongestionWindow;
            int w = offset + AtcpServiceAck.CongestionWindowOffset;
            buffer[w] = (byte)(window >> 16);
            buffer[w + 1] = (byte)(window >> 8);
            buffer[w + 2] = (byte)window;
            NetworkOrder.WriteUInt64(buffer, offset + AtcpServiceAck.ReplySizeOffset, ReplySize);
            NetworkOrder.WriteUInt64(buffer, offset + AtcpServiceAck.BytesSentOffset, BytesSent);
            NetworkOrder.WriteUInt64(buffer, offset + AtcpServiceAck.BytesAcknowledgedOffset, BytesAcknowledged);
        }
    }
}
