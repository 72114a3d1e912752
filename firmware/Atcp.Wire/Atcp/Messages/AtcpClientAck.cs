namespace Atcp.Wire.Atcp
{
    /// <summary>CLIENT_ACK body view (type 0x03, front-end to board; SPEC.md section 5.4): 20 bytes
    /// plus 8 per SACK block.</summary>
    public static class AtcpClientAck
    {
        /// <summary>Stream id, 32 bits.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>The client's acknowledgement number, 32 bits, as it sent it.</summary>
        public const int AckNumberOffset = 4;
        /// <summary>Acknowledgement number for the board's next segments (the front-end's RCV.NXT,
        /// which moves when the client sends more data), 32 bits.</summary>
        public const int ServiceAckNumberOffset = 8;
        /// <summary>The client's window, 16 bits, unscaled as it sent it.</summary>
        public const int WindowOffset = 12;
        /// <summary>Window field for the board's next segments, 16 bits.</summary>
        public const int ServiceWindowOffset = 14;
        /// <summary>Flags, 1 byte (<see cref="AtcpClientAckFlags"/>).</summary>
        public const int FlagsOffset = 16;
        /// <summary>SACK block count, 1 byte, 0..4.</summary>
        public const int SackCountOffset = 17;
        /// <summary>Reserved, 16 bits, sent as zero, ignored.</summary>
        public const int ReservedOffset = 18;
        /// <summary>First SACK block: left edge (32 bits), right edge (32 bits), then the next.</summary>
        public const int SackBlocksOffset = 20;
        /// <summary>Bytes per SACK block.</summary>
        public const int SackBlockLength = 8;
        /// <summary>Most SACK blocks: what a TCP option of 40 bytes can hold (RFC 2018 section 3).</summary>
        public const int MaxSackBlocks = 4;
        /// <summary>Body length without SACK blocks.</summary>
        public const int MinLength = 20;
    }

    /// <summary>CLIENT_ACK body repr: one client acknowledgement relayed by the front-end (the
    /// seed's ATCP_ACK 29), with the SACK blocks it carried.</summary>
    public sealed class AtcpClientAckRepr : IAtcpMessage
    {
        /// <summary>Stream id, never 0.</summary>
        public uint StreamId;
        /// <summary>The client's acknowledgement number.</summary>
        public uint AckNumber;
        /// <summary>Acknowledgement number for the board's next segments.</summary>
        public uint ServiceAckNumber;
        /// <summary>The client's raw window (scale it by the COMMAND's window scale).</summary>
        public ushort Window;
        /// <summary>Window field for the board's next segments.</summary>
        public ushort ServiceWindow;
        /// <summary>Flags (<see cref="AtcpClientAckFlags"/>).</summary>
        public byte Flags;
        /// <summary>SACK left edges (owned; [0..SackCount) in use).</summary>
        public readonly uint[] SackLeft = new uint[AtcpClientAck.MaxSackBlocks];
        /// <summary>SACK right edges (owned; [0..SackCount) in use).</summary>
        public readonly uint[] SackRight = new uint[AtcpClientAck.MaxSackBlocks];
        int sackCount;

        /// <summary>Type 0x03.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.ClientAck; } }

        /// <summary>SACK blocks in use.</summary>
        public int SackCount { get { return sackCount; } }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpClientAck.MinLength + sackCount * AtcpClientAck.SackBlockLength; } }

        /// <summary>Removes every SACK block.</summary>
        public void ClearSack() { sackCount = 0; }

        /// <summary>Appends a SACK block [left, right): Ok, or BadLength when 4 are already held.</summary>
        public ParseStatus AddSack(uint left, uint right)
        {
            if (sackCount >= AtcpClientAck.MaxSackBlocks) return ParseStatus.BadLength;
            SackLeft[sackCount] = left;
            SackRight[sackCount] = right;
            sackCount++;
            return ParseStatus.Ok;
        }

        /// <summary>Fills this instance from a body of exactly length bytes; more than 4 SACK
        /// blocks is BadLength.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpClientAck.MinLength) return ParseStatus.Truncated;
            int count = buffer[offset + AtcpClientAck.SackCountOffset];
            if (count > AtcpClientAck.MaxSackBlocks) return ParseStatus.BadLength;
            int total = AtcpClientAck.MinLength + count * AtcpClientAck.SackBlockLength;
            if (total > length) return ParseStatus.Truncated;
            if (total < length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpClientAck.StreamIdOffset);
            AckNumber = NetworkOrder.ReadUInt32(buffer, offset + AtcpClientAck.AckNumberOffset);
            ServiceAckNumber = NetworkOrder.ReadUInt32(buffer, offset + AtcpClientAck.ServiceAckNumberOffset);
            Window = NetworkOrder.ReadUInt16(buffer, offset + AtcpClientAck.WindowOffset);
            ServiceWindow = NetworkOrder.ReadUInt16(buffer, offset + AtcpClientAck.ServiceWindowOffset);
            Flags = buffer[offset + AtcpClientAck.FlagsOffset];
            sackCount = count;
            int p = offset + AtcpClientAck.SackBlocksOffset;
            for (int i = 0; i < count; i++)
            {
                SackLeft[i] = NetworkOrder.ReadUInt32(buffer, p);
                SackRight[i] = NetworkOrder.ReadUInt32(buffer, p + 4);
                p += AtcpClientAck.SackBlockLength;
            }
            return Validate();
        }

        /// <summary>Checks: nonzero stream id; each SACK block non-empty (right after left, in
        /// sequence space, RFC 2018 section 3).</summary>
        public ParseStatus Validate()
        {
            if (StreamId == AtcpStream.AllStreams) return ParseStatus.BadField;
            for (int i = 0; i < sackCount; i++)
            {
                // Sequence-space comparison (RFC 9293 section 3.4): right - left as signed 32-bit > 0.
                if ((int)(SackRight[i] - SackLeft[i]) <= 0) return ParseStatus.BadField;
            }
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpClientAck.StreamIdOffset, StreamId);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpClientAck.AckNumberOffset, AckNumber);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpClientAck.ServiceAckNumberOffset, ServiceAckNumber);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpClientAck.WindowOffset, Window);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpClientAck.ServiceWindowOffset, ServiceWindow);
            buffer[offset + AtcpClientAck.FlagsOffset] = Flags;
            buffer[offset + AtcpClientAck.SackCountOffset] = (byte)sackCount;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpClientAck.ReservedOffset, 0);
            int p = offset + AtcpClientAck.SackBlocksOffset;
            for (int i = 0; i < sackCount; i++)
            {
                NetworkOrder.WriteUInt32(buffer, p, SackLeft[i]);
                NetworkOrder.WriteUInt32(buffer, p + 4, SackRight[i]);
                p += AtcpClientAck.SackBlockLength;
            }
        }
    }
}
