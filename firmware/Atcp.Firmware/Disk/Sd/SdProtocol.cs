namespace Atcp.Firmware.Disk.Sd
{
    // Section numbers refer to the SD Physical Layer Simplified Specification, Version 4.10.

    /// <summary>Command indices the driver sends in SPI mode (§7.3.1.3, Table 7-3; ACMD41 in
    /// Table 7-4). The frame is 0x40 | index, a 32-bit argument MSB first, then CRC7 and an end bit
    /// (§7.3.1.1).</summary>
    public enum SdCommand : byte
    {
        /// <summary>CMD0 GO_IDLE_STATE: software reset; with CS low it selects SPI mode (§7.2.1).</summary>
        GoIdleState = 0,
        /// <summary>CMD8 SEND_IF_COND: voltage and check pattern, R7 (§4.3.13, §7.3.2.6).</summary>
        SendIfCond = 8,
        /// <summary>CMD9 SEND_CSD: the CSD register as a 16-byte data block (§7.2.6).</summary>
        SendCsd = 9,
        /// <summary>CMD10 SEND_CID: the CID register as a 16-byte data block (§7.2.6).</summary>
        SendCid = 10,
        /// <summary>CMD12 STOP_TRANSMISSION: ends a multiple block read, R1b (§7.2.3).</summary>
        StopTransmission = 12,
        /// <summary>CMD13 SEND_STATUS: R2, the card status after an error (§7.3.2.3).</summary>
        SendStatus = 13,
        /// <summary>CMD16 SET_BLOCKLEN: block length of a standard capacity card (§7.2.3).</summary>
        SetBlockLen = 16,
        /// <summary>CMD17 READ_SINGLE_BLOCK.</summary>
        ReadSingleBlock = 17,
        /// <summary>CMD18 READ_MULTIPLE_BLOCK, ended by CMD12.</summary>
        ReadMultipleBlock = 18,
        /// <summary>CMD24 WRITE_BLOCK.</summary>
        WriteBlock = 24,
        /// <summary>CMD25 WRITE_MULTIPLE_BLOCK, ended by the Stop Tran token.</summary>
        WriteMultipleBlock = 25,
        /// <summary>ACMD41 SD_SEND_OP_COND (after CMD55): starts initialisation; HCS in bit 30.</summary>
        SdSendOpCond = 41,
        /// <summary>CMD55 APP_CMD: the next command is an application command.</summary>
        AppCmd = 55,
        /// <summary>CMD58 READ_OCR: R3 with the OCR, whose CCS bit tells the addressing (§5.1).</summary>
        ReadOcr = 58,
        /// <summary>CMD59 CRC_ON_OFF: bit 0 of the argument turns CRC checking on (§7.2.2).</summary>
        CrcOnOff = 59,
    }

    /// <summary>Bits of the R1 response byte (§7.3.2.1). Bit 7 is always 0, which is how the host
    /// tells a response from the 0xFF of an idle line.</summary>
    public static class SdR1
    {
        /// <summary>The card is in the idle state, running its initialisation.</summary>
        public const int InIdleState = 0x01;
        /// <summary>An erase sequence was cleared before executing.</summary>
        public const int EraseReset = 0x02;
        /// <summary>Illegal command code for the card's state (CMD8 on a version 1 card).</summary>
        public const int IllegalCommand = 0x04;
        /// <summary>The CRC7 of the last command failed.</summary>
        public const int CommandCrcError = 0x08;
        /// <summary>An error in the sequence of erase commands.</summary>
        public const int EraseSequenceError = 0x10;
        /// <summary>A misaligned address.</summary>
        public const int AddressError = 0x20;
        /// <summary>The argument (address, block length) was outside the allowed range.</summary>
        public const int ParameterError = 0x40;
    }

    /// <summary>Bits of the second byte of the R2 response to CMD13 (§7.3.2.3).</summary>
    public static class SdR2
    {
        /// <summary>The card is locked.</summary>
        public const int CardIsLocked = 0x01;
        /// <summary>Write protect erase skip, or lock/unlock command failed.</summary>
        public const int WpEraseSkip = 0x02;
        /// <summary>A general or unknown error.</summary>
        public const int Error = 0x04;
        /// <summary>Internal card controller error.</summary>
        public const int CcError = 0x08;
        /// <summary>The card's internal ECC could not correct the data.</summary>
        public const int CardEccFailed = 0x10;
        /// <summary>A write to a write-protected block.</summary>
        public const int WpViolation = 0x20;
        /// <summary>An invalid erase selection.</summary>
        public const int EraseParam = 0x40;
        /// <summary>Argument out of range, or CSD overwrite.</summary>
        public const int OutOfRange = 0x80;
    }

    /// <summary>Tokens around data blocks (§7.3.3).</summary>
    public static class SdToken
    {
        /// <summary>Start Block token of CMD17, CMD18, CMD24 and register reads (§7.3.3.2).</summary>
        public const byte StartBlock = 0xFE;
        /// <summary>Start Block token of each block of CMD25 (§7.3.3.2).</summary>
        public const byte StartBlockMultipleWrite = 0xFC;
        /// <summary>Stop Tran token that ends CMD25 (§7.3.3.2).</summary>
        public const byte StopTran = 0xFD;
        /// <summary>Mask of the data response token 'xxx0sss1' (§7.3.3.1).</summary>
        public const int DataResponseMask = 0x1F;
        /// <summary>Data response: data accepted ('010').</summary>
        public const int DataAccepted = 0x05;
        /// <summary>Data response: rejected, CRC error ('101').</summary>
        public const int DataCrcError = 0x0B;
        /// <summary>Data response: rejected, write error ('110').</summary>
        public const int DataWriteError = 0x0D;
        /// <summary>A data error token has its upper nibble clear (§7.3.3.3).</summary>
        public const int DataErrorMask = 0xF0;
        /// <summary>Data error token: general error.</summary>
        public const int DataErrorError = 0x01;
        /// <summary>Data error token: card controller error.</summary>
        public const int DataErrorCcError = 0x02;
        /// <summary>Data error token: card ECC failed.</summary>
        public const int DataErrorEccFailed = 0x04;
        /// <summary>Data error token: address out of range.</summary>
        public const int DataErrorOutOfRange = 0x08;
    }

    /// <summary>Timeouts and counts from the specification, in milliseconds or bytes (8 clocks).</summary>
    public static class SdTiming
    {
        /// <summary>Clock bytes with CS high before the first command: 10 bytes = 80 clocks, at least
        /// 74 being required after power-up (§6.4.1.1).</summary>
        public const int PowerUpClockBytes = 10;
        /// <summary>Clock while identifying the card: identification mode allows at most 400 kHz
        /// (fOD, §6.7).</summary>
        public const int InitClockHz = 400000;
        /// <summary>Default-speed maximum clock, TRAN_SPEED 0x32 (§5.3.2).</summary>
        public const int DefaultMaxClockHz = 25000000;
        /// <summary>ACMD41 initialisation must complete within 1 second (§4.2.3).</summary>
        public const int InitTimeoutMs = 1000;
        /// <summary>Read access timeout, fixed for SDHC/SDXC and the upper bound for SDSC (§4.6.2.1).</summary>
        public const int ReadTimeoutMs = 100;
        /// <summary>Write busy timeout for SDSC and SDHC (§4.6.2.2).</summary>
        public const int WriteTimeoutMs = 250;
        /// <summary>Write busy timeout for SDXC (§4.6.2.2).</summary>
        public const int WriteTimeoutSdxcMs = 500;
        /// <summary>NCR: the response comes 1 to 8 bytes after the command (§7.5.4); we scan a
        /// few more to tolerate the stuff byte after CMD12.</summary>
        public const int MaxResponseScanBytes = 10;
        /// <summary>Data block length used in every transfer.</summary>
        public const int BlockLength = 512;
    }
}
