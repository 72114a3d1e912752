namespace Atcp.Wire.Atcp
{
    /// <summary>DATAGRAM_ACK body view (type 0x04, front-end to board; SPEC.md section 5.5), 8 bytes.</summary>
    public static class AtcpDatagramAck
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Highest block received in order, 32 bits, counted from the COMMAND_UDP's first
        /// block number without wrapping (the front-end unwraps TFTP's 16-bit numbers).</summary>
        public const int BlockOffset = 4;
        /// <summary>Body length.</summary>
        public const int Length = 8;
    }

    /// <summary>DATAGRAM_ACK body repr: a client acknowledged every block up to Block; the board
    /// continues (or resends) from Block + 1 (RFC 7440 section 4).</summary>
    public sealed class AtcpDatagramAckRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>Highest block received in order (unwrapped).</summary>
        public uint Block;

        /// <summary>Type 0x04.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.DatagramAck; } }

        /// <summary>8 bytes.</summary>
        public int Length { get { return AtcpDatagramAck.Length; } }

        /// <summary>Fills this instance from a body of exactly 8 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpDatagramAck.Length) return ParseStatus.Truncated;
            if (length > AtcpDatagramAck.Length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpDatagramAck.StreamIdOffset);
            Block = NetworkOrder.ReadUInt32(buffer, offset + AtcpDatagramAck.BlockOffset);
            return StreamId == AtcpStream.AllStreams ? ParseStatus.BadField : ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+8).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpDatagramAck.StreamIdOffset, StreamId);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpDatagramAck.BlockOffset, Block);
        }
    }
}
