namespace Atcp.Wire.Atcp
{
    /// <summary>A variable-length byte field of a message (an object name, a label, a reply
    /// prefix): an owned array of fixed capacity plus the used length, so parsing copies bytes
    /// without allocating. Text fields hold UTF-8; boards use the bytes, people use ToText.</summary>
    public sealed class AtcpByteString
    {
        readonly byte[] bytes;
        int length;

        /// <summary>A field holding up to capacity bytes.</summary>
        public AtcpByteString(int capacity) { bytes = new byte[capacity]; }

        /// <summary>The owned bytes; [0..Length) are in use.</summary>
        public byte[] Bytes { get { return bytes; } }
        /// <summary>Bytes in use.</summary>
        public int Length { get { return length; } }
        /// <summary>Most bytes the field can hold.</summary>
        public int Capacity { get { return bytes.Length; } }

        /// <summary>Copies source[offset..offset+count): Ok, or BadLength (field unchanged) when
        /// count is negative or over Capacity.</summary>
        public ParseStatus Set(byte[] source, int offset, int count)
        {
            if (count < 0 || count > bytes.Length) return ParseStatus.BadLength;
            System.Array.Copy(source, offset, bytes, 0, count);
            length = count;
            return ParseStatus.Ok;
        }

        /// <summary>Stores text as UTF-8: Ok, or BadLength (field unchanged) when it needs more
        /// than Capacity bytes. Allocates nothing but loops per character: host and setup code.</summary>
        public ParseStatus SetText(string text)
        {
            if (Utf8.ByteCount(text) > bytes.Length) return ParseStatus.BadLength;
            length = Utf8.Encode(text, bytes, 0, bytes.Length);
            return ParseStatus.Ok;
        }

        /// <summary>The bytes decoded as UTF-8 (allocates: for people and host code).</summary>
        public string ToText() { return Utf8.GetString(bytes, 0, length); }

        /// <summary>Empties the field.</summary>
        public void Clear() { length = 0; }

        /// <summary>True when the field holds exactly other[offset..offset+count).</summary>
        public bool EqualsBytes(byte[] other, int offset, int count)
        {
            if (count != length) return false;
            for (int i = 0; i < count; i++) if (bytes[i] != other[offset + i]) return false;
            return true;
        }

        /// <summary>Copies the bytes in use to buffer[offset..offset+Length).</summary>
        public void CopyTo(byte[] buffer, int offset) { System.Array.Copy(bytes, 0, buffer, offset, length); }
    }
}
