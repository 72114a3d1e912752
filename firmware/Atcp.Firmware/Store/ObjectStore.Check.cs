using Atcp.Firmware.Alu;
using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    // Slow whole-object and whole-store checks for the serial console and the image builder.
    public sealed partial class ObjectStore
    {
        readonly byte[] _pair = new byte[2];

        /// <summary>Reads the whole payload of obj and recomputes its CRC-32C and chunk sums:
        /// PayloadMismatch when the CRC differs, SumsMismatch when a stored sum (or the sums table's
        /// own CRC) differs. Loops over every byte: console use only.</summary>
        public StoreStatus Verify(StoreObject obj)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            status = Revalidate(obj);
            if (status != StoreStatus.Ok) return status;
            int chunk = obj.ChunkSize;
            uint crc = 0;
            uint sumsCrc = 0;
            bool sumsMatch = true;
            ushort chunkSum = 0;
            int chunkFill = 0;
            long chunkIndex = 0;
            long offset = 0;
            while (offset < obj.Size)
            {
                long left = obj.Size - offset;
                int n = _piece.Length;
                if (n > chunk - chunkFill) n = chunk - chunkFill;
                if (n > left) n = (int)left;
                status = ReadRange(obj, offset, _piece, 0, n);
                if (status != StoreStatus.Ok) return status;
                crc = Crc32C.Append(crc, _piece, 0, n);
                chunkSum = InternetChecksum.CombineAt(chunkSum, InternetChecksum.Sum(_piece, 0, n), chunkFill);
                chunkFill += n;
                offset += n;
                if (chunkFill == chunk || offset == obj.Size)
                {
                    status = GetChunkSums(obj, chunkIndex, 1, _sumBatch, 0);
                    if (status != StoreStatus.Ok) return status;
                    if (_sumBatch[0] != chunkSum) sumsMatch = false;
                    NetworkOrder.WriteUInt16(_pair, 0, _sumBatch[0]);
                    sumsCrc = Crc32C.Append(sumsCrc, _pair, 0, 2);
                    chunkIndex++;
                    chunkSum = 0;
                    chunkFill = 0;
                }
            }
            if (crc != obj.PayloadCrc) return StoreStatus.PayloadMismatch;
            if (!sumsMatch || sumsCrc != obj.SumsCrc) return StoreStatus.SumsMismatch;
            return StoreStatus.Ok;
        }

        /// <summary>Checks the whole store: every bitmap and bucket block, every object block, that
        /// each object's units are marked used, and that object count, units in objects, used bits
        /// and the superblock's free count all agree. Ok or Corrupt (or DeviceError). Reads all
        /// metadata: console and host use.</summary>
        public StoreStatus Check(out int objects, out long unitsInObjects)
        {
            objects = 0;
            unitsInObjects = 0;
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            StoreLayout layout = _committed.Layout;
            long usedBits = 0;
            for (int j = 0; j < layout.BitmapBlocks; j++)
            {
                status = ReadMeta(BitmapIndex(j), _meta);
                if (status != StoreStatus.Ok) return status;
                long first = (long)j * StoreLayout.UnitsPerBitmapBlock;
                for (int bit = 0; bit < StoreLayout.UnitsPerBitmapBlock; bit++)
                {
                    if ((_meta[MetadataBlock.HeaderLength + (bit >> 3)] & (1 << (bit & 7))) == 0) continue;
                    if (first + bit >= layout.UnitCount) return StoreStatus.Corrupt;
                    usedBits++;
                }
            }
            for (int bucket = 0; bucket < layout.BucketCount; bucket++)
            {
                for (int entry = 0; entry < DirectoryBucket.EntryCount; entry++)
                {
                    status = LoadBucket(bucket);
                    if (status != StoreStatus.Ok) return status;
                    long unit = DirectoryBucket.GetUnit(_directory, entry);
                    if (unit < 0) continue;
                    uint hash = DirectoryBucket.GetHash(_directory, entry);
                    status = ReadObject(unit, _other);
                    if (status != StoreStatus.Ok) return status;
                    if (_other.NameHash != hash || BucketOf(hash) != bucket) return StoreStatus.Corrupt;
                    if (Crc32C.Compute(_meta, ObjectBlock.NameOffset, _other.NameLength) != hash) return StoreStatus.Corrupt; // name bytes of the block just read
                    for (int i = 0; i < _other.ExtentCount; i++)
                    {
                        status = UnitsMarkedUsed(_other.ExtentStart[i], _other.ExtentUnits[i]);
                        if (status != StoreStatus.Ok) return status;
                    }
                    objects++;
                    unitsInObjects += _other.TotalUnits;
                }
            }
            if (objects != _committed.ObjectCount) return StoreStatus.Corrupt;
            if (unitsInObjects != usedBits || usedBits != (long)layout.UnitCount - _committed.FreeUnits) return StoreStatus.Corrupt;
            return StoreStatus.Ok;
        }

        StoreStatus UnitsMarkedUsed(long start, long count)
        {
            int loaded = -1;
            for (long unit = start; unit < start + count; unit++)
            {
                int j = (int)(unit / StoreLayout.UnitsPerBitmapBlock);
                if (j != loaded)
                {
                    StoreStatus status = ReadMeta(BitmapIndex(j), _meta);
                    if (status != StoreStatus.Ok) return status;
                    loaded = j;
                }
                int bit = (int)(unit - (long)j * StoreLayout.UnitsPerBitmapBlock);
                if ((_meta[MetadataBlock.HeaderLength + (bit >> 3)] & (1 << (bit & 7))) == 0) return StoreStatus.Corrupt;
            }
            return StoreStatus.Ok;
        }
    }
}
