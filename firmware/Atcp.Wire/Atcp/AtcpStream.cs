namespace Atcp.Wire.Atcp
{
    /// <summary>What every stream-scoped message body (COMMAND, COMMAND_UDP, SERVICE_ACK,
    /// CLIENT_ACK, DATAGRAM_ACK, PATH_MTU, DONE, ABORT) shares: the 32-bit stream id in its first
    /// 4 bytes, so a dispatcher finds the stream before parsing the rest.</summary>
    public static class AtcpStream
    {
        /// <summary>Offset of the stream id in the body.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Stream id 0 is never a stream; in ABORT it means every stream between the two nodes.</summary>
        public const uint AllStreams = 0;

        /// <summary>Reads the stream id of a body at buffer[bodyOffset..] of at least 4 bytes.</summary>
        public static uint GetStreamId(byte[] buffer, int bodyOffset) { return NetworkOrder.ReadUInt32(buffer, bodyOffset + StreamIdOffset); }

        /// <summary>True when the message type carries a stream id first.</summary>
        public static bool IsStreamScoped(byte type)
        {
            switch (type)
            {
                case (byte)AtcpMessageType.Command:
                case (byte)AtcpMessageType.CommandUdp:
                case (byte)AtcpMessageType.ClientAck:
                case (byte)AtcpMessageType.DatagramAck:
                case (byte)AtcpMessageType.PathMtu:
                case (byte)AtcpMessageType.Abort:
                case (byte)AtcpMessageType.ServiceAck:
                case (byte)AtcpMessageType.Done:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Checks a service request's operands (shared by COMMAND and COMMAND_UDP): a named
        /// opcode needs a name, SendVolumeRange needs none, and a bounded range must not run past
        /// 2^64. Unknown opcodes pass (the board answers UnsupportedOpcode).</summary>
        public static ParseStatus CheckOperands(AtcpServiceOpcode opcode, int nameLength, ulong rangeOffset, ulong rangeLength)
        {
            if (opcode == AtcpServiceOpcode.SendDiskObject || opcode == AtcpServiceOpcode.SendCdFile)
            {
                if (nameLength == 0) return ParseStatus.BadField;
            }
            else if (opcode == AtcpServiceOpcode.SendVolumeRange)
            {
                if (nameLength != 0) return ParseStatus.BadField;
            }
            if (rangeLength != RangeToEnd && rangeOffset > RangeToEnd - rangeLength) return ParseStatus.BadField;
            return ParseStatus.Ok;
        }

        /// <summary>Range length meaning "from the offset to the end of the object".</summary>
        public const ulong RangeToEnd = 0xFFFFFFFFFFFFFFFFUL;
    }
}
