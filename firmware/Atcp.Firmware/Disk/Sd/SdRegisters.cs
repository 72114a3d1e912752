namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>Field access to the 128-bit CSD and CID registers as the card sends them: 16 bytes,
    /// bit 127 first (SD Physical Layer Simplified Specification v4.10, §5.2 CID, §5.3 CSD). Bit
    /// positions below are the specification's. Control path only: it loops per bit.</summary>
    public static class SdRegisters
    {
        /// <summary>Register length in bytes (the CRC7 and end bit are the last byte).</summary>
        public const int Length = 16;

        /// <summary>Reads bits msb..lsb (inclusive, msb >= lsb, at most 32 bits) of the register at
        /// register[offset..offset+16).</summary>
        public static uint GetBits(byte[] register, int offset, int msb, int lsb)
        {
            uint value = 0;
            for (int bit = msb; bit >= lsb; bit--)
            {
                int b = register[offset + 15 - (bit >> 3)];
                value = (value << 1) | (uint)((b >> (bit & 7)) & 1);
            }
            return value;
        }

        /// <summary>CSD_STRUCTURE [127:126]: 0 for CSD version 1.0 (SDSC), 1 for version 2.0
        /// (SDHC/SDXC, §5.3.3).</summary>
        public static int CsdStructure(byte[] csd, int offset) { return (int)GetBits(csd, offset, 127, 126); }

        /// <summary>Device capacity in bytes, or -1 for a CSD structure this driver does not know.
        /// Version 1.0 (§5.3.2): (C_SIZE+1) * 2^(C_SIZE_MULT+2) * 2^READ_BL_LEN. Version 2.0 (§5.3.3):
        /// (C_SIZE+1) * 512 KiB.</summary>
        public static long CapacityBytes(byte[] csd, int offset)
        {
            int structure = CsdStructure(csd, offset);
            if (structure == 0)
            {
                long cSize = GetBits(csd, offset, 73, 62);
                int mult = (int)GetBits(csd, offset, 49, 47);
                int readBlLen = (int)GetBits(csd, offset, 83, 80);
                return (cSize + 1) << (mult + 2 + readBlLen);
            }
            if (structure == 1)
            {
                long cSize = GetBits(csd, offset, 69, 48);
                return (cSize + 1) << 19;
            }
            return -1;
        }

        /// <summary>C_SIZE of a version 2.0 CSD; above 0xFF5F the card is SDXC (§5.3.3).</summary>
        public static long CsdV2DeviceSize(byte[] csd, int offset) { return GetBits(csd, offset, 69, 48); }

        /// <summary>PERM_WRITE_PROTECT [13] or TMP_WRITE_PROTECT [12] is set (§5.3.2).</summary>
        public static bool IsWriteProtected(byte[] csd, int offset) { return GetBits(csd, offset, 13, 12) != 0; }

        // TRAN_SPEED time values times ten, index = bits [6:3] (§5.3.2, Table 5-6).
        static readonly int[] TranSpeedValues = new int[] { 0, 10, 12, 13, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80 };

        /// <summary>TRAN_SPEED [103:96] in bits per second (0x32 = 25 MHz, 0x5A = 50 MHz), or 0 when
        /// reserved.</summary>
        public static int MaxClockHz(byte[] csd, int offset)
        {
            int tranSpeed = (int)GetBits(csd, offset, 103, 96);
            int unit = tranSpeed & 7;
            int value = TranSpeedValues[(tranSpeed >> 3) & 0xF];
            if (unit > 3 || value == 0) return 0;
            int unitPerTenth = 10000; // 100 kbit/s divided by the 10 the values are scaled by
            for (int i = 0; i < unit; i++) unitPerTenth *= 10;
            return value * unitPerTenth;
        }

        /// <summary>True when the last byte holds the CRC7 of the first 15 and an end bit of 1.</summary>
        public static bool HasValidCrc(byte[] register, int offset)
        {
            int last = register[offset + 15];
            return (last & 1) == 1 && (last >> 1) == SdCrc.Crc7(register, offset, 15);
        }

        /// <summary>CID: manufacturer ID MID [127:120].</summary>
        public static int ManufacturerId(byte[] cid, int offset) { return cid[offset]; }

        /// <summary>CID: OEM/application ID OID [119:104], two ASCII characters.</summary>
        public static string OemId(byte[] cid, int offset) { return Ascii(cid, offset + 1, 2); }

        /// <summary>CID: product name PNM [103:64], five ASCII characters.</summary>
        public static string ProductName(byte[] cid, int offset) { return Ascii(cid, offset + 3, 5); }

        /// <summary>CID: product revision PRV [63:56], BCD n.m.</summary>
        public static int ProductRevision(byte[] cid, int offset) { return cid[offset + 8]; }

        /// <summary>CID: product serial number PSN [55:24].</summary>
        public static uint SerialNumber(byte[] cid, int offset) { return GetBits(cid, offset, 55, 24); }

        /// <summary>CID: manufacturing year from MDT [19:12] (offset from 2000).</summary>
        public static int ManufactureYear(byte[] cid, int offset) { return 2000 + (int)GetBits(cid, offset, 19, 12); }

        /// <summary>CID: manufacturing month from MDT [11:8] (1-12).</summary>
        public static int ManufactureMonth(byte[] cid, int offset) { return (int)GetBits(cid, offset, 11, 8); }

        static string Ascii(byte[] buffer, int offset, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                int c = buffer[offset + i];
                chars[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
            }
            return new string(chars);
        }
    }
}
