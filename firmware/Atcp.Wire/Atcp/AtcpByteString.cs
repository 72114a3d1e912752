namespace Atcp.Wire.Atcp
{
    /// <summary>A variable-length byte field of a message (an object name, a label, a reply
    /// prefix). Usually an owned array of fixed capacity plus the used length, so parsing copies
    /// bytes without allocating. A borrowing field (<see cref="Borrowing"/>) copies nothing: it
    /// refers to the bytes of the buffer it was last set from, valid while that buffer is unchanged
    /// (a board reading a COMMAND straight from its receive frame keeps no copy). Text fields hold
    /// UTF-8; boards use the bytes, people use ToText.</summary>
    public sealed class AtcpByteString
    {
        static readonly byte[] NoBytes = new byte[0];

        byte[] bytes;
        int offset;
        int length;
        // 0: the field owns bytes; otherwise it borrows, up to this many bytes.
        readonly int borrowCapacity;

        /// <summary>A field holding up to capacity bytes.</summary>
        public AtcpByteString(int capacity) { bytes = new byte[capacity]; }

        AtcpByteString(int capacity, bool borrows)
        {
            bytes = NoBytes;
            borrowCapacity = capacity;
        }

        /// <summary>A field that refers to up to capacity bytes of the buffer it is set from instead
        /// of copying them (capacity at least 1).</summary>
        public static AtcpByteString Borrowing(int capacity) { return new AtcpByteString(capacity, true); }

        /// <summary>True when the field refers to its source's bytes rather than owning a copy.</summary>
        public bool Borrows { get { return borrowCapacity != 0; } }

        /// <summary>The bytes; [Offset..Offset+Length) are in use. An owned field's own array (Offset 0),
        /// a borrowing field's source.</summary>
        public byte[] Bytes { get { return bytes; } }
        /// <summary>Where the bytes in use start in <see cref="Bytes"/> (always 0 unless borrowing).</summary>
        public int Offset { get { return offset; } }
        /// <summary>Bytes in use.</summary>
        public int Length { get { return length; } }
        /// <summary>Most bytes the field can hold.</summary>
        public int Capacity { get { return borrowCapacity != 0 ? borrowCapacity : bytes.Length; } }

        /// <summary>Copies source[offset..offset+count) (a borrowing field refers to them): Ok, or
        /// BadLength (field unchanged) when count is negative or over Capacity.</summary>
        public ParseStatus Set(byte[] source, int offset, int count)
        {
            if (count < 0 || count > Capacity) return ParseStatus.BadLength;
            if (borrowCapacity != 0)
            {
                bytes = source;
                this.offset = offset;
            }
            else System.Array.Copy(source, offset, bytes, 0, count);
            length = count;
            return ParseStatus.Ok;
        }

        /// <summary>Stores text as UTF-8: Ok, or BadLength (field unchanged) when it needs more
        /// than Capacity bytes. A borrowing field gets an array of its own for it (allocates: host
        /// and setup code). Allocates nothing otherwise but loops per character.</summary>
        public ParseStatus SetText(string text)
        {
            int count = Utf8.ByteCount(text);
            if (count > Capacity) return ParseStatus.BadLength;
            if (borrowCapacity != 0)
            {
                bytes = new byte[count];
                offset = 0;
            }
            length = Utf8.Encode(text, bytes, 0, bytes.Length);
            return ParseStatus.Ok;
        }

        /// <summary>The bytes decoded as UTF-8 (allocates: for people and host code).</summary>
        public string ToText() { return Utf8.GetString(bytes, offset, length); }

        /// <summary>Empties the field.</summary>
        public void Clear() { length = 0; }

        /// <summary>True when the field holds exactly other[offset..offset+count).</summary>
        public bool EqualsBytes(byte[] other, int offset, int count)
        {
            if (count != length) return false;
            for (int i = 0; i < count; i++) if (bytes[this.offset + i] != other[offset + i]) return false;
            return true;
        }

        /// <summary>Copies the bytes in use to buffer[offset..offset+Length).</summary>
        public void CopyTo(byte[] buffer, int offset) { System.Array.Copy(bytes, this.offset, buffer, offset, length); }
    }
}
