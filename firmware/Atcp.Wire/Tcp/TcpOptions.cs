namespace Atcp.Wire.Tcp
{
    /// <summary>TCP option kinds (RFC 9293 section 3.2; IANA TCP option kind numbers). Other kinds
    /// survive parsing as raw bytes in <see cref="TcpRepr.UnknownOptions"/>.</summary>
    public static class TcpOptionKind
    {
        /// <summary>End of Option List; also the padding byte.</summary>
        public const byte EndOfList = 0;
        /// <summary>No-Operation, used to align options.</summary>
        public const byte NoOperation = 1;
        /// <summary>Maximum Segment Size, length 4 (RFC 9293 section 3.7.1).</summary>
        public const byte MaxSegmentSize = 2;
        /// <summary>Window Scale, length 3 (RFC 7323 section 2.2).</summary>
        public const byte WindowScale = 3;
        /// <summary>SACK-Permitted, length 2 (RFC 2018 section 2).</summary>
        public const byte SackPermitted = 4;
        /// <summary>SACK, length 2 + 8 per block (RFC 2018 section 3).</summary>
        public const byte Sack = 5;
        /// <summary>Timestamps, length 10 (RFC 7323 section 3.2).</summary>
        public const byte Timestamps = 8;
    }

    /// <summary>Parses and writes the option list of a <see cref="TcpRepr"/>. Emit layout, chosen to
    /// match what common stacks send so captures read naturally: MSS; SACK-Permitted and Timestamps
    /// (NOP-aligned); NOP + Window Scale; NOP NOP + SACK blocks; unknown options; zero padding.
    /// When that does not fit in 40 bytes the NOPs are left out; when even that does not fit,
    /// trailing SACK blocks are left out (RFC 2018 section 3: a sender includes as many as fit),
    /// then the unknown options. A list that came from Parse always fits.</summary>
    internal static class TcpOptions
    {
        /// <summary>Parses options[offset..offset+length) into repr (whose options are clear).</summary>
        internal static ParseStatus Parse(TcpRepr repr, byte[] buffer, int offset, int length)
        {
            int pos = offset;
            int end = offset + length;
            while (pos < end)
            {
                byte kind = buffer[pos];
                if (kind == TcpOptionKind.EndOfList) break;
                if (kind == TcpOptionKind.NoOperation) { pos++; continue; }
                if (pos + 1 >= end) return ParseStatus.BadOption;
                int size = buffer[pos + 1];
                if (size < 2 || pos + size > end) return ParseStatus.BadOption;
                switch (kind)
                {
                    case TcpOptionKind.MaxSegmentSize:
                        if (size != 4) return ParseStatus.BadOption;
                        repr.HasMaxSegmentSize = true;
                        repr.MaxSegmentSize = NetworkOrder.ReadUInt16(buffer, pos + 2);
                        break;
                    case TcpOptionKind.WindowScale:
                        if (size != 3) return ParseStatus.BadOption;
                        repr.HasWindowScale = true;
                        repr.WindowScale = buffer[pos + 2];
                        break;
                    case TcpOptionKind.SackPermitted:
                        if (size != 2) return ParseStatus.BadOption;
                        repr.SackPermitted = true;
                        break;
                    case TcpOptionKind.Sack:
                        // At most 4 blocks fit in 40 bytes, so size bounds the count.
                        if (size < 10 || ((size - 2) & 7) != 0) return ParseStatus.BadOption;
                        int blocks = (size - 2) >> 3;
                        for (int i = 0; i < blocks; i++)
                        {
                            repr.SackLeft[i] = NetworkOrder.ReadUInt32(buffer, pos + 2 + 8 * i);
                            repr.SackRight[i] = NetworkOrder.ReadUInt32(buffer, pos + 6 + 8 * i);
                        }
                        repr.SackBlockCount = blocks;
                        break;
                    case TcpOptionKind.Timestamps:
                        if (size != 10) return ParseStatus.BadOption;
                        repr.HasTimestamps = true;
                        repr.TimestampValue = NetworkOrder.ReadUInt32(buffer, pos + 2);
                        repr.TimestampEcho = NetworkOrder.ReadUInt32(buffer, pos + 6);
                        break;
                    default:
                        // The option list is at most 40 bytes, so unknown options always fit.
                        System.Array.Copy(buffer, pos, repr.UnknownOptions, repr.UnknownOptionsLength, size);
                        repr.UnknownOptionsLength += size;
                        break;
                }
                pos += size;
            }
            return ParseStatus.Ok;
        }

        /// <summary>Option bytes Write emits for repr, before padding.</summary>
        internal static int Measure(TcpRepr repr)
        {
            bool aligned;
            int sackBlocks;
            int unknownLength;
            return Choose(repr, out aligned, out sackBlocks, out unknownLength);
        }

        /// <summary>Writes repr's options at buffer[offset..] and returns the end position (before padding).</summary>
        internal static int Write(TcpRepr repr, byte[] buffer, int offset)
        {
            bool aligned;
            int sackBlocks;
            int unknownLength;
            Choose(repr, out aligned, out sackBlocks, out unknownLength);
            int pos = offset;
            if (repr.HasMaxSegmentSize)
            {
                buffer[pos] = TcpOptionKind.MaxSegmentSize;
                buffer[pos + 1] = 4;
                NetworkOrder.WriteUInt16(buffer, pos + 2, repr.MaxSegmentSize);
                pos += 4;
            }
            if (repr.SackPermitted)
            {
                if (aligned && !repr.HasTimestamps) pos = Nops(buffer, pos, 2);
                buffer[pos] = TcpOptionKind.SackPermitted;
                buffer[pos + 1] = 2;
                pos += 2;
            }
            if (repr.HasTimestamps)
            {
                if (aligned && !repr.SackPermitted) pos = Nops(buffer, pos, 2);
                buffer[pos] = TcpOptionKind.Timestamps;
                buffer[pos + 1] = 10;
                NetworkOrder.WriteUInt32(buffer, pos + 2, repr.TimestampValue);
                NetworkOrder.WriteUInt32(buffer, pos + 6, repr.TimestampEcho);
                pos += 10;
            }
            if (repr.HasWindowScale)
            {
                if (aligned) pos = Nops(buffer, pos, 1);
                buffer[pos] = TcpOptionKind.WindowScale;
                buffer[pos + 1] = 3;
                buffer[pos + 2] = repr.WindowScale;
                pos += 3;
            }
            if (sackBlocks > 0)
            {
                if (aligned) pos = Nops(buffer, pos, 2);
                buffer[pos] = TcpOptionKind.Sack;
                buffer[pos + 1] = (byte)(2 + 8 * sackBlocks);
                for (int i = 0; i < sackBlocks; i++)
                {
                    NetworkOrder.WriteUInt32(buffer, pos + 2 + 8 * i, repr.SackLeft[i]);
                    NetworkOrder.WriteUInt32(buffer, pos + 6 + 8 * i, repr.SackRight[i]);
                }
                pos += 2 + 8 * sackBlocks;
            }
            if (unknownLength > 0)
            {
                System.Array.Copy(repr.UnknownOptions, 0, buffer, pos, unknownLength);
                pos += unknownLength;
            }
            return pos;
        }

        static int Nops(byte[] buffer, int pos, int count)
        {
            for (int i = 0; i < count; i++) buffer[pos + i] = TcpOptionKind.NoOperation;
            return pos + count;
        }

        static int Choose(TcpRepr repr, out bool aligned, out int sackBlocks, out int unknownLength)
        {
            int blocks = repr.SackBlockCount;
            if (blocks > TcpRepr.MaxSackBlocks) blocks = TcpRepr.MaxSackBlocks;
            if (blocks < 0) blocks = 0;
            unknownLength = repr.UnknownOptionsLength;
            if (unknownLength > TcpHeader.MaxOptionsLength) unknownLength = TcpHeader.MaxOptionsLength;
            if (unknownLength < 0) unknownLength = 0;
            while (true)
            {
                for (sackBlocks = blocks; sackBlocks >= 0; sackBlocks--)
                {
                    int length = Size(repr, true, sackBlocks, unknownLength);
                    if (length <= TcpHeader.MaxOptionsLength) { aligned = true; return length; }
                    length = Size(repr, false, sackBlocks, unknownLength);
                    if (length <= TcpHeader.MaxOptionsLength) { aligned = false; return length; }
                }
                // Without SACK blocks and unknown options the rest takes at most 20 bytes.
                unknownLength = 0;
            }
        }

        static int Size(TcpRepr repr, bool aligned, int sackBlocks, int unknownLength)
        {
            int size = unknownLength;
            if (repr.HasMaxSegmentSize) size += 4;
            if (repr.SackPermitted) size += 2;
            if (repr.HasTimestamps) size += 10;
            if (aligned && (repr.SackPermitted != repr.HasTimestamps)) size += 2;
            if (repr.HasWindowScale) size += aligned ? 4 : 3;
            if (sackBlocks > 0) size += (aligned ? 4 : 2) + 8 * sackBlocks;
            return size;
        }
    }
}
