namespace Atcp.Wire.Atcp
{
    /// <summary>UTF-8 conversion for the strings messages carry as bytes (names, labels, content
    /// types, ETags). Boards keep and compare the bytes; these conversions are for people and
    /// host code (they allocate and loop per character). Written here because nanoFramework's
    /// mscorlib has no System.Text.Encoding (it lives in a separate package).</summary>
    public static class AtcpText
    {
        /// <summary>The Unicode replacement character, produced for malformed UTF-8.</summary>
        public const char Replacement = '\uFFFD';

        /// <summary>Bytes the UTF-8 encoding of text takes (a lone surrogate counts as U+FFFD, 3 bytes).</summary>
        public static int EncodedLength(string text)
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

        /// <summary>Writes text as UTF-8 at buffer[offset..]; returns the bytes written
        /// (<see cref="EncodedLength"/>). The caller checks the room first.</summary>
        public static int Encode(string text, byte[] buffer, int offset)
        {
            int p = offset;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (IsHighSurrogate((char)c) && i + 1 < text.Length && IsLowSurrogate(text[i + 1]))
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    c = Replacement;
                }

                if (c < 0x80) buffer[p++] = (byte)c;
                else if (c < 0x800)
                {
                    buffer[p++] = (byte)(0xC0 | (c >> 6));
                    buffer[p++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c < 0x10000)
                {
                    buffer[p++] = (byte)(0xE0 | (c >> 12));
                    buffer[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[p++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    buffer[p++] = (byte)(0xF0 | (c >> 18));
                    buffer[p++] = (byte)(0x80 | ((c >> 12) & 0x3F));
                    buffer[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buffer[p++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            return p - offset;
        }

        /// <summary>Decodes buffer[offset..offset+length) as UTF-8; each malformed, overlong or
        /// truncated sequence becomes U+FFFD (one per offending lead byte).</summary>
        public static string Decode(byte[] buffer, int offset, int length)
        {
            char[] chars = new char[length];
            int n = 0;
            int end = offset + length;
            int i = offset;
            while (i < end)
            {
                int b = buffer[i];
                int need;
                int cp;
                int min;
                if (b < 0x80) { chars[n++] = (char)b; i++; continue; }
                if ((b & 0xE0) == 0xC0) { need = 1; cp = b & 0x1F; min = 0x80; }
                else if ((b & 0xF0) == 0xE0) { need = 2; cp = b & 0x0F; min = 0x800; }
                else if ((b & 0xF8) == 0xF0) { need = 3; cp = b & 0x07; min = 0x10000; }
                else { chars[n++] = Replacement; i++; continue; }

                bool ok = i + need < end;
                for (int k = 1; ok && k <= need; k++)
                {
                    int cb = buffer[i + k];
                    if ((cb & 0xC0) != 0x80) ok = false;
                    else cp = (cp << 6) | (cb & 0x3F);
                }
                if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    chars[n++] = Replacement;
                    i++;
                    continue;
                }
                i += need + 1;
                if (cp < 0x10000) chars[n++] = (char)cp;
                else
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
            }
            return new string(chars, 0, n);
        }

        static bool IsHighSurrogate(char c) { return c >= 0xD800 && c <= 0xDBFF; }

        static bool IsLowSurrogate(char c) { return c >= 0xDC00 && c <= 0xDFFF; }
    }
}
