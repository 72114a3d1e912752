namespace Atcp.Wire.Atcp
{
    /// <summary>CLIENT_ACKS body view (type 0x08, front-end to board; SPEC.md section 5.12): several
    /// CLIENT_ACKs for streams of one board in one frame. 4 bytes, then C entries of 20 bytes, each a
    /// CLIENT_ACK body without SACK blocks (<see cref="AtcpClientAck"/> offsets within the entry).</summary>
    public static class AtcpClientAcks
    {
        /// <summary>Entry count C, 1 byte, 1..<see cref="MaxEntries"/>.</summary>
        public const int CountOffset = 0;
        /// <summary>Reserved, 3 bytes, sent as zero, ignored.</summary>
        public const int ReservedOffset = 1;
        /// <summary>First entry.</summary>
        public const int EntriesOffset = 4;
        /// <summary>Bytes per entry: a CLIENT_ACK body with no SACK block.</summary>
        public const int EntryLength = AtcpClientAck.MinLength;
        /// <summary>Most entries a body can hold: (1472 - 4) / 20.</summary>
        public const int MaxEntries = (AtcpFrame.MaxBodyLength - EntriesOffset) / EntryLength;

        /// <summary>Body length for count entries.</summary>
        public static int LengthFor(int count) { return EntriesOffset + count * EntryLength; }

        /// <summary>Offset of entry index from the body's start.</summary>
        public static int EntryOffset(int index) { return EntriesOffset + index * EntryLength; }

        /// <summary>Reads and checks the entry count of a body of exactly length bytes: Ok with count
        /// set, Truncated or BadLength when the length does not match the count, BadField for a count
        /// of 0 or above <see cref="MaxEntries"/>. The entries are checked one by one when parsed
        /// (<see cref="AtcpClientAckRepr.Parse"/> over <see cref="EntryLength"/> bytes at
        /// <see cref="EntryOffset"/>; an entry with SACK blocks does not fit and is Truncated).</summary>
        public static ParseStatus ReadCount(byte[] buffer, int offset, int length, out int count)
        {
            count = 0;
            if (length < EntriesOffset) return ParseStatus.Truncated;
            int c = buffer[offset + CountOffset];
            if (c == 0 || c > MaxEntries) return ParseStatus.BadField;
            int total = LengthFor(c);
            if (total > length) return ParseStatus.Truncated;
            if (total < length) return ParseStatus.BadLength;
            count = c;
            return ParseStatus.Ok;
        }
    }

    /// <summary>CLIENT_ACKS body repr: the relays one front-end round has for one board's streams,
    /// sent as one frame instead of one CLIENT_ACK each. Loss signals (SACK blocks) never ride here.
    /// Entries are pooled: <see cref="Add"/> hands out a reused <see cref="AtcpClientAckRepr"/>.</summary>
    public sealed class AtcpClientAcksRepr : IAtcpMessage
    {
        readonly AtcpClientAckRepr[] _entries = new AtcpClientAckRepr[AtcpClientAcks.MaxEntries];
        int _count;

        /// <summary>Type 0x08.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.ClientAcks; } }

        /// <summary>Entries in use.</summary>
        public int Count { get { return _count; } }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpClientAcks.LengthFor(_count); } }

        /// <summary>Entry index (0..Count-1).</summary>
        public AtcpClientAckRepr Entry(int index) { return _entries[index]; }

        /// <summary>Removes every entry.</summary>
        public void Clear() { _count = 0; }

        /// <summary>Appends an entry and returns it to fill (its SACK blocks cleared), or null when
        /// <see cref="AtcpClientAcks.MaxEntries"/> are held.</summary>
        public AtcpClientAckRepr Add()
        {
            if (_count >= AtcpClientAcks.MaxEntries) return null;
            AtcpClientAckRepr e = _entries[_count];
            if (e == null) { e = new AtcpClientAckRepr(); _entries[_count] = e; }
            e.ClearSack();
            _count++;
            return e;
        }

        /// <summary>Fills this instance from a body of exactly length bytes (see
        /// <see cref="AtcpClientAcks.ReadCount"/>); each entry must parse as a CLIENT_ACK body of 20
        /// bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            _count = 0;
            int count;
            ParseStatus status = AtcpClientAcks.ReadCount(buffer, offset, length, out count);
            if (status != ParseStatus.Ok) return status;
            for (int i = 0; i < count; i++)
            {
                status = Add().Parse(buffer, offset + AtcpClientAcks.EntryOffset(i), AtcpClientAcks.EntryLength);
                if (status != ParseStatus.Ok) { _count = 0; return status; }
            }
            return ParseStatus.Ok;
        }

        /// <summary>Checks: 1..73 entries, each without SACK blocks and valid as a CLIENT_ACK.</summary>
        public ParseStatus Validate()
        {
            if (_count == 0) return ParseStatus.BadField;
            for (int i = 0; i < _count; i++)
            {
                if (_entries[i].SackCount != 0) return ParseStatus.BadField;
                ParseStatus status = _entries[i].Validate();
                if (status != ParseStatus.Ok) return status;
            }
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            buffer[offset + AtcpClientAcks.CountOffset] = (byte)_count;
            buffer[offset + AtcpClientAcks.ReservedOffset] = 0;
            buffer[offset + AtcpClientAcks.ReservedOffset + 1] = 0;
            buffer[offset + AtcpClientAcks.ReservedOffset + 2] = 0;
            for (int i = 0; i < _count; i++) _entries[i].Emit(buffer, offset + AtcpClientAcks.EntryOffset(i));
        }
    }
}
