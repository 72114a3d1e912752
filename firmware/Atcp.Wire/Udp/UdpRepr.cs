namespace Atcp.Wire.Udp
{
    /// <summary>Plain description of a UDP header. Reusable: Parse overwrites every field. The
    /// payload is referenced by position, never copied; Emit writes the header with a zero
    /// checksum, to be filled by UdpHeader.FillChecksum (which needs the IP addresses).</summary>
    public sealed class UdpRepr
    {
        /// <summary>Source port.</summary>
        public ushort SourcePort;
        /// <summary>Destination port.</summary>
        public ushort DestinationPort;
        /// <summary>Set by Parse: where the payload starts in the parsed buffer.</summary>
        public int PayloadOffset;
        /// <summary>Payload bytes. Parse sets it from the length field; Emit writes 8 + PayloadLength there.</summary>
        public int PayloadLength;
        /// <summary>Set by Parse: false when the sender sent no checksum (field 0).</summary>
        public bool HasChecksum;

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return UdpHeader.Length; } }

        /// <summary>Fills this instance from buffer[offset..offset+length) (length from the IP
        /// header) without verifying the checksum. Status as <see cref="UdpHeader.Check"/>.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            ParseStatus status = UdpHeader.Check(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            SourcePort = UdpHeader.GetSourcePort(buffer, offset);
            DestinationPort = UdpHeader.GetDestinationPort(buffer, offset);
            PayloadOffset = offset + UdpHeader.Length;
            PayloadLength = UdpHeader.GetLength(buffer, offset) - UdpHeader.Length;
            HasChecksum = UdpHeader.GetChecksum(buffer, offset) != 0;
            return ParseStatus.Ok;
        }

        /// <summary>As <see cref="Parse(byte[], int, int)"/>, then BadChecksum when a checksum is
        /// present and does not verify with the pseudo-header of source and destination.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length, uint source, uint destination)
        {
            ParseStatus status = Parse(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            if (!UdpHeader.VerifyChecksum(source, destination, buffer, offset, UdpHeader.Length + PayloadLength)) return ParseStatus.BadChecksum;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the header at buffer[offset..offset+8) with length 8 + PayloadLength and a
        /// zero checksum.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            UdpHeader.SetSourcePort(buffer, offset, SourcePort);
            UdpHeader.SetDestinationPort(buffer, offset, DestinationPort);
            UdpHeader.SetLength(buffer, offset, (ushort)(UdpHeader.Length + PayloadLength));
            UdpHeader.SetChecksum(buffer, offset, 0);
        }
    }
}
