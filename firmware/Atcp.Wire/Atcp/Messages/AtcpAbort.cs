namespace Atcp.Wire.Atcp
{
    /// <summary>ABORT body view (type 0x40, either direction; SPEC.md section 5.10), 8 bytes.</summary>
    public static class AtcpAbort
    {
        /// <summary>Stream id, 32 bits; 0 = every stream between the two nodes.</summary>
        public const int StreamIdOffset = 0;
        /// <summary>Reason, 1 byte (<see cref="AtcpAbortReason"/>).</summary>
        public const int ReasonOffset = 4;
        /// <summary>Reserved, 3 bytes, sent as zero, ignored.</summary>
        public const int ReservedOffset = 5;
        /// <summary>Body length.</summary>
        public const int Length = 8;
    }

    /// <summary>ABORT body repr: the sender has dropped the stream (or every stream, id 0); the
    /// receiver frees it and sends nothing more for it.</summary>
    public sealed class AtcpAbortRepr : IAtcpMessage
    {
        /// <summary>Stream id (0 = all).</summary>
        public uint StreamId;
        /// <summary>Why; unknown values kept.</summary>
        public AtcpAbortReason Reason;

        /// <summary>Type 0x40.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.Abort; } }

        /// <summary>8 bytes.</summary>
        public int Length { get { return AtcpAbort.Length; } }

        /// <summary>Fills this instance from a body of exactly 8 bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpAbort.Length) return ParseStatus.Truncated;
            if (length > AtcpAbort.Length) return ParseStatus.BadLength;
            StreamId = NetworkOrder.ReadUInt32(buffer, offset + AtcpAbort.StreamIdOffset);
            Reason = (AtcpAbortReason)buffer[offset + AtcpAbort.ReasonOffset];
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+8).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt32(buffer, offset + AtcpAbort.StreamIdOffset, StreamId);
            buffer[offset + AtcpAbort.ReasonOffset] = (byte)Reason;
            buffer[offset + AtcpAbort.ReservedOffset] = 0;
            buffer[offset + AtcpAbort.ReservedOffset + 1] = 0;
            buffer[offset + AtcpAbort.ReservedOffset + 2] = 0;
        }
    }
}
