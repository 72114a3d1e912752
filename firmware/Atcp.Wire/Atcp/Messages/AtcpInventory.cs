namespace Atcp.Wire.Atcp
{
    /// <summary>INVENTORY body view (type 0x83, board to front-end; SPEC.md section 5.8): a 16-byte
    /// page header, then variable-length entries.</summary>
    public static class AtcpInventory
    {
        /// <summary>Volume id, 1 byte.</summary>
        public const int VolumeOffset = 0;
        /// <summary>Flags, 1 byte (<see cref="AtcpInventoryFlags"/>).</summary>
        public const int FlagsOffset = 1;
        /// <summary>Entries in this page, 16 bits, 0..64.</summary>
        public const int EntryCountOffset = 2;
        /// <summary>Inventory generation the page was read at, 32 bits.</summary>
        public const int GenerationOffset = 4;
        /// <summary>Entries in the whole volume list, 32 bits.</summary>
        public const int TotalEntriesOffset = 8;
        /// <summary>Index of this page's first entry, 32 bits.</summary>
        public const int FirstIndexOffset = 12;
        /// <summary>First entry.</summary>
        public const int EntriesOffset = 16;

        /// <summary>Entry: kind, 1 byte (<see cref="AtcpObjectKind"/>).</summary>
        public const int EntryKindOffset = 0;
        /// <summary>Entry: size in bytes, 64 bits.</summary>
        public const int EntrySizeOffset = 1;
        /// <summary>Entry: name length N, 1 byte, 1..255; then the name, then the content type
        /// (1-byte length, 0..64, bytes), then the ETag (1-byte length, 0..64, bytes).</summary>
        public const int EntryNameLengthOffset = 9;
        /// <summary>Entry bytes besides its three strings.</summary>
        public const int EntryFixedLength = 12;
        /// <summary>Most entries per page (the smallest entry is 13 bytes; 64 keeps the repr small).</summary>
        public const int MaxEntries = 64;
        /// <summary>Longest entry name.</summary>
        public const int MaxNameLength = 255;
        /// <summary>Longest content type (e.g. "application/octet-stream").</summary>
        public const int MaxContentTypeLength = 64;
        /// <summary>Longest ETag (RFC 9110 section 8.8.3 opaque-tag, quotes included).</summary>
        public const int MaxEtagLength = 64;
        /// <summary>Room for entries in the largest body.</summary>
        public const int MaxEntriesBytes = AtcpFrame.MaxBodyLength - EntriesOffset;
    }

    /// <summary>INVENTORY body repr: one page of a volume's object list. Entry strings live in one
    /// owned pool (a page's strings never exceed a body), so a page costs no allocation.</summary>
    public sealed class AtcpInventoryRepr : IAtcpMessage
    {
        /// <summary>Volume id.</summary>
        public byte Volume;
        /// <summary>Flags (<see cref="AtcpInventoryFlags"/>).</summary>
        public byte Flags;
        /// <summary>Inventory generation the page was read at.</summary>
        public uint Generation;
        /// <summary>Entries in the whole list.</summary>
        public uint TotalEntries;
        /// <summary>Index of this page's first entry.</summary>
        public uint FirstIndex;

        // The entries as they go on the wire, back to back (kind, size, then each string after its
        // length byte), and where each starts: no per-field tables (a board keeps one of these
        // reprs; on nanoCLR the tables cost 2 KB), and Emit is one copy.
        readonly byte[] pool = new byte[AtcpInventory.MaxEntriesBytes];
        readonly ushort[] entryAt = new ushort[AtcpInventory.MaxEntries];
        int count;
        int poolUsed;

        /// <summary>Type 0x83.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.Inventory; } }

        /// <summary>Entries in this page.</summary>
        public int EntryCount { get { return count; } }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpInventory.EntriesOffset + poolUsed; } }

        /// <summary>The entries' bytes; entry strings are at the offsets the accessors give.</summary>
        public byte[] Pool { get { return pool; } }

        /// <summary>Kind of entry i; unknown values kept.</summary>
        public AtcpObjectKind Kind(int i) { return (AtcpObjectKind)pool[entryAt[i] + AtcpInventory.EntryKindOffset]; }
        /// <summary>Size of entry i in bytes.</summary>
        public ulong Size(int i) { return NetworkOrder.ReadUInt64(pool, entryAt[i] + AtcpInventory.EntrySizeOffset); }
        /// <summary>Pool offset of entry i's name.</summary>
        public int NameOffset(int i) { return entryAt[i] + AtcpInventory.EntryNameLengthOffset + 1; }
        /// <summary>Length of entry i's name.</summary>
        public int NameLength(int i) { return pool[NameOffset(i) - 1]; }
        /// <summary>Pool offset of entry i's content type.</summary>
        public int ContentTypeOffset(int i) { int at = NameOffset(i); return at + pool[at - 1] + 1; }
        /// <summary>Length of entry i's content type.</summary>
        public int ContentTypeLength(int i) { return pool[ContentTypeOffset(i) - 1]; }
        /// <summary>Pool offset of entry i's ETag.</summary>
        public int EtagOffset(int i) { int at = ContentTypeOffset(i); return at + pool[at - 1] + 1; }
        /// <summary>Length of entry i's ETag.</summary>
        public int EtagLength(int i) { return pool[EtagOffset(i) - 1]; }
        /// <summary>Entry i's name as text (allocates).</summary>
        public string NameText(int i) { return Utf8.GetString(pool, NameOffset(i), NameLength(i)); }
        /// <summary>Entry i's content type as text (allocates).</summary>
        public string ContentTypeText(int i) { return Utf8.GetString(pool, ContentTypeOffset(i), ContentTypeLength(i)); }
        /// <summary>Entry i's ETag as text (allocates).</summary>
        public string EtagText(int i) { return Utf8.GetString(pool, EtagOffset(i), EtagLength(i)); }

        /// <summary>Removes every entry (header fields are kept).</summary>
        public void ClearEntries()
        {
            count = 0;
            poolUsed = 0;
        }

        /// <summary>True when one more entry with strings of these lengths fits in the page (count
        /// and body size); the board sends the page when it does not.</summary>
        public bool HasRoomFor(int nameBytes, int contentTypeBytes, int etagBytes)
        {
            return count < AtcpInventory.MaxEntries
                && Length + AtcpInventory.EntryFixedLength + nameBytes + contentTypeBytes + etagBytes <= AtcpFrame.MaxBodyLength;
        }

        /// <summary>Appends an entry: Ok; BadField for an empty name; BadLength for a string over
        /// its limit (255, 64, 64) or when the page is full (<see cref="HasRoomFor"/>).</summary>
        public ParseStatus Add(AtcpObjectKind kind, ulong size,
            byte[] name, int nameOffset, int nameBytes,
            byte[] contentType, int contentTypeOffset, int contentTypeBytes,
            byte[] etag, int etagOffset, int etagBytes)
        {
            if (nameBytes == 0) return ParseStatus.BadField;
            if (nameBytes < 0 || nameBytes > AtcpInventory.MaxNameLength) return ParseStatus.BadLength;
            if (contentTypeBytes < 0 || contentTypeBytes > AtcpInventory.MaxContentTypeLength) return ParseStatus.BadLength;
            if (etagBytes < 0 || etagBytes > AtcpInventory.MaxEtagLength) return ParseStatus.BadLength;
            if (!HasRoomFor(nameBytes, contentTypeBytes, etagBytes)) return ParseStatus.BadLength;
            int p = poolUsed;
            entryAt[count] = (ushort)p;
            pool[p + AtcpInventory.EntryKindOffset] = (byte)kind;
            NetworkOrder.WriteUInt64(pool, p + AtcpInventory.EntrySizeOffset, size);
            p = Append(p + AtcpInventory.EntryNameLengthOffset, name, nameOffset, nameBytes);
            p = Append(p, contentType, contentTypeOffset, contentTypeBytes);
            poolUsed = Append(p, etag, etagOffset, etagBytes);
            count++;
            return ParseStatus.Ok;
        }

        /// <summary>Fills this instance from a body of exactly length bytes; never throws.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpInventory.EntriesOffset) return ParseStatus.Truncated;
            if (length > AtcpFrame.MaxBodyLength) return ParseStatus.BadLength;
            int entries = NetworkOrder.ReadUInt16(buffer, offset + AtcpInventory.EntryCountOffset);
            if (entries > AtcpInventory.MaxEntries) return ParseStatus.BadLength;
            Volume = buffer[offset + AtcpInventory.VolumeOffset];
            Flags = buffer[offset + AtcpInventory.FlagsOffset];
            Generation = NetworkOrder.ReadUInt32(buffer, offset + AtcpInventory.GenerationOffset);
            TotalEntries = NetworkOrder.ReadUInt32(buffer, offset + AtcpInventory.TotalEntriesOffset);
            FirstIndex = NetworkOrder.ReadUInt32(buffer, offset + AtcpInventory.FirstIndexOffset);
            ClearEntries();

            int end = offset + length;
            int p = offset + AtcpInventory.EntriesOffset;
            for (int i = 0; i < entries; i++)
            {
                if (p + AtcpInventory.EntryNameLengthOffset + 1 > end) return ParseStatus.Truncated;
                byte kind = buffer[p + AtcpInventory.EntryKindOffset];
                ulong size = NetworkOrder.ReadUInt64(buffer, p + AtcpInventory.EntrySizeOffset);
                int nameAtWire = p + AtcpInventory.EntryNameLengthOffset + 1;
                int nameBytes = buffer[nameAtWire - 1];
                int typeLengthAt = nameAtWire + nameBytes;
                if (typeLengthAt + 1 > end) return ParseStatus.Truncated;
                int typeBytes = buffer[typeLengthAt];
                int etagLengthAt = typeLengthAt + 1 + typeBytes;
                if (etagLengthAt + 1 > end) return ParseStatus.Truncated;
                int etagBytes = buffer[etagLengthAt];
                int next = etagLengthAt + 1 + etagBytes;
                if (next > end) return ParseStatus.Truncated;
                ParseStatus s = Add((AtcpObjectKind)kind, size, buffer, nameAtWire, nameBytes,
                    buffer, typeLengthAt + 1, typeBytes, buffer, etagLengthAt + 1, etagBytes);
                if (s != ParseStatus.Ok) return s;
                p = next;
            }
            if (p != end) return ParseStatus.BadLength;
            return Validate();
        }

        /// <summary>Checks: the page lies within the list (first + count at most total), and a page
        /// marked last ends the list.</summary>
        public ParseStatus Validate()
        {
            ulong pageEnd = (ulong)FirstIndex + (ulong)count;
            if (pageEnd > TotalEntries) return ParseStatus.BadField;
            if ((Flags & AtcpInventoryFlags.LastPage) != 0 && pageEnd != TotalEntries) return ParseStatus.BadField;
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            buffer[offset + AtcpInventory.VolumeOffset] = Volume;
            buffer[offset + AtcpInventory.FlagsOffset] = Flags;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpInventory.EntryCountOffset, (ushort)count);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpInventory.GenerationOffset, Generation);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpInventory.TotalEntriesOffset, TotalEntries);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpInventory.FirstIndexOffset, FirstIndex);
            System.Array.Copy(pool, 0, buffer, offset + AtcpInventory.EntriesOffset, poolUsed);
        }

        // Writes a length byte and the string at pool[p..]; returns the position after it.
        int Append(int p, byte[] source, int offset, int length)
        {
            pool[p] = (byte)length;
            if (length > 0) System.Array.Copy(source, offset, pool, p + 1, length);
            return p + 1 + length;
        }
    }
}
