namespace Atcp.Emulation.SdCard;

/// <summary>Builds the model's CSD and CID (SD Physical Layer Simplified Specification v4.10, §5.2,
/// §5.3.2, §5.3.3) and its own bitwise CRCs, written independently of the firmware's table-driven
/// ones so that each checks the other.</summary>
static class SdCardRegisters
{
    /// <summary>Writes value into bits msb..lsb of a 16-byte register (bit 127 = MSB of byte 0).</summary>
    public static void SetBits(byte[] register, int msb, int lsb, long value)
    {
        for (int bit = lsb; bit <= msb; bit++)
        {
            int index = 15 - (bit >> 3);
            int mask = 1 << (bit & 7);
            if (((value >> (bit - lsb)) & 1) != 0) register[index] |= (byte)mask;
            else register[index] &= (byte)~mask;
        }
    }

    /// <summary>A version 1.0 CSD: capacity (cSize+1) * 2^(mult+2) * 2^readBlLen bytes.</summary>
    public static byte[] CsdVersion1(int readBlLen, int cSize, int cSizeMult, bool writeProtected)
    {
        var r = new byte[16];
        SetBits(r, 127, 126, 0);
        SetBits(r, 119, 112, 0x0E);      // TAAC 1.0 ms
        SetBits(r, 111, 104, 0x00);      // NSAC
        SetBits(r, 103, 96, 0x32);       // TRAN_SPEED 25 MHz
        SetBits(r, 95, 84, 0x5B5);       // CCC: classes 0, 2, 4, 5, 7, 8, 10
        SetBits(r, 83, 80, readBlLen);
        SetBits(r, 79, 79, 1);           // READ_BL_PARTIAL
        SetBits(r, 73, 62, cSize);
        SetBits(r, 61, 50, 0xFFF);       // VDD currents: maximum classes
        SetBits(r, 49, 47, cSizeMult);
        SetBits(r, 46, 46, 1);           // ERASE_BLK_EN
        SetBits(r, 45, 39, 0x7F);        // SECTOR_SIZE
        SetBits(r, 28, 26, 2);           // R2W_FACTOR x4
        SetBits(r, 25, 22, readBlLen);   // WRITE_BL_LEN
        SetBits(r, 12, 12, writeProtected ? 1 : 0); // TMP_WRITE_PROTECT
        FinishCrc(r);
        return r;
    }

    /// <summary>A version 2.0 CSD: capacity (cSize+1) * 512 KiB.</summary>
    public static byte[] CsdVersion2(long cSize, bool writeProtected)
    {
        var r = new byte[16];
        SetBits(r, 127, 126, 1);
        SetBits(r, 119, 112, 0x0E);
        SetBits(r, 111, 104, 0x00);
        SetBits(r, 103, 96, 0x32);
        SetBits(r, 95, 84, 0x5B5);
        SetBits(r, 83, 80, 9);
        SetBits(r, 69, 48, cSize);
        SetBits(r, 46, 46, 1);
        SetBits(r, 45, 39, 0x7F);
        SetBits(r, 28, 26, 2);
        SetBits(r, 25, 22, 9);
        SetBits(r, 12, 12, writeProtected ? 1 : 0);
        FinishCrc(r);
        return r;
    }

    /// <summary>A CID from its fields (§5.2).</summary>
    public static byte[] Cid(int manufacturerId, string oemId, string productName, int revision, uint serial, int year, int month)
    {
        var r = new byte[16];
        SetBits(r, 127, 120, manufacturerId);
        for (int i = 0; i < 2; i++) r[1 + i] = (byte)(i < oemId.Length ? oemId[i] : ' ');
        for (int i = 0; i < 5; i++) r[3 + i] = (byte)(i < productName.Length ? productName[i] : ' ');
        SetBits(r, 63, 56, revision);
        SetBits(r, 55, 24, serial);
        SetBits(r, 19, 12, year - 2000);
        SetBits(r, 11, 8, month);
        FinishCrc(r);
        return r;
    }

    static void FinishCrc(byte[] register) => register[15] = (byte)((Crc7(register, 0, 15) << 1) | 1);

    /// <summary>CRC7, G(x) = x^7 + x^3 + 1, bit by bit (§4.5).</summary>
    public static int Crc7(ReadOnlySpan<byte> data, int offset, int length)
    {
        int crc = 0;
        for (int i = offset; i < offset + length; i++)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                int input = (data[i] >> bit) & 1;
                int feedback = ((crc >> 6) & 1) ^ input;
                crc = (crc << 1) & 0x7F;
                if (feedback != 0) crc ^= 0x09;
            }
        }
        return crc;
    }

    /// <summary>CRC16-CCITT, G(x) = x^16 + x^12 + x^5 + 1, initial 0 (§4.5). Uses a table whose
    /// entries come from <see cref="Crc16Bitwise"/> on each single byte value.</summary>
    public static int Crc16(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data) crc = ((crc << 8) ^ Crc16Table[(crc >> 8) ^ b]) & 0xFFFF;
        return crc;
    }

    static readonly int[] Crc16Table = Enumerable.Range(0, 256).Select(i => Crc16Bitwise([(byte)i])).ToArray();

    /// <summary>CRC16-CCITT bit by bit: the definition the table is built from.</summary>
    public static int Crc16Bitwise(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                int feedback = ((crc >> 15) & 1) ^ ((b >> bit) & 1);
                crc = (crc << 1) & 0xFFFF;
                if (feedback != 0) crc ^= 0x1021;
            }
        }
        return crc;
    }
}
