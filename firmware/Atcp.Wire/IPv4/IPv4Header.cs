namespace Atcp.Wire.IPv4
{
    /// <summary>IPv4 header view (RFC 791 section 3.1): static accessors over byte[] + offset.
    /// Multi-byte fields are network order; addresses read as the host-order uint of their
    /// network-order bytes (10.0.0.1 is 0x0A000001), so they compare and mask as numbers.</summary>
    public static class IPv4Header
    {
        /// <summary>Version (high nibble, 4) and IHL (low nibble, header length in 32-bit words).</summary>
        public const int VersionIhlOffset = 0;
        /// <summary>DSCP (high 6 bits, RFC 2474) and ECN (low 2 bits, RFC 3168).</summary>
        public const int DscpEcnOffset = 1;
        /// <summary>Total length (header plus payload), 16 bits.</summary>
        public const int TotalLengthOffset = 2;
        /// <summary>Identification, 16 bits.</summary>
        public const int IdentificationOffset = 4;
        /// <summary>Flags (3 high bits: reserved, DF, MF) and fragment offset (13 bits, 8-byte units).</summary>
        public const int FlagsFragmentOffset = 6;
        /// <summary>Time to live, 8 bits.</summary>
        public const int TtlOffset = 8;
        /// <summary>Protocol (<see cref="IpProtocol"/>), 8 bits.</summary>
        public const int ProtocolOffset = 9;
        /// <summary>Header checksum over the header only, 16 bits.</summary>
        public const int ChecksumOffset = 10;
        /// <summary>Source address, 32 bits.</summary>
        public const int SourceOffset = 12;
        /// <summary>Destination address, 32 bits.</summary>
        public const int DestinationOffset = 16;
        /// <summary>Header length without options; options start here.</summary>
        public const int MinLength = 20;
        /// <summary>Largest header (IHL 15).</summary>
        public const int MaxLength = 60;
        /// <summary>Largest options part.</summary>
        public const int MaxOptionsLength = 40;

        const ushort DontFragmentBit = 0x4000;
        const ushort MoreFragmentsBit = 0x2000;
        const ushort FragmentOffsetMask = 0x1FFF;

        /// <summary>Checks input: Truncated when the header or the total length does not fit in
        /// length bytes, BadVersion unless version 4, BadLength when IHL is below 5 or the total
        /// length is smaller than the header. Does not verify the checksum
        /// (<see cref="VerifyChecksum"/>). Bytes past the total length (Ethernet padding) are allowed.</summary>
        public static ParseStatus Check(byte[] buffer, int offset, int length)
        {
            if (length < MinLength) return ParseStatus.Truncated;
            if (GetVersion(buffer, offset) != 4) return ParseStatus.BadVersion;
            int headerLength = GetHeaderLength(buffer, offset);
            if (headerLength < MinLength) return ParseStatus.BadLength;
            if (headerLength > length) return ParseStatus.Truncated;
            int total = GetTotalLength(buffer, offset);
            if (total < headerLength) return ParseStatus.BadLength;
            if (total > length) return ParseStatus.Truncated;
            return ParseStatus.Ok;
        }

        /// <summary>Reads the version nibble.</summary>
        public static int GetVersion(byte[] buffer, int offset) { return buffer[offset + VersionIhlOffset] >> 4; }

        /// <summary>Reads IHL and returns the header length in bytes (IHL times 4).</summary>
        public static int GetHeaderLength(byte[] buffer, int offset) { return (buffer[offset + VersionIhlOffset] & 0x0F) << 2; }

        /// <summary>Writes version 4 and the IHL for a header of headerLength bytes (a multiple of 4, 20..60).</summary>
        public static void SetVersionAndHeaderLength(byte[] buffer, int offset, int headerLength) { buffer[offset + VersionIhlOffset] = (byte)(0x40 | (headerLength >> 2)); }

        /// <summary>Reads the DSCP (6 bits).</summary>
        public static int GetDscp(byte[] buffer, int offset) { return buffer[offset + DscpEcnOffset] >> 2; }

        /// <summary>Reads the ECN codepoint (2 bits).</summary>
        public static int GetEcn(byte[] buffer, int offset) { return buffer[offset + DscpEcnOffset] & 3; }

        /// <summary>Writes DSCP and ECN.</summary>
        public static void SetDscpEcn(byte[] buffer, int offset, int dscp, int ecn) { buffer[offset + DscpEcnOffset] = (byte)(((dscp & 0x3F) << 2) | (ecn & 3)); }

        /// <summary>Reads the total length.</summary>
        public static ushort GetTotalLength(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + TotalLengthOffset); }

        /// <summary>Writes the total length.</summary>
        public static void SetTotalLength(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + TotalLengthOffset, value); }

        /// <summary>Reads the identification.</summary>
        public static ushort GetIdentification(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + IdentificationOffset); }

        /// <summary>Writes the identification.</summary>
        public static void SetIdentification(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + IdentificationOffset, value); }

        /// <summary>Reads the DF (don't fragment) flag.</summary>
        public static bool GetDontFragment(byte[] buffer, int offset) { return (NetworkOrder.ReadUInt16(buffer, offset + FlagsFragmentOffset) & DontFragmentBit) != 0; }

        /// <summary>Reads the MF (more fragments) flag.</summary>
        public static bool GetMoreFragments(byte[] buffer, int offset) { return (NetworkOrder.ReadUInt16(buffer, offset + FlagsFragmentOffset) & MoreFragmentsBit) != 0; }

        /// <summary>Reads the fragment offset in bytes (the field times 8).</summary>
        public static int GetFragmentOffset(byte[] buffer, int offset) { return (NetworkOrder.ReadUInt16(buffer, offset + FlagsFragmentOffset) & FragmentOffsetMask) << 3; }

        /// <summary>Writes DF, MF and the fragment offset in bytes (rounded down to a multiple of 8;
        /// the reserved flag is written as zero).</summary>
        public static void SetFlagsAndFragmentOffset(byte[] buffer, int offset, bool dontFragment, bool moreFragments, int fragmentOffset)
        {
            int value = (fragmentOffset >> 3) & FragmentOffsetMask;
            if (dontFragment) value |= DontFragmentBit;
            if (moreFragments) value |= MoreFragmentsBit;
            NetworkOrder.WriteUInt16(buffer, offset + FlagsFragmentOffset, (ushort)value);
        }

        /// <summary>True for a fragment (MF set or a nonzero fragment offset); this project does not
        /// reassemble.</summary>
        public static bool IsFragment(byte[] buffer, int offset) { return (NetworkOrder.ReadUInt16(buffer, offset + FlagsFragmentOffset) & (MoreFragmentsBit | FragmentOffsetMask)) != 0; }

        /// <summary>Reads the TTL.</summary>
        public static byte GetTtl(byte[] buffer, int offset) { return buffer[offset + TtlOffset]; }

        /// <summary>Writes the TTL.</summary>
        public static void SetTtl(byte[] buffer, int offset, byte value) { buffer[offset + TtlOffset] = value; }

        /// <summary>Reads the protocol number.</summary>
        public static byte GetProtocol(byte[] buffer, int offset) { return buffer[offset + ProtocolOffset]; }

        /// <summary>Writes the protocol number.</summary>
        public static void SetProtocol(byte[] buffer, int offset, byte value) { buffer[offset + ProtocolOffset] = value; }

        /// <summary>Reads the header checksum field.</summary>
        public static ushort GetChecksum(byte[] buffer, int offset) { return NetworkOrder.ReadUInt16(buffer, offset + ChecksumOffset); }

        /// <summary>Writes the header checksum field.</summary>
        public static void SetChecksum(byte[] buffer, int offset, ushort value) { NetworkOrder.WriteUInt16(buffer, offset + ChecksumOffset, value); }

        /// <summary>Reads the source address.</summary>
        public static uint GetSource(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + SourceOffset); }

        /// <summary>Writes the source address.</summary>
        public static void SetSource(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + SourceOffset, value); }

        /// <summary>Reads the destination address.</summary>
        public static uint GetDestination(byte[] buffer, int offset) { return NetworkOrder.ReadUInt32(buffer, offset + DestinationOffset); }

        /// <summary>Writes the destination address.</summary>
        public static void SetDestination(byte[] buffer, int offset, uint value) { NetworkOrder.WriteUInt32(buffer, offset + DestinationOffset, value); }

        /// <summary>True when the header checksum verifies (the header, checksum included, sums to
        /// 0xFFFF; RFC 1071 section 1). Needs the IHL to be checked first.</summary>
        public static bool VerifyChecksum(byte[] buffer, int offset)
        {
            return InternetChecksum.Sum(buffer, offset, GetHeaderLength(buffer, offset)) == 0xFFFF;
        }

        /// <summary>Computes and writes the header checksum (the IHL must be set).</summary>
        public static void FillChecksum(byte[] buffer, int offset)
        {
            SetChecksum(buffer, offset, 0);
            SetChecksum(buffer, offset, InternetChecksum.Finish(InternetChecksum.Accumulate(0, buffer, offset, GetHeaderLength(buffer, offset))));
        }
    }

    /// <summary>IP protocol numbers this project uses (IANA). Others survive parsing as numbers.</summary>
    public static class IpProtocol
    {
        /// <summary>ICMP, RFC 792.</summary>
        public const byte Icmp = 1;
        /// <summary>TCP, RFC 9293.</summary>
        public const byte Tcp = 6;
        /// <summary>UDP, RFC 768.</summary>
        public const byte Udp = 17;
    }
}
