namespace Atcp.Wire.Atcp
{
    /// <summary>DONE body view (type 0x84, board to front-end; SPEC.md section 5.9), 20 bytes.</summary>
    public static class AtcpDone
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Reply bytes sent and acknowledged, 64 bits.</summary>
        public const int TotalBytesOffset = 4;
        /// <summary>Segments (or datagrams) sent more than once, 32 bits.</summary>
        public const int RetransmittedOffset = 12;
        /// <summary>Milliseconds from COMMAND to the last acknowledgement, 32 bits.</summary>
        public const int DurationOffset = 16;
        /// <summary>Body length.</summary>
        public const int Length = 20;
    }

    /// <summary>DONE body repr: a stream ended normally; the board has freed it.</summary>
    public sealed class AtcpDoneRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>Reply bytes sent and acknowledged.</summary>
        public ulong TotalBytes;
        /// <summary>Segments sent more than once.</summary>
        public uint RetransmittedSegments;
        /// <summary>Stream duration in milliseconds.</summary>
        public uint DurationMs;

        /// <summary>Type 0x84.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.Done; } }

        /// <summary>20 bytes.</summary>
        public int Length { get { return AtcpDone.Length; } }

        /// <summary>Fills this instance from a body of exactly 20 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpDone.Length) return ParseStatus.Truncated;
            if (length > AtcpDone.Length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpDone.StreamIdOffset);
            TotalBytes = NetworkOrder.ReadUInt64(buffer, offset + AtcpDone.TotalBytesOffset);
            RetransmittedSegments = NetworkOrder.ReadUInt32(buffer, offset + AtcpDone.RetransmittedOffset);
            DurationMs = NetworkOrder.ReadUInt32(buffer, offset + AtcpDone.DurationOffset);
            return StreamId == AtcpStream.AllStreams ? ParseStatus.BadField : ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+20).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpDone.StreamIdOffset, StreamId);
            NetworkOrder.WriteUInt64(buffer, offset + AtcpDone.TotalBytesOffset, TotalBytes);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpDone.RetransmittedOffset, RetransmittedSegments);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpDone.DurationOffset, DurationMs);
        }
    }
}
