namespace Atcp.Firmware.Cd
{
    /// <summary>File identifier handling: Joliet UCS-2/UTF-16 big-endian to and from UTF-8, version
    /// suffix trimming, comparison. Every method writes into caller buffers and allocates nothing,
    /// UTF-8 itself is Atcp.Wire.Utf8.</summary>
    public static class IsoNames
    {
        /// <summary>Written for a lone surrogate or a malformed UTF-8 sequence on output (U+FFFD).</summary>
        public const int ReplacementCharacter = 0xFFFD;

        /// <summary>Converts UCS-2 (or UTF-16) big-endian units to UTF-8, pairing surrogates; a lone
        /// surrogate becomes U+FFFD. Returns the bytes written, or -1 when dstCapacity is too small.
        /// An odd trailing byte is ignored.</summary>
        public static int Ucs2BeToUtf8(byte[] src, int offset, int length, byte[] dst, int dstOffset, int dstCapacity)
        {
            int end = offset + (length & ~1);
            int o = dstOffset;
            int limit = dstOffset + dstCapacity;
            for (int i = offset; i < end; i += 2)
            {
                int c = (src[i] << 8) | src[i + 1];
                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    int low = i + 3 < end ? (src[i + 2] << 8) | src[i + 3] : 0;
                    if (c <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF)
                    {
                        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                        i += 2;
                    }
                    else
                    {
                        c = ReplacementCharacter;
                    }
                }
                o = Atcp.Wire.Utf8.Put(c, dst, o, limit);
                if (o < 0) return -1;
            }
            return o - dstOffset;
        }

        /// <summary>Converts strict UTF-8 to UTF-16 big-endian units (surrogate pairs above U+FFFF).
        /// Returns the bytes written, or -1 for malformed UTF-8 (overlong forms, encoded surrogates,
        /// beyond U+10FFFF, cut sequences) or when dstCapacity is too small.</summary>
        public static int Utf8ToUcs2Be(byte[] src, int offset, int length, byte[] dst, int dstOffset, int dstCapacity)
        {
            int o = dstOffset;
            int limit = dstOffset + dstCapacity;
            int end = offset + length;
            int i = offset;
            while (i < end)
            {
                int c = Atcp.Wire.Utf8.TryDecode(src, i, end, out int used);
                if (c < 0) return -1;
                i += used;
                if (c >= 0x10000)
                {
                    if (o + 4 > limit) return -1;
                    c -= 0x10000;
                    int high = 0xD800 + (c >> 10);
                    int low = 0xDC00 + (c & 0x3FF);
                    dst[o] = (byte)(high >> 8);
                    dst[o + 1] = (byte)high;
                    dst[o + 2] = (byte)(low >> 8);
                    dst[o + 3] = (byte)low;
                    o += 4;
                }
                else
                {
                    if (o + 2 > limit) return -1;
                    dst[o] = (byte)(c >> 8);
                    dst[o + 1] = (byte)c;
                    o += 2;
                }
            }
            return o - dstOffset;
        }

        /// <summary>Length of an identifier without its ";version" suffix (a ';' and digits, 7.5.1)
        /// and then one trailing '.', counted in bytes. ucs2 selects 2-byte Joliet units.</summary>
        public static int TrimmedIdentifierLength(byte[] record, int idOffset, int idLength, bool ucs2)
        {
            int unit = ucs2 ? 2 : 1;
            int n = ucs2 ? idLength & ~1 : idLength;
            int p = n;
            while (p >= unit && IsDigitUnit(record, idOffset + p - unit, ucs2)) p -= unit;
            if (p < n && p >= unit && IsUnit(record, idOffset + p - unit, ';', ucs2)) n = p - unit;
            if (n > unit && IsUnit(record, idOffset + n - unit, '.', ucs2)) n -= unit;
            return n;
        }

        /// <summary>Compares an identifier with a key of the same encoding. With foldCase, a..z in the
        /// identifier compare as A..Z (the key must already be upper case).</summary>
        public static bool IdentifierEquals(byte[] record, int idOffset, int idLength, byte[] key, int keyLength, bool foldCase)
        {
            if (idLength != keyLength) return false;
            for (int i = 0; i < keyLength; i++)
            {
                int b = record[idOffset + i];
                if (foldCase && b >= 'a' && b <= 'z') b -= 32;
                if (b != key[i]) return false;
            }
            return true;
        }

        /// <summary>Copies a primary (d-character) name, upper-casing a..z, for case-insensitive
        /// lookups. Returns the bytes written or -1 when it does not fit.</summary>
        public static int CopyUpperAscii(byte[] src, int offset, int length, byte[] dst, int dstCapacity)
        {
            if (length > dstCapacity) return -1;
            for (int i = 0; i < length; i++)
            {
                int b = src[offset + i];
                if (b >= 'a' && b <= 'z') b -= 32;
                dst[i] = (byte)b;
            }
            return length;
        }

        /// <summary>Copies a primary name for display: ASCII as is, any byte above 0x7F (not a
        /// d-character) as '?', so the result is always valid UTF-8.</summary>
        public static int CopyPrimaryName(byte[] src, int offset, int length, byte[] dst, int dstCapacity)
        {
            if (length > dstCapacity) return -1;
            for (int i = 0; i < length; i++)
            {
                byte b = src[offset + i];
                dst[i] = b < 0x80 ? b : (byte)'?';
            }
            return length;
        }

        static bool IsUnit(byte[] b, int o, char c, bool ucs2)
        {
            return ucs2 ? b[o] == 0 && b[o + 1] == c : b[o] == c;
        }

        static bool IsDigitUnit(byte[] b, int o, bool ucs2)
        {
            int c = ucs2 ? (b[o] == 0 ? b[o + 1] : 0) : b[o];
            return c >= '0' && c <= '9';
        }
    }
}
