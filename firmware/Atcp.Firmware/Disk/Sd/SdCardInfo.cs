namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>Capacity class of a card (SD Physical Layer Simplified Specification v4.10, §3.3.2).</summary>
    public enum SdCardType
    {
        /// <summary>Standard Capacity, up to 2 GB, byte addressing, CSD version 1.0.</summary>
        Sdsc = 0,
        /// <summary>High Capacity, up to 32 GB, block addressing, CSD version 2.0.</summary>
        Sdhc = 1,
        /// <summary>Extended Capacity, up to 2 TB, block addressing, CSD version 2.0.</summary>
        Sdxc = 2,
    }

    /// <summary>What initialisation learnt about the card, for the serial console and for the
    /// driver's own choices (addressing, timeouts, clock). Built once per Initialize.</summary>
    public sealed class SdCardInfo
    {
        /// <summary>SDSC, SDHC or SDXC.</summary>
        public SdCardType Type;
        /// <summary>The card accepted CMD8: Physical Layer version 2.00 or later.</summary>
        public bool Version2;
        /// <summary>Commands address 512-byte blocks (CCS = 1); otherwise bytes.</summary>
        public bool BlockAddressing;
        /// <summary>1 or 2 (CSD_STRUCTURE + 1).</summary>
        public int CsdVersion;
        /// <summary>User area size in bytes.</summary>
        public long CapacityBytes;
        /// <summary>User area size in 512-byte blocks.</summary>
        public long BlockCount;
        /// <summary>Clock limit from TRAN_SPEED, in Hz.</summary>
        public int MaxClockHz;
        /// <summary>The CSD's permanent or temporary write protection is set.</summary>
        public bool WriteProtected;
        /// <summary>The OCR register (§5.1).</summary>
        public uint Ocr;
        /// <summary>CID manufacturer ID.</summary>
        public int ManufacturerId;
        /// <summary>CID OEM/application ID (2 characters).</summary>
        public string OemId;
        /// <summary>CID product name (5 characters).</summary>
        public string ProductName;
        /// <summary>CID product revision, BCD n.m.</summary>
        public int ProductRevision;
        /// <summary>CID product serial number.</summary>
        public uint SerialNumber;
        /// <summary>CID manufacturing year.</summary>
        public int ManufactureYear;
        /// <summary>CID manufacturing month (1-12).</summary>
        public int ManufactureMonth;
        /// <summary>The raw CSD register (16 bytes).</summary>
        public readonly byte[] Csd = new byte[SdRegisters.Length];
        /// <summary>The raw CID register (16 bytes).</summary>
        public readonly byte[] Cid = new byte[SdRegisters.Length];

        /// <summary>Fills the fields from the registers; false when the CSD structure is unknown.</summary>
        public bool Load(byte[] csd, byte[] cid, uint ocr, bool version2, bool blockAddressing)
        {
            System.Array.Copy(csd, 0, Csd, 0, SdRegisters.Length);
            System.Array.Copy(cid, 0, Cid, 0, SdRegisters.Length);
            Ocr = ocr;
            Version2 = version2;
            BlockAddressing = blockAddressing;
            int structure = SdRegisters.CsdStructure(csd, 0);
            CapacityBytes = SdRegisters.CapacityBytes(csd, 0);
            if (CapacityBytes <= 0) return false;
            CsdVersion = structure + 1;
            BlockCount = CapacityBytes / SdTiming.BlockLength;
            if (structure == 0) Type = SdCardType.Sdsc;
            else Type = SdRegisters.CsdV2DeviceSize(csd, 0) > 0xFF5F ? SdCardType.Sdxc : SdCardType.Sdhc;
            MaxClockHz = SdRegisters.MaxClockHz(csd, 0);
            WriteProtected = SdRegisters.IsWriteProtected(csd, 0);
            ManufacturerId = SdRegisters.ManufacturerId(cid, 0);
            OemId = SdRegisters.OemId(cid, 0);
            ProductName = SdRegisters.ProductName(cid, 0);
            ProductRevision = SdRegisters.ProductRevision(cid, 0);
            SerialNumber = SdRegisters.SerialNumber(cid, 0);
            ManufactureYear = SdRegisters.ManufactureYear(cid, 0);
            ManufactureMonth = SdRegisters.ManufactureMonth(cid, 0);
            return true;
        }

        /// <summary>"SDSC", "SDHC" or "SDXC" (enum names print as numbers on the board).</summary>
        public static string TypeName(SdCardType type)
        {
            if (type == SdCardType.Sdhc) return "SDHC";
            if (type == SdCardType.Sdxc) return "SDXC";
            return "SDSC";
        }

        /// <summary>One line for people, e.g. "SDHC 7580 MiB (15523840 blocks), CSD v2, manufacturer
        /// 0x03 'SD' product 'SU08G' rev 8.0, serial 0x1A2B3C4D, made 2015-06, max 25 MHz".</summary>
        public string Describe()
        {
            return TypeName(Type) + " " + (CapacityBytes >> 20).ToString() + " MiB (" + BlockCount.ToString()
                + " blocks), CSD v" + CsdVersion.ToString()
                + ", manufacturer 0x" + Hex(ManufacturerId, 2) + " '" + OemId + "' product '" + ProductName
                + "' rev " + (ProductRevision >> 4).ToString() + "." + (ProductRevision & 0xF).ToString()
                + ", serial 0x" + Hex((long)SerialNumber, 8)
                + ", made " + ManufactureYear.ToString() + "-" + (ManufactureMonth < 10 ? "0" : "") + ManufactureMonth.ToString()
                + ", max " + (MaxClockHz / 1000000).ToString() + " MHz"
                + (WriteProtected ? ", write-protected" : "");
        }

        /// <summary>Upper-case hexadecimal of value with the given number of digits.</summary>
        public static string Hex(long value, int digits)
        {
            const string alphabet = "0123456789ABCDEF";
            char[] chars = new char[digits];
            for (int i = digits - 1; i >= 0; i--)
            {
                chars[i] = alphabet[(int)(value & 0xF)];
                value >>= 4;
            }
            return new string(chars);
        }
    }
}
