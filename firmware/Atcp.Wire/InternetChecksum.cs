namespace Atcp.Wire
{
    /// <summary>The Internet checksum (RFC 1071): the ones-complement sum of 16-bit big-endian
    /// words. Partial sums are plain 16-bit values that combine in any order (RFC 1071 section 2,
    /// commutativity and associativity); a block that starts at an odd byte position in the final
    /// message contributes its sum byte-swapped (RFC 1071 section 2(B)). Incremental update follows
    /// RFC 1624 equation 3.</summary>
    public static class InternetChecksum
    {
        /// <summary>Adds buffer[offset..offset+length) as big-endian words to a 32-bit running sum,
        /// the first byte being the high byte of a word; an odd last byte is padded with zero.
        /// Loops per word: use it on headers and host-side, never on a board's payload path.</summary>
        public static uint Accumulate(uint sum, byte[] buffer, int offset, int length)
        {
            int end = offset + (length & ~1);
            int i = offset;
            while (i < end)
            {
                sum += (uint)((buffer[i] << 8) | buffer[i + 1]);
                i += 2;
                // Fold early so sums of any length never overflow 32 bits.
                if ((sum & 0x80000000u) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            }
            if ((length & 1) != 0) sum += (uint)(buffer[end] << 8);
            return sum;
        }

        /// <summary>Folds a 32-bit running sum to 16 bits with end-around carry (not complemented).
        /// The result is the partial sum of the bytes added so far.</summary>
        public static ushort Fold(uint sum)
        {
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (ushort)sum;
        }

        /// <summary>The checksum field value for a running sum: the complement of its fold.</summary>
        public static ushort Finish(uint sum)
        {
            return (ushort)~Fold(sum);
        }

        /// <summary>Partial sum of buffer[offset..offset+length).</summary>
        public static ushort Sum(byte[] buffer, int offset, int length)
        {
            return Fold(Accumulate(0, buffer, offset, length));
        }

        /// <summary>Ones-complement addition of two partial sums.</summary>
        public static ushort Combine(ushort a, ushort b)
        {
            uint s = (uint)a + b;
            return (ushort)((s & 0xFFFF) + (s >> 16));
        }

        /// <summary>Adds the partial sum of a block that sits at byte position blockPosition of the
        /// message being summed: a block at an odd position contributes its sum byte-swapped.</summary>
        public static ushort CombineAt(ushort total, ushort blockSum, long blockPosition)
        {
            if ((blockPosition & 1) != 0) blockSum = Swap(blockSum);
            return Combine(total, blockSum);
        }

        /// <summary>Swaps the two bytes of a partial sum.</summary>
        public static ushort Swap(ushort value)
        {
            return (ushort)((value << 8) | (value >> 8));
        }

        /// <summary>RFC 1624 equation 3: the new checksum field after one 16-bit word of the covered
        /// data changes from oldWord to newWord: HC' = ~(~HC + ~m + m').</summary>
        public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
        {
            uint sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
            return (ushort)~Fold(sum);
        }

        /// <summary>Partial sum of the TCP/UDP pseudo-header (RFC 9293 section 3.1, RFC 768):
        /// source and destination IPv4 addresses (host-order uint of the network-order bytes),
        /// zero, protocol, and the transport length (header plus payload).</summary>
        public static ushort PseudoHeaderSum(uint sourceAddress, uint destinationAddress, byte protocol, int transportLength)
        {
            uint sum = (sourceAddress >> 16) + (sourceAddress & 0xFFFF)
                + (destinationAddress >> 16) + (destinationAddress & 0xFFFF)
                + protocol + (uint)transportLength;
            return Fold(sum);
        }
    }
}
