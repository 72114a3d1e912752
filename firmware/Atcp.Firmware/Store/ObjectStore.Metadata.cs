using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Store
{
    // Metadata copies and the commit protocol (FORMAT.md section 7). Each directory bucket and
    // bitmap block has two physical copies; the superblock's selector bit says which is current.
    // A transaction writes changed blocks only into the copy the committed superblock does NOT
    // select, then writes the superblock into the slot that does NOT hold the committed state. Until
    // that last write completes, nothing the committed state references has been touched.
    public sealed partial class ObjectStore
    {
        readonly byte[] _directory = new byte[StoreLayout.BlockSize];
        int _directoryBucket = -1;
        readonly byte[] _meta = new byte[StoreLayout.BlockSize];

        void InvalidateCaches()
        {
            _directoryBucket = -1;
            _blockTag = -1;
            _sumsTag = -1;
        }

        /// <summary>Reads the current copy of metadata block index into buffer and checks it.</summary>
        StoreStatus ReadMeta(int index, byte[] buffer)
        {
            StoreLayout layout = _working.Layout;
            int copy = _working.GetSelector(index);
            long block;
            uint magic;
            int local;
            if (index < layout.BucketCount)
            {
                local = index;
                block = layout.BucketBlock(local, copy);
                magic = MetadataBlock.BucketMagic;
            }
            else
            {
                local = index - layout.BucketCount;
                block = layout.BitmapBlock(local, copy);
                magic = MetadataBlock.BitmapMagic;
            }
            BlockStatus read = _device.Read(block, 1, buffer, 0);
            if (read != BlockStatus.Ok) return DeviceFailure(read);
            return MetadataBlock.Check(buffer, magic, (uint)local, _working.Generation);
        }

        /// <summary>Seals buffer (length bytes covered) as the new version of metadata block index
        /// and writes it into the copy the committed superblock does not select.</summary>
        StoreStatus WriteMeta(int index, byte[] buffer, int length)
        {
            StoreLayout layout = _working.Layout;
            int copy = 1 - _committed.GetSelector(index);
            _working.SetSelector(index, copy);
            long block;
            if (index < layout.BucketCount)
            {
                block = layout.BucketBlock(index, copy);
                MetadataBlock.Seal(buffer, MetadataBlock.BucketMagic, length, (uint)index, _working.Generation);
            }
            else
            {
                int local = index - layout.BucketCount;
                block = layout.BitmapBlock(local, copy);
                MetadataBlock.Seal(buffer, MetadataBlock.BitmapMagic, length, (uint)local, _working.Generation);
            }
            BlockStatus written = _device.Write(block, 1, buffer, 0);
            if (written != BlockStatus.Ok) return DeviceFailure(written);
            return StoreStatus.Ok;
        }

        /// <summary>Makes the current copy of bucket the contents of _directory (cached).</summary>
        StoreStatus LoadBucket(int bucket)
        {
            if (_directoryBucket == bucket) return StoreStatus.Ok;
            _directoryBucket = -1;
            StoreStatus status = ReadMeta(bucket, _directory);
            if (status == StoreStatus.Ok) _directoryBucket = bucket;
            return status;
        }

        /// <summary>Writes _directory back as the new version of bucket (inside a transaction).</summary>
        StoreStatus StoreBucket(int bucket)
        {
            StoreStatus status = WriteMeta(bucket, _directory, DirectoryBucket.UsedLength(_directory));
            _directoryBucket = status == StoreStatus.Ok ? bucket : -1;
            return status;
        }

        void BeginTransaction()
        {
            _working.CopyFrom(_committed);
            _working.Generation = _committed.Generation + 1;
            InvalidateCaches();
        }

        void AbortTransaction()
        {
            _working.CopyFrom(_committed);
            InvalidateCaches();
        }

        /// <summary>The commit point: writes the working superblock into the slot that does not hold
        /// the committed state. If that write fails the card may hold either state, so this instance
        /// stops (Faulted) until mounted again.</summary>
        StoreStatus CommitTransaction()
        {
            int slot = 1 - _committedSlot;
            _working.Emit(_superBuffer, slot);
            BlockStatus written = _device.Write(slot, 1, _superBuffer, 0);
            InvalidateCaches();
            if (written != BlockStatus.Ok)
            {
                _faulted = true;
                _working.CopyFrom(_committed);
                return DeviceFailure(written);
            }
            _committed.CopyFrom(_working);
            _committedSlot = slot;
            return StoreStatus.Ok;
        }

        /// <summary>Index of bitmap block j among metadata blocks.</summary>
        int BitmapIndex(int j) { return _working.Layout.BucketCount + j; }
    }
}
