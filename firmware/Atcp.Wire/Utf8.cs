namespace Atcp.Wire
{
    /// <summary>UTF-8 conversion for firmware-side code: nanoFramework's mscorlib has no
    /// System.Text (that lives in a separate package), so the board carries this small codec. Used
    /// for people-facing text and names, not on the data path. Invalid input bytes decode to U+FFFD;
    /// lone surrogates encode as U+FFFD.</summary>
    public static class Utf8
    {
        /// <summary>Bytes needed to encode text.</summary>
        public static int ByteCount(string text)
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < 0x80) n += 1;
                else if (c < 0x800) n += 2;
                else if (IsHighSurrogate(c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1])) { n += 4; i++; }
                else n += 3;
            }
            return n;
        }

        /// <summary>Encodes text into buffer[offset..]; returns the bytes written, or -1 when
        /// capacity bytes are not enough (nothing is then guaranteed about the buffer).</summary>
        public static int Encode(string text, byte[] buffer, int offset, int capacity)
        {
            int p = offset, end = offset + capacity;
            for (int i = 0; i < text.Length; i++)
            {
                int cp = text[i];
                if (IsHighSurrogate((char)cp) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
                {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                }
                else if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
                int need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (p + need > end) return -1;
                p = Put(cp, buffer, p);
            }
            return p - offset;
        }

        /// <summary>Encodes text into a new array.</summary>
        public static byte[] GetBytes(string text)
        {
            byte[] b = new byte[ByteCount(text)];
            Encode(text, b, 0, b.Length);
            return b;
        }

        /// <summary>Writes one code point; returns the next position.</summary>
        public static int Put(int codePoint, byte[] buffer, int p)
        {
            if (codePoint < 0x80) { buffer[p++] = (byte)codePoint; }
            else if (codePoint < 0x800)
            {
                buffer[p++] = (byte)(0xC0 | (codePoint >> 6));
                buffer[p++] = (byte)(0x80 | (codePoint & 0x3F));
            }
            else if (codePoint < 0x10000)
            {
                buffer[p++] = (byte)(0xE0 | (codePoint >> 12));
                buffer[p++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                buffer[p++] = (byte)(0x80 | (codePoint & 0x3F));
            }
            else
            {
                buffer[p++] = (byte)(0xF0 | (codePoint >> 18));
                buffer[p++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                buffer[p++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                buffer[p++] = (byte)(0x80 | (codePoint & 0x3F));
            }
            return p;
        }

        /// <summary>Decodes buffer[offset .. +count) to a string.</summary>
        public static string GetString(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count * 2];
            int n = 0, p = offset, end = offset + count;
            while (p < end)
            {
                int cp = Next(buffer, ref p, end);
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else chars[n++] = (char)cp;
            }
            return new string(chars, 0, n);
        }

        /// <summary>True when buffer[offset .. +count) is well-formed UTF-8 (no overlongs, no
        /// surrogates, nothing above U+10FFFF).</summary>
        public static bool IsValid(byte[] buffer, int offset, int count)
        {
            int p = offset, end = offset + count, used;
            while (p < end)
            {
                if (TryDecode(buffer, p, end, out used) < 0) return false;
                p += used;
            }
            return true;
        }

        /// <summary>Decodes the code point at p and advances p; malformed input gives U+FFFD and
        /// advances by one byte.</summary>
        public static int Next(byte[] buffer, ref int p, int end)
        {
            int used;
            int cp = TryDecode(buffer, p, end, out used);
            p += used;
            return cp < 0 ? 0xFFFD : cp;
        }

        /// <summary>One code point of strict UTF-8 (RFC 3629 section 4) at buffer[i], with the bytes
        /// it used; -1 (used = 1) for overlongs, surrogates, values above U+10FFFF and cut sequences.</summary>
        public static int TryDecode(byte[] buffer, int i, int end, out int used)
        {
            used = 1;
            int b0 = buffer[i];
            if (b0 < 0x80) return b0;
            int need, cp, min;
            if ((b0 & 0xE0) == 0xC0) { need = 1; cp = b0 & 0x1F; min = 0x80; }
            else if ((b0 & 0xF0) == 0xE0) { need = 2; cp = b0 & 0x0F; min = 0x800; }
            else if ((b0 & 0xF8) == 0xF0) { need = 3; cp = b0 & 0x07; min = 0x10000; }
            else return -1;
            if (i + need >= end) return -1;
            for (int k = 1; k <= need; k++)
            {
                int b = buffer[i + k];
                if ((b & 0xC0) != 0x80) return -1;
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
            used = need + 1;
            return cp;
        }

        /// <summary>Writes one code point at p unless it would pass limit; returns the next position,
        /// or -1 when it does not fit.</summary>
        public static int Put(int codePoint, byte[] buffer, int p, int limit)
        {
            int need = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            return p + need > limit ? -1 : Put(codePoint, buffer, p);
        }

        static bool IsHighSurrogate(char c) { return c >= 0xD800 && c <= 0xDBFF; }
        static bool IsLowSurrogate(char c) { return c >= 0xDC00 && c <= 0xDFFF; }
    }
}
