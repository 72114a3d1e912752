namespace Atcp.Firmware.Store
{
    /// <summary>UTF-8 conversion for names and labels (RFC 3629). nanoFramework.CoreLibrary's mscorlib
    /// has no System.Text.Encoding (it ships in a separate package), so the store carries its own.
    /// Console and host paths only: these loop per character.</summary>
    public static class Utf8
    {
        /// <summary>UTF-8 bytes of s; unpaired surrogates become U+FFFD.</summary>
        public static byte[] GetBytes(string s)
        {
            int count = 0;
            for (int i = 0; i < s.Length; i++)
            {
                int cp = CodePointAt(s, ref i);
                count += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            }
            byte[] bytes = new byte[count];
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                int cp = CodePointAt(s, ref i);
                if (cp < 0x80)
                {
                    bytes[n++] = (byte)cp;
                }
                else if (cp < 0x800)
                {
                    bytes[n++] = (byte)(0xC0 | (cp >> 6));
                    bytes[n++] = (byte)(0x80 | (cp & 0x3F));
                }
                else if (cp < 0x10000)
                {
                    bytes[n++] = (byte)(0xE0 | (cp >> 12));
                    bytes[n++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[n++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    bytes[n++] = (byte)(0xF0 | (cp >> 18));
                    bytes[n++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    bytes[n++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[n++] = (byte)(0x80 | (cp & 0x3F));
                }
            }
            return bytes;
        }

        static int CodePointAt(string s, ref int i)
        {
            int c = s[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.Length)
            {
                int d = s[i + 1];
                if (d >= 0xDC00 && d <= 0xDFFF)
                {
                    i++;
                    return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                }
            }
            if (c >= 0xD800 && c <= 0xDFFF) return 0xFFFD;
            return c;
        }

        /// <summary>Length of the well-formed UTF-8 sequence starting at bytes[i] (at most end - i
        /// bytes available), or 0 when it is malformed, overlong, a surrogate or above U+10FFFF.</summary>
        static int SequenceLength(byte[] bytes, int i, int end, out int codePoint)
        {
            int b = bytes[i];
            codePoint = b;
            if (b < 0x80) return 1;
            int length;
            int min;
            if (b >= 0xC2 && b <= 0xDF) { length = 2; codePoint = b & 0x1F; min = 0x80; }
            else if (b >= 0xE0 && b <= 0xEF) { length = 3; codePoint = b & 0x0F; min = 0x800; }
            else if (b >= 0xF0 && b <= 0xF4) { length = 4; codePoint = b & 0x07; min = 0x10000; }
            else return 0;
            if (end - i < length) return 0;
            for (int k = 1; k < length; k++)
            {
                int c = bytes[i + k];
                if ((c & 0xC0) != 0x80) return 0;
                codePoint = (codePoint << 6) | (c & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) return 0;
            return length;
        }

        /// <summary>True when bytes[offset..offset+count) is well-formed UTF-8.</summary>
        public static bool IsValid(byte[] bytes, int offset, int count)
        {
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int n = SequenceLength(bytes, i, end, out _);
                if (n == 0) return false;
                i += n;
            }
            return true;
        }

        /// <summary>Decodes bytes[offset..offset+count); malformed bytes become U+FFFD.</summary>
        public static string GetString(byte[] bytes, int offset, int count)
        {
            char[] chars = new char[count * 2];
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int cp;
                int len = SequenceLength(bytes, i, end, out cp);
                if (len == 0) { cp = 0xFFFD; len = 1; }
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }
                i += len;
            }
            return new string(chars, 0, n);
        }
    }
}
