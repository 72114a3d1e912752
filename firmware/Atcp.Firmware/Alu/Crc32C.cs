namespace Atcp.Firmware.Alu
{
    /// <summary>CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final XOR
    /// 0xFFFFFFFF, as used by iSCSI (RFC 3720 section 12.1 and appendix B.4) and by the object store
    /// for payload and metadata checks. Table-driven, one byte per step, over a 256-entry table built
    /// once. Values passed in and out are finished CRCs (like zlib's crc32), so a CRC of a whole is
    /// Append(Append(0, first part), second part).</summary>
    public static class Crc32C
    {
        /// <summary>Reflected generator polynomial (RFC 3720 section 12.1).</summary>
        public const uint Polynomial = 0x82F63B78u;

        static readonly uint[] Table = BuildTable();

        static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
                table[i] = c;
            }
            return table;
        }

        /// <summary>CRC-32C of buffer[offset..offset+count).</summary>
        public static uint Compute(byte[] buffer, int offset, int count)
        {
            return Append(0, buffer, offset, count);
        }

        /// <summary>Extends the finished CRC of some bytes (0 for none) with buffer[offset..offset+count)
        /// and returns the finished CRC of the concatenation. Loops per byte: metadata blocks and the
        /// console/host write path only, never the board's streaming path.</summary>
        public static uint Append(uint crc, byte[] buffer, int offset, int count)
        {
            uint[] table = Table;
            uint c = ~crc;
            int end = offset + count;
            for (int i = offset; i < end; i++) c = table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
            return ~c;
        }
    }
}
