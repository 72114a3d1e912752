using Atcp.Firmware.Alu;
using Atcp.Firmware.Hal;
using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    // The data path: payload reads and stored chunk sums. Allocation-free; whole blocks go straight
    // from the device into the caller's buffer, partial blocks through one cached block.
    public sealed partial class ObjectStore
    {
        readonly byte[] _block = new byte[StoreLayout.BlockSize];
        long _blockTag = -1;
        readonly byte[] _sums = new byte[StoreLayout.BlockSize];
        long _sumsTag = -1;
        readonly ushort[] _sumBatch = new ushort[64];
        readonly byte[] _piece = new byte[StoreLayout.BlockSize];

        /// <summary>Ok when obj still names a live object: after any commit, its directory entry and
        /// object block are checked again (two reads), otherwise nothing is read.</summary>
        StoreStatus Revalidate(StoreObject obj)
        {
            if (obj.CheckedGeneration == _committed.Generation) return StoreStatus.Ok;
            StoreStatus status = LoadBucket(BucketOf(obj.NameHash));
            if (status != StoreStatus.Ok) return status;
            int entry = DirectoryBucket.FindUnit(_directory, obj.Unit);
            if (entry < 0 || DirectoryBucket.GetHash(_directory, entry) != obj.NameHash) return StoreStatus.Stale;
            BlockStatus read = _device.Read(_working.Layout.UnitBlock(obj.Unit), 1, _meta, 0);
            if (read != BlockStatus.Ok) return DeviceFailure(read);
            status = MetadataBlock.Check(_meta, MetadataBlock.ObjectMagic, (uint)obj.Unit, _committed.Generation);
            if (status != StoreStatus.Ok) return status;
            if (MetadataBlock.GetGeneration(_meta) != obj.Version) return StoreStatus.Stale;
            obj.CheckedGeneration = _committed.Generation;
            return StoreStatus.Ok;
        }

        /// <summary>Reads payload bytes [offset, offset + count) of obj into buffer[bufferOffset..].
        /// On an <see cref="IStreamingBlockDevice"/> each contiguous run is one byte-range read. Otherwise whole aligned blocks are read by the device straight into buffer (several per call when
        /// contiguous); partial blocks go through a one-block cache, so consecutive segments that
        /// share a block read it once. OutOfRange past the object's end; Stale if the object was
        /// deleted or replaced since obj was filled.</summary>
        public StoreStatus ReadRange(StoreObject obj, long offset, byte[] buffer, int bufferOffset, int count)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            if (count < 0 || bufferOffset < 0 || count > buffer.Length - bufferOffset) return StoreStatus.InvalidArgument;
            if (offset < 0 || offset > obj.Size || count > obj.Size - offset) return StoreStatus.OutOfRange;
            status = Revalidate(obj);
            if (status != StoreStatus.Ok) return status;
            StoreLayout layout = _committed.Layout;
            // A streaming device (the SD card) reads each contiguous run in one call and keeps its
            // multiple block read open, so consecutive segments clock every block once.
            IStreamingBlockDevice streaming = _device as IStreamingBlockDevice;
            while (count > 0)
            {
                long logical = 1 + offset / StoreLayout.BlockSize;
                int within = (int)(offset % StoreLayout.BlockSize);
                long contiguous;
                long block = obj.PhysicalBlock(layout, logical, out contiguous);
                if (block < 0) return StoreStatus.Corrupt;
                BlockStatus read;
                if (streaming != null)
                {
                    long run = contiguous * StoreLayout.BlockSize - within;
                    int part = run < count ? (int)run : count;
                    read = streaming.ReadBytes(block, within, buffer, bufferOffset, part);
                    if (read != BlockStatus.Ok) return DeviceFailure(read);
                    offset += part;
                    bufferOffset += part;
                    count -= part;
                    continue;
                }
                if (within == 0 && count >= StoreLayout.BlockSize)
                {
                    int blocks = count / StoreLayout.BlockSize;
                    if (blocks > contiguous) blocks = (int)contiguous;
                    read = _device.Read(block, blocks, buffer, bufferOffset);
                    if (read != BlockStatus.Ok) return DeviceFailure(read);
                    int bytes = blocks * StoreLayout.BlockSize;
                    offset += bytes;
                    bufferOffset += bytes;
                    count -= bytes;
                    continue;
                }
                if (_blockTag != block)
                {
                    _blockTag = -1;
                    read = _device.Read(block, 1, _block, 0);
                    if (read != BlockStatus.Ok) return DeviceFailure(read);
                    _blockTag = block;
                }
                int take = StoreLayout.BlockSize - within;
                if (take > count) take = count;
                System.Array.Copy(_block, within, buffer, bufferOffset, take);
                offset += take;
                bufferOffset += take;
                count -= take;
            }
            return StoreStatus.Ok;
        }

        /// <summary>Copies the stored sums of chunks [firstChunk, firstChunk + count) of obj into
        /// dest[destOffset..]. One sums block holds 256 chunks (74,752 payload bytes at the default
        /// chunk size, about 51 full 1460-byte segments) and stays cached, so a streaming reader
        /// costs one block read per 256 chunks. OutOfRange beyond the last chunk.</summary>
        public StoreStatus GetChunkSums(StoreObject obj, long firstChunk, int count, ushort[] dest, int destOffset)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            if (count < 0 || destOffset < 0 || count > dest.Length - destOffset) return StoreStatus.InvalidArgument;
            long chunks = obj.ChunkCount;
            if (firstChunk < 0 || firstChunk > chunks || count > chunks - firstChunk) return StoreStatus.OutOfRange;
            status = Revalidate(obj);
            if (status != StoreStatus.Ok) return status;
            StoreLayout layout = _committed.Layout;
            long sumsStart = 1 + obj.DataBlocks;
            const int PerBlock = StoreLayout.BlockSize / 2;
            while (count > 0)
            {
                long logical = sumsStart + firstChunk / PerBlock;
                int index = (int)(firstChunk % PerBlock);
                long contiguous;
                long block = obj.PhysicalBlock(layout, logical, out contiguous);
                if (block < 0) return StoreStatus.Corrupt;
                if (_sumsTag != block)
                {
                    _sumsTag = -1;
                    BlockStatus read = _device.Read(block, 1, _sums, 0);
                    if (read != BlockStatus.Ok) return DeviceFailure(read);
                    _sumsTag = block;
                }
                int take = PerBlock - index;
                if (take > count) take = count;
                for (int i = 0; i < take; i++) dest[destOffset + i] = NetworkOrder.ReadUInt16(_sums, 2 * (index + i));
                firstChunk += take;
                destOffset += take;
                count -= take;
            }
            return StoreStatus.Ok;
        }

        /// <summary>Partial Internet checksum that payload bytes [start, end) of obj contribute to a
        /// message in which byte start sits at message position startPosition (so odd positions
        /// are handled). Whole chunks come from the stored sums; an unaligned head or tail (less
        /// than a chunk each) is read and summed. OutOfRange outside the object.</summary>
        public StoreStatus PayloadSum(StoreObject obj, long start, long end, long startPosition, out ushort sum)
        {
            sum = 0;
            if (start < 0 || start > end || end > obj.Size || startPosition < 0) return StoreStatus.OutOfRange;
            int chunk = obj.ChunkSize;
            long middleStart;
            long middleEnd;
            ChunkSums.Split(start, end, chunk, obj.Size, out middleStart, out middleEnd);
            ushort total = 0;
            StoreStatus status = SumBytes(obj, start, middleStart, startPosition, ref total);
            if (status != StoreStatus.Ok) return status;
            long position = startPosition + (middleStart - start);
            long next = middleStart / chunk;
            long stop = middleEnd > middleStart ? ByteRange.PiecesFor(middleEnd, chunk) : next;
            while (next < stop)
            {
                int n = stop - next < _sumBatch.Length ? (int)(stop - next) : _sumBatch.Length;
                status = GetChunkSums(obj, next, n, _sumBatch, 0);
                if (status != StoreStatus.Ok) return status;
                for (int i = 0; i < n; i++)
                {
                    total = InternetChecksum.CombineAt(total, _sumBatch[i], position);
                    position += chunk;
                }
                next += n;
            }
            status = SumBytes(obj, middleEnd, end, startPosition + (middleEnd - start), ref total);
            sum = total;
            return status;
        }

        /// <summary>Adds the partial sum of payload bytes [from, to), placed at position, to total.</summary>
        StoreStatus SumBytes(StoreObject obj, long from, long to, long position, ref ushort total)
        {
            while (from < to)
            {
                int n = to - from < _piece.Length ? (int)(to - from) : _piece.Length;
                StoreStatus status = ReadRange(obj, from, _piece, 0, n);
                if (status != StoreStatus.Ok) return status;
                total = InternetChecksum.CombineAt(total, InternetChecksum.Sum(_piece, 0, n), position);
                from += n;
                position += n;
            }
            return StoreStatus.Ok;
        }
    }
}
