using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Cd
{
    public sealed partial class IsoVolume
    {
        /// <summary>Reads count bytes of a file from byte offset into buffer[bufferOffset..]. On an
        /// <see cref="IStreamingBlockDevice"/> that is one byte-range read; otherwise whole device
        /// blocks go straight into the caller's buffer in one device call and only a partial first and
        /// last block pass through the sector buffer. The range must lie inside the file
        /// (<see cref="IsoStatus.OutOfRange"/> otherwise). Allocates nothing.</summary>
        public IsoStatus ReadRange(IsoEntry file, long offset, byte[] buffer, int bufferOffset, int count)
        {
            if (!IsMounted) return IsoStatus.NotMounted;
            if (file == null || buffer == null || offset < 0 || bufferOffset < 0 || count < 0
                || count > buffer.Length - bufferOffset)
                return IsoStatus.InvalidArgument;
            if (file.IsDirectory) return Fail(IsoStatus.IsADirectory, file.DataSector);
            if (!file.IsReadable) return Fail(IsoStatus.UnsupportedFileLayout, file.DataSector);
            if (offset > file.Size - count) return Fail(IsoStatus.OutOfRange, file.DataSector + offset / SectorSize);
            if (count == 0) return IsoStatus.Ok;

            long position = file.DataSector * SectorSize + offset;
            long block = position / deviceBlockSize;
            int skip = (int)(position - block * deviceBlockSize);
            // A streaming device (the SD card) reads the range in one call and keeps its multiple
            // block read open for the next segment: no block is clocked twice.
            IStreamingBlockDevice streaming = device as IStreamingBlockDevice;
            if (streaming != null)
            {
                BlockStatus read = streaming.ReadBytes(block, skip, buffer, bufferOffset, count);
                LastBlockStatus = read;
                if (read == BlockStatus.Ok) return IsoStatus.Ok;
                return Fail(read == BlockStatus.OutOfRange ? IsoStatus.Truncated : IsoStatus.IoError, block / blocksPerSector);
            }
            IsoStatus status;
            if (skip != 0)
            {
                int head = deviceBlockSize - skip;
                if (head > count) head = count;
                status = ReadBlocks(block, 1, sector, 0);
                if (status != IsoStatus.Ok) return status;
                System.Array.Copy(sector, skip, buffer, bufferOffset, head);
                bufferOffset += head;
                count -= head;
                block++;
            }
            if (count >= deviceBlockSize)
            {
                int blocks = count / deviceBlockSize;
                status = ReadBlocks(block, blocks, buffer, bufferOffset);
                if (status != IsoStatus.Ok) return status;
                int bytes = blocks * deviceBlockSize;
                bufferOffset += bytes;
                count -= bytes;
                block += blocks;
            }
            if (count > 0)
            {
                status = ReadBlocks(block, 1, sector, 0);
                if (status != IsoStatus.Ok) return status;
                System.Array.Copy(sector, 0, buffer, bufferOffset, count);
            }
            return IsoStatus.Ok;
        }

        IsoStatus ReadBlocks(long block, int count, byte[] destination, int offset)
        {
            // A partial block in the sector buffer replaces whatever directory sector was cached.
            if (destination == sector) cachedSector = -1;
            BlockStatus read = device.Read(block, count, destination, offset);
            LastBlockStatus = read;
            if (read == BlockStatus.Ok) return IsoStatus.Ok;
            return Fail(read == BlockStatus.OutOfRange ? IsoStatus.Truncated : IsoStatus.IoError, block / blocksPerSector);
        }
    }
}
