namespace Atcp.Wire.Tcp
{
    /// <summary>Plain description of a TCP header and its options. Reusable: Parse overwrites every
    /// field, so one instance serves every segment without allocation. The payload is referenced
    /// by position (PayloadOffset, PayloadLength), never copied; Emit writes the header only and
    /// leaves the checksum to <see cref="TcpHeader.FillChecksum(uint, uint, byte[], int, int, int, ushort)"/>,
    /// which needs the IP addresses.</summary>
    public sealed class TcpRepr
    {
        /// <summary>Most SACK blocks one segment can carry (RFC 2018 section 3: 4 fill the 40
        /// option bytes).</summary>
        public const int MaxSackBlocks = 4;

        /// <summary>Source port.</summary>
        public ushort SourcePort;
        /// <summary>Destination port.</summary>
        public ushort DestinationPort;
        /// <summary>Sequence number.</summary>
        public uint SequenceNumber;
        /// <summary>Acknowledgment number (significant when Flags has ACK).</summary>
        public uint AcknowledgmentNumber;
        /// <summary>Control bits (<see cref="TcpFlags"/>).</summary>
        public byte Flags;
        /// <summary>Window field as on the wire (unscaled).</summary>
        public ushort Window;
        /// <summary>Urgent pointer (significant when Flags has URG).</summary>
        public ushort UrgentPointer;

        /// <summary>True when a Maximum Segment Size option (kind 2, RFC 9293 section 3.7.1) is present.</summary>
        public bool HasMaxSegmentSize;
        /// <summary>The MSS option value.</summary>
        public ushort MaxSegmentSize;
        /// <summary>True when a Window Scale option (kind 3, RFC 7323 section 2) is present.</summary>
        public bool HasWindowScale;
        /// <summary>The shift count as received (RFC 7323 says to use 14 when it is larger).</summary>
        public byte WindowScale;
        /// <summary>True when a SACK-Permitted option (kind 4, RFC 2018 section 2) is present.</summary>
        public bool SackPermitted;
        /// <summary>Number of SACK blocks (kind 5, RFC 2018 section 3) in use, 0..4; 0 means no
        /// SACK option.</summary>
        public int SackBlockCount;
        /// <summary>Left edges of the SACK blocks (owned by this instance).</summary>
        public readonly uint[] SackLeft = new uint[MaxSackBlocks];
        /// <summary>Right edges (first sequence number after each block).</summary>
        public readonly uint[] SackRight = new uint[MaxSackBlocks];
        /// <summary>True when a Timestamps option (kind 8, RFC 7323 section 3) is present.</summary>
        public bool HasTimestamps;
        /// <summary>TSval.</summary>
        public uint TimestampValue;
        /// <summary>TSecr.</summary>
        public uint TimestampEcho;
        /// <summary>Options of other kinds, raw (kind, length, data), back to back, in the order
        /// received; Emit writes them after the known options (owned by this instance).</summary>
        public readonly byte[] UnknownOptions = new byte[TcpHeader.MaxOptionsLength];
        /// <summary>Bytes in use in UnknownOptions.</summary>
        public int UnknownOptionsLength;

        /// <summary>Set by Parse: where the payload starts in the parsed buffer.</summary>
        public int PayloadOffset;
        /// <summary>Set by Parse: payload bytes after the header.</summary>
        public int PayloadLength;

        /// <summary>Header bytes Emit writes: 20 plus the options padded to a multiple of 4
        /// (see <see cref="TcpOptions"/> for the layout and what is left out when they do not fit).</summary>
        public int Length { get { return TcpHeader.MinLength + ((TcpOptions.Measure(this) + 3) & ~3); } }

        /// <summary>Clears every field and option (ports, numbers and flags to zero).</summary>
        public void Reset()
        {
            SourcePort = 0;
            DestinationPort = 0;
            SequenceNumber = 0;
            AcknowledgmentNumber = 0;
            Flags = 0;
            Window = 0;
            UrgentPointer = 0;
            ClearOptions();
            PayloadOffset = 0;
            PayloadLength = 0;
        }

        /// <summary>Removes every option.</summary>
        public void ClearOptions()
        {
            HasMaxSegmentSize = false;
            MaxSegmentSize = 0;
            HasWindowScale = false;
            WindowScale = 0;
            SackPermitted = false;
            SackBlockCount = 0;
            HasTimestamps = false;
            TimestampValue = 0;
            TimestampEcho = 0;
            UnknownOptionsLength = 0;
        }

        /// <summary>Fills this instance from the segment buffer[offset..offset+length) (length from
        /// the IP header) without verifying the checksum. Status as <see cref="TcpHeader.Check"/>,
        /// then BadOption for a malformed option list (a length byte missing, below 2, running past
        /// the header, or wrong for a known kind).</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            ParseStatus status = TcpHeader.Check(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            int headerLength = TcpHeader.GetHeaderLength(buffer, offset);
            SourcePort = TcpHeader.GetSourcePort(buffer, offset);
            DestinationPort = TcpHeader.GetDestinationPort(buffer, offset);
            SequenceNumber = TcpHeader.GetSequenceNumber(buffer, offset);
            AcknowledgmentNumber = TcpHeader.GetAcknowledgmentNumber(buffer, offset);
            Flags = TcpHeader.GetFlags(buffer, offset);
            Window = TcpHeader.GetWindow(buffer, offset);
            UrgentPointer = TcpHeader.GetUrgentPointer(buffer, offset);
            PayloadOffset = offset + headerLength;
            PayloadLength = length - headerLength;
            ClearOptions();
            return TcpOptions.Parse(this, buffer, offset + TcpHeader.MinLength, headerLength - TcpHeader.MinLength);
        }

        /// <summary>As <see cref="Parse(byte[], int, int)"/>, after checking the segment's
        /// checksum with the pseudo-header of source and destination: BadChecksum when it fails.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length, uint source, uint destination)
        {
            ParseStatus status = TcpHeader.Check(buffer, offset, length);
            if (status != ParseStatus.Ok) return status;
            if (!TcpHeader.VerifyChecksum(source, destination, buffer, offset, length)) return ParseStatus.BadChecksum;
            return Parse(buffer, offset, length);
        }

        /// <summary>Writes the header and options at buffer[offset..offset+Length) with a zero
        /// checksum field; fill it afterwards with TcpHeader.FillChecksum.</summary>
        public void Emit(byte[] buffer, int offset)
        {
            int optionsLength = TcpOptions.Measure(this);
            int headerLength = TcpHeader.MinLength + ((optionsLength + 3) & ~3);
            TcpHeader.SetSourcePort(buffer, offset, SourcePort);
            TcpHeader.SetDestinationPort(buffer, offset, DestinationPort);
            TcpHeader.SetSequenceNumber(buffer, offset, SequenceNumber);
            TcpHeader.SetAcknowledgmentNumber(buffer, offset, AcknowledgmentNumber);
            TcpHeader.SetHeaderLength(buffer, offset, headerLength);
            TcpHeader.SetFlags(buffer, offset, Flags);
            TcpHeader.SetWindow(buffer, offset, Window);
            TcpHeader.SetChecksum(buffer, offset, 0);
            TcpHeader.SetUrgentPointer(buffer, offset, UrgentPointer);
            int end = TcpOptions.Write(this, buffer, offset + TcpHeader.MinLength);
            int padding = offset + headerLength - end;
            // RFC 9293 section 3.1: the padding after the last option is zeros (End of Option List).
            if (padding > 0) System.Array.Clear(buffer, end, padding);
        }
    }
}
