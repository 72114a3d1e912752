namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>Counters of one SdCard driver, for the serial console and for measuring the SPI
    /// traffic per payload byte. Fields are plain longs the driver increments (a property call per
    /// increment would cost interpreter time on the data path).</summary>
    public sealed class SdCardStatistics
    {
        /// <summary>SPI transactions (calls to the transport).</summary>
        public long SpiTransactions;
        /// <summary>Bytes clocked over SPI in both directions together (one byte = 8 clocks).</summary>
        public long SpiBytes;
        /// <summary>Command frames sent.</summary>
        public long Commands;
        /// <summary>Blocks delivered to callers (whole or partial).</summary>
        public long BlocksRead;
        /// <summary>Blocks the card accepted and programmed.</summary>
        public long BlocksWritten;
        /// <summary>Payload bytes handed to callers.</summary>
        public long PayloadBytesRead;
        /// <summary>Data blocks whose CRC16 did not verify, and writes the card rejected for CRC.</summary>
        public long CrcErrors;
        /// <summary>Operations repeated after a CRC error.</summary>
        public long Retries;
        /// <summary>Waits (response, token, busy) that ran out of time.</summary>
        public long Timeouts;
        /// <summary>Times the card was found absent or not answering.</summary>
        public long CardLost;

        /// <summary>Sets every counter to zero.</summary>
        public void Reset()
        {
            SpiTransactions = 0;
            SpiBytes = 0;
            Commands = 0;
            BlocksRead = 0;
            BlocksWritten = 0;
            PayloadBytesRead = 0;
            CrcErrors = 0;
            Retries = 0;
            Timeouts = 0;
            CardLost = 0;
        }
    }
}
