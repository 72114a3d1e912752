namespace Atcp.Firmware.Hal
{
    /// <summary>Outcome of a block device operation. Every failure is reported, never thrown, so
    /// the caller can answer the front-end with a status and keep serving other streams.</summary>
    public enum BlockStatus
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>No card in the slot, or it was removed.</summary>
        NoCard = 1,
        /// <summary>The card did not answer within the time the SD specification allows.</summary>
        Timeout = 2,
        /// <summary>A data CRC did not verify (after retries).</summary>
        CrcError = 3,
        /// <summary>A block number beyond the end of the medium.</summary>
        OutOfRange = 4,
        /// <summary>The medium is read-only (write protect, or a CD).</summary>
        ReadOnly = 5,
        /// <summary>The card reported an error (R1 error bits or a data error token).</summary>
        DeviceError = 6,
        /// <summary>The device has not been initialised, or initialisation failed.</summary>
        NotReady = 7,
    }

    /// <summary>A medium of fixed-size blocks (an SD card, an .iso image as a CD, a RAM disk in tests).
    /// Block numbers are 0-based; sizes are in bytes.</summary>
    public interface IBlockDevice
    {
        /// <summary>Bytes per block (512 for SD cards).</summary>
        int BlockSize { get; }

        /// <summary>Number of blocks on the medium.</summary>
        long BlockCount { get; }

        /// <summary>True when writes are refused.</summary>
        bool IsReadOnly { get; }

        /// <summary>Reads count whole blocks starting at block into buffer[offset..].</summary>
        BlockStatus Read(long block, int count, byte[] buffer, int offset);

        /// <summary>Writes count whole blocks starting at block from buffer[offset..]. When this
        /// returns Ok the data is on the medium (a power cut afterwards keeps it).</summary>
        BlockStatus Write(long block, int count, byte[] buffer, int offset);
    }
}
