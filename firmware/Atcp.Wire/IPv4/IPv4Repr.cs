namespace Atcp.Wire.IPv4
{
    /// <summary>Plain description of an IPv4 header. Reusable: Parse overwrites every field, so one
    /// instance serves every packet without allocation. The payload starts at offset + Length.</summary>
    public sealed class IPv4Repr
    {
        /// <summary>Differentiated services codepoint (6 bits, RFC 2474).</summary>
        public int Dscp;
        /// <summary>ECN codepoint (2 bits, RFC 3168).</summary>
        public int Ecn;
        /// <summary>Identification.</summary>
        public ushort Identification;
        /// <summary>DF flag.</summary>
        public bool DontFragment;
        /// <summary>MF flag.</summary>
        public bool MoreFragments;
        /// <summary>Fragment offset in bytes (a multiple of 8).</summary>
        public int FragmentOffset;
        /// <summary>Time to live.</summary>
        public byte Ttl = 64;
        /// <summary>Protocol number (<see cref="IpProtocol"/>); unknown values are kept.</summary>
        public byte Protocol;
        /// <summary>Source address (host-order value of the network-order bytes).</summary>
        public uint Source;
        /// <summary>Destination address.</summary>
        public uint Destination;
        /// <summary>Raw option bytes (owned by this instance); the first OptionsLength are used.
        /// Kept as they are: this project neither needs nor interprets IP options.</summary>
        public readonly byte[] Options = new byte[IPv4Header.MaxOptionsLength];
        /// <summary>Number of option bytes in use, 0..40. Emit pads to a multiple of 4 with zeros
        /// (End of Option List, RFC 791).</summary>
        public int OptionsLength;
        /// <summary>Payload bytes after the header: total length minus header length.</summary>
        public int PayloadLength;

        /// <summary>Header bytes Emit writes: 20 plus the options padded to a multiple of 4.</summary>
        public int Length { get { return IPv4Header.MinLength + ((ClampedOptionsLength() + 3) & ~3); } }

        /// <summary>Fills this instance from buffer[offset..offset+length), where length may include
        /// link-layer padding after the packet. Status as <see cref="IPv4Header.Check"/>, then
        /// BadChecksum when the header checksum does not verify.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            ParseStatus status = IPv4Header.Check(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            if (!IPv4Header.VerifyChecksum(buffer, offset)) return ParseStatus.BadChecksum;
            int headerLength = IPv4Header.GetHeaderLength(buffer, offset);
            Dscp = IPv4Header.GetDscp(buffer, offset);
            Ecn = IPv4Header.GetEcn(buffer, offset);
            Identification = IPv4Header.GetIdentification(buffer, offset);
            DontFragment = IPv4Header.GetDontFragment(buffer, offset);
            MoreFragments = IPv4Header.GetMoreFragments(buffer, offset);
            FragmentOffset = IPv4Header.GetFragmentOffset(buffer, offset);
            Ttl = IPv4Header.GetTtl(buffer, offset);
            Protocol = IPv4Header.GetProtocol(buffer, offset);
            Source = IPv4Header.GetSource(buffer, offset);
            Destination = IPv4Header.GetDestination(buffer, offset);
            OptionsLength = headerLength - IPv4Header.MinLength;
            if (OptionsLength > 0) System.Array.Copy(buffer, offset + IPv4Header.MinLength, Options, 0, OptionsLength);
            PayloadLength = IPv4Header.GetTotalLength(buffer, offset) - headerLength;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the header at buffer[offset..offset+Length) with total length
        /// Length + PayloadLength and a filled-in checksum. OptionsLength above 40 is treated as 40.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            int optionsLength = ClampedOptionsLength();
            int headerLength = Length;
            IPv4Header.SetVersionAndHeaderLength(buffer, offset, headerLength);
            IPv4Header.SetDscpEcn(buffer, offset, Dscp, Ecn);
            IPv4Header.SetTotalLength(buffer, offset, (ushort)(headerLength + PayloadLength));
            IPv4Header.SetIdentification(buffer, offset, Identification);
            IPv4Header.SetFlagsAndFragmentOffset(buffer, offset, DontFragment, MoreFragments, FragmentOffset);
            IPv4Header.SetTtl(buffer, offset, Ttl);
            IPv4Header.SetProtocol(buffer, offset, Protocol);
            IPv4Header.SetSource(buffer, offset, Source);
            IPv4Header.SetDestination(buffer, offset, Destination);
            if (optionsLength > 0) System.Array.Copy(Options, 0, buffer, offset + IPv4Header.MinLength, optionsLength);
            int padding = headerLength - IPv4Header.MinLength - optionsLength;
            if (padding > 0) System.Array.Clear(buffer, offset + IPv4Header.MinLength + optionsLength, padding);
            IPv4Header.FillChecksum(buffer, offset);
        }

        int ClampedOptionsLength()
        {
            if (OptionsLength > IPv4Header.MaxOptionsLength) return IPv4Header.MaxOptionsLength;
            return OptionsLength < 0 ? 0 : OptionsLength;
        }
    }
}
