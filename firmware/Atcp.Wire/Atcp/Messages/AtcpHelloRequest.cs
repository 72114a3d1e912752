namespace Atcp.Wire.Atcp
{
    /// <summary>HELLO_REQUEST body view (type 0x06, front-end to boards, usually broadcast;
    /// SPEC.md section 5.7), 4 bytes.</summary>
    public static class AtcpHelloRequest
    {
        /// <summary>Reply spread, milliseconds, 16 bits: each board delays its HELLO by
        /// (board id * 7) mod (spread + 1) ms so a broadcast does not make every board answer at once.</summary>
        public const int ReplySpreadOffset = 0;
        /// <summary>Heartbeat interval the front-end wants, seconds, 16 bits; 0 keeps the board's own.</summary>
        public const int HeartbeatIntervalOffset = 2;
        /// <summary>Body length.</summary>
        public const int Length = 4;
    }

    /// <summary>HELLO_REQUEST body repr: asks boards to send HELLO now.</summary>
    public sealed class AtcpHelloRequestRepr : IAtcpMessage
    {
        /// <summary>Reply spread in milliseconds.</summary>
        public ushort ReplySpreadMs;
        /// <summary>Requested heartbeat interval in seconds (0 = unchanged).</summary>
        public ushort HeartbeatIntervalSeconds;

        /// <summary>Type 0x06.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.HelloRequest; } }

        /// <summary>4 bytes.</summary>
        public int Length { get { return AtcpHelloRequest.Length; } }

        /// <summary>Fills this instance from a body of exactly 4 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpHelloRequest.Length) return ParseStatus.Truncated;
            if (length > AtcpHelloRequest.Length) return ParseStatus.BadLength;
            ReplySpreadMs = NetworkOrder.ReadUInt16(buffer, offset + AtcpHelloRequest.ReplySpreadOffset);
            HeartbeatIntervalSeconds = NetworkOrder.ReadUInt16(buffer, offset + AtcpHelloRequest.HeartbeatIntervalOffset);
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+4).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHelloRequest.ReplySpreadOffset, ReplySpreadMs);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHelloRequest.HeartbeatIntervalOffset, HeartbeatIntervalSeconds);
        }

        /// <summary>How long board boardId waits before answering: (boardId * 7) mod (spread + 1) ms.</summary>
        public static int ReplyDelayMs(ushort boardId, ushort replySpreadMs)
        {
            return (int)(((uint)boardId * 7u) % ((uint)replySpreadMs + 1u));
        }
    }
}
