namespace Atcp.Wire.Atcp
{
    /// <summary>SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a
    /// 64-bit keyed MAC with a 128-bit key, 2 compression rounds per 8-byte word and 4 finalisation
    /// rounds. Chosen for ATCP tags because it needs only 64-bit add, xor and rotate (cheap on an
    /// ESP32 under nanoCLR, no tables, no allocation) and ATCP frames are short.</summary>
    public static class SipHash24
    {
        /// <summary>Output length in bytes; sent little-endian (the paper's byte order).</summary>
        public const int TagLength = 8;

        /// <summary>Key length in bytes.</summary>
        public const int KeyLength = 16;

        /// <summary>Reads one key half: key bytes [offset..offset+8) as a little-endian word
        /// (k0 = bytes 0..7, k1 = bytes 8..15, as the paper defines).</summary>
        public static ulong KeyHalf(byte[] key, int offset)
        {
            return LittleEndian.ReadUInt64(key, offset);
        }

        /// <summary>SipHash-2-4 of data[offset..offset+length) under the key (k0, k1).</summary>
        public static ulong Compute(ulong k0, ulong k1, byte[] data, int offset, int length)
        {
            // Initialisation constants: "somepseudorandomlygeneratedbytes" (paper section 2.2).
            ulong v0 = 0x736f6d6570736575UL ^ k0;
            ulong v1 = 0x646f72616e646f6dUL ^ k1;
            ulong v2 = 0x6c7967656e657261UL ^ k0;
            ulong v3 = 0x7465646279746573UL ^ k1;

            int end = offset + (length & ~7);
            for (int i = offset; i < end; i += 8)
            {
                // Inlined little-endian load: method calls are costly under nanoCLR's interpreter.
                uint lo = (uint)data[i] | ((uint)data[i + 1] << 8) | ((uint)data[i + 2] << 16) | ((uint)data[i + 3] << 24);
                uint hi = (uint)data[i + 4] | ((uint)data[i + 5] << 8) | ((uint)data[i + 6] << 16) | ((uint)data[i + 7] << 24);
                ulong m = ((ulong)hi << 32) | lo;
                v3 ^= m;
                for (int r = 0; r < 2; r++)
                {
                    v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32);
                    v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;
                    v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;
                    v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32);
                }
                v0 ^= m;
            }

            // Last word: the remaining 0..7 bytes little-endian, the length mod 256 in the top byte.
            ulong b = (ulong)(length & 0xFF) << 56;
            int rest = length & 7;
            for (int j = 0; j < rest; j++) b |= (ulong)data[end + j] << (8 * j);

            v3 ^= b;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32);
                v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;
                v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;
                v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32);
            }
            v0 ^= b;

            v2 ^= 0xFF;
            for (int r = 0; r < 4; r++)
            {
                v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32);
                v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;
                v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;
                v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32);
            }
            return v0 ^ v1 ^ v2 ^ v3;
        }

        /// <summary>True when the 8 bytes at tag[offset..offset+8) are the little-endian encoding
        /// of expected. Every byte is compared whatever the earlier bytes were (no early exit), so
        /// the time taken does not reveal how many leading bytes of a forged tag were right.</summary>
        public static bool TagEquals(ulong expected, byte[] tag, int offset)
        {
            int diff = 0;
            for (int i = 0; i < TagLength; i++)
            {
                diff |= tag[offset + i] ^ (int)((expected >> (8 * i)) & 0xFF);
            }
            return diff == 0;
        }
    }
}
