namespace Atcp.Firmware.Hal
{
    /// <summary>A block device that also reads byte ranges and keeps a sequential read going between
    /// calls (an SD card's multiple block read): a read that starts where the previous one ended costs
    /// no command and clocks no block twice. The data path (object payloads, CD files) reads through
    /// it when the device offers it.</summary>
    public interface IStreamingBlockDevice : IBlockDevice
    {
        /// <summary>Reads count bytes starting at byte skip (0..BlockSize-1) of block into
        /// buffer[offset..]; the range may span many blocks.</summary>
        BlockStatus ReadBytes(long block, int skip, byte[] buffer, int offset, int count);
    }
}
