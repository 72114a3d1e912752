namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>The two CRCs of the SD bus (SD Physical Layer Simplified Specification v4.10, §4.5):
    /// CRC7 (G(x) = x^7 + x^3 + 1) protects command frames and the CID/CSD registers; CRC16-CCITT
    /// (G(x) = x^16 + x^12 + x^5 + 1, initial value 0) protects data blocks (§7.2.3). Both are
    /// table-driven, one lookup per byte.</summary>
    public static class SdCrc
    {
        // CRC7 kept left-aligned in a byte (crc7 << 1) so one lookup handles a whole byte:
        // register = Crc7Table[register ^ dataByte]. The polynomial left-aligned is 0x12.
        static readonly byte[] Crc7Table = BuildCrc7Table();
        static readonly ushort[] Crc16Table = BuildCrc16Table();

        static byte[] BuildCrc7Table()
        {
            byte[] table = new byte[256];
            for (int i = 0; i < 256; i++)
            {
                int register = i;
                for (int bit = 0; bit < 8; bit++)
                {
                    register = (register & 0x80) != 0 ? (register << 1) ^ 0x12 : register << 1;
                }
                table[i] = (byte)(register & 0xFE);
            }
            return table;
        }

        static ushort[] BuildCrc16Table()
        {
            ushort[] table = new ushort[256];
            for (int i = 0; i < 256; i++)
            {
                int register = i << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    register = (register & 0x8000) != 0 ? (register << 1) ^ 0x1021 : register << 1;
                }
                table[i] = (ushort)register;
            }
            return table;
        }

        /// <summary>CRC7 of buffer[offset..offset+length), as the 7-bit value (0..127).</summary>
        public static int Crc7(byte[] buffer, int offset, int length)
        {
            byte[] table = Crc7Table;
            int register = 0;
            int end = offset + length;
            for (int i = offset; i < end; i++) register = table[register ^ buffer[i]];
            return register >> 1;
        }

        /// <summary>CRC16-CCITT of buffer[offset..offset+length) continuing from crc (0 to start).
        /// This loop is the only place the SD driver touches payload bytes one by one; it is unrolled
        /// by four because nanoCLR pays per IL instruction, loop bookkeeping included.</summary>
        public static int Crc16(byte[] buffer, int offset, int length, int crc)
        {
            ushort[] table = Crc16Table;
            int c = crc & 0xFFFF;
            int i = offset;
            int end = offset + length;
            int end4 = end - 3;
            while (i < end4)
            {
                c = ((c << 8) ^ table[(c >> 8) ^ buffer[i]]) & 0xFFFF;
                c = ((c << 8) ^ table[(c >> 8) ^ buffer[i + 1]]) & 0xFFFF;
                c = ((c << 8) ^ table[(c >> 8) ^ buffer[i + 2]]) & 0xFFFF;
                c = ((c << 8) ^ table[(c >> 8) ^ buffer[i + 3]]) & 0xFFFF;
                i += 4;
            }
            while (i < end)
            {
                c = ((c << 8) ^ table[(c >> 8) ^ buffer[i]]) & 0xFFFF;
                i++;
            }
            return c;
        }
    }
}
