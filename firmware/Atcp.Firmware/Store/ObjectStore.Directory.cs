using Atcp.Wire;
using Atcp.Firmware.Alu;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Store
{
    // Names: a hashed directory on the card (bucket = CRC-32C(name) mod bucket count), so lookups
    // cost one bucket read (cached) plus one object block read per hash match, whatever the
    // number of objects, and RAM stays a few buffers.
    public sealed partial class ObjectStore
    {
        // Scratch handle for deletes and checks; names are compared and hashed in the object block.
        readonly StoreObject _other = new StoreObject(false);

        int BucketOf(uint hash) { return (int)(hash & (uint)(_working.Layout.BucketCount - 1)); }

        /// <summary>Reads and checks the object block of unit into _meta and fills obj.</summary>
        StoreStatus ReadObject(long unit, StoreObject obj)
        {
            StoreLayout layout = _working.Layout;
            if (unit < 0 || unit >= layout.UnitCount) return StoreStatus.Corrupt;
            BlockStatus read = _device.Read(layout.UnitBlock(unit), 1, _meta, 0);
            if (read != BlockStatus.Ok) return DeviceFailure(read);
            StoreStatus status = ObjectBlock.Parse(_meta, unit, _working.Generation, layout, obj);
            if (status == StoreStatus.Ok) obj.CheckedGeneration = _committed.Generation;
            return status;
        }

        /// <summary>Finds name in its bucket (left in _directory): entry is its index and obj is
        /// filled, or NotFound with entry -1.</summary>
        StoreStatus Find(byte[] name, int offset, int length, uint hash, StoreObject obj, out int entry)
        {
            entry = -1;
            int bucket = BucketOf(hash);
            StoreStatus status = LoadBucket(bucket);
            if (status != StoreStatus.Ok) return status;
            for (int i = 0; i < DirectoryBucket.EntryCount; i++)
            {
                long unit = DirectoryBucket.GetUnit(_directory, i);
                if (unit < 0 || DirectoryBucket.GetHash(_directory, i) != hash) continue;
                status = ReadObject(unit, obj);
                if (status != StoreStatus.Ok) return status;
                if (obj.NameHash != hash) return StoreStatus.Corrupt;
                // Compared in the object block just read (_meta), so handles without names work too.
                if (ObjectBlock.HasName(_meta, name, offset, length))
                {
                    entry = i;
                    return StoreStatus.Ok;
                }
            }
            return StoreStatus.NotFound;
        }

        /// <summary>Looks up the object named by the UTF-8 bytes name[offset..offset+length) and fills
        /// result. NotFound, InvalidName (length outside 1..255), Corrupt or DeviceError otherwise.
        /// Names compare byte for byte (no case folding or Unicode normalisation).</summary>
        public StoreStatus Lookup(byte[] name, int offset, int length, StoreObject result)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            if (length < 1 || length > StoreObject.MaxNameLength) return StoreStatus.InvalidName;
            uint hash = Crc32C.Compute(name, offset, length);
            int entry;
            return Find(name, offset, length, hash, result, out entry);
        }

        /// <summary>Lookup by string (allocates the UTF-8 bytes; console and host use).</summary>
        public StoreStatus Lookup(string name, StoreObject result)
        {
            byte[] bytes = Utf8.GetBytes(name);
            return Lookup(bytes, 0, bytes.Length, result);
        }

        /// <summary>Fills result with the next object at or after cursor and moves cursor past it.
        /// Start with cursor 0; EndOfList when done. The order is the directory's (hash) order; a
        /// cursor is a directory position, so it stays meaningful across changes (objects added or
        /// removed meanwhile may or may not be seen, others are seen exactly once). Corrupt moves the
        /// cursor past the damaged entry or bucket: call again to list the rest.</summary>
        public StoreStatus ListNext(ref long cursor, StoreObject result)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            if (cursor < 0) return StoreStatus.InvalidArgument;
            long total = (long)_working.Layout.BucketCount * DirectoryBucket.EntryCount;
            while (cursor < total)
            {
                int bucket = (int)(cursor / DirectoryBucket.EntryCount);
                int entry = (int)(cursor % DirectoryBucket.EntryCount);
                status = LoadBucket(bucket);
                if (status != StoreStatus.Ok)
                {
                    // Skip the unreadable bucket so a console listing can go on past it.
                    cursor = (long)(bucket + 1) * DirectoryBucket.EntryCount;
                    return status;
                }
                for (int i = entry; i < DirectoryBucket.EntryCount; i++)
                {
                    long unit = DirectoryBucket.GetUnit(_directory, i);
                    if (unit < 0) continue;
                    cursor = (long)bucket * DirectoryBucket.EntryCount + i + 1;
                    status = ReadObject(unit, result);
                    if (status == StoreStatus.Ok && BucketOf(result.NameHash) != bucket) status = StoreStatus.Corrupt;
                    return status;
                }
                cursor = (long)(bucket + 1) * DirectoryBucket.EntryCount;
            }
            cursor = total;
            return StoreStatus.EndOfList;
        }

        /// <summary>Deletes the named object: one commit removes its directory entry and frees its
        /// units. A power cut before the commit leaves the object whole.</summary>
        public StoreStatus Delete(byte[] name, int offset, int length)
        {
            StoreStatus status = ReadyToChange(false);
            if (status != StoreStatus.Ok) return status;
            if (length < 1 || length > StoreObject.MaxNameLength) return StoreStatus.InvalidName;
            uint hash = Crc32C.Compute(name, offset, length);
            BeginTransaction();
            int entry;
            status = Find(name, offset, length, hash, _other, out entry);
            if (status == StoreStatus.Ok)
            {
                DirectoryBucket.Clear(_directory, entry);
                status = StoreBucket(BucketOf(hash));
            }
            if (status == StoreStatus.Ok) status = MarkObject(_other, false);
            if (status != StoreStatus.Ok)
            {
                AbortTransaction();
                return status;
            }
            _working.FreeUnits += (int)_other.TotalUnits;
            _working.ObjectCount--;
            return CommitTransaction();
        }

        /// <summary>Delete by string (allocates the UTF-8 bytes).</summary>
        public StoreStatus Delete(string name)
        {
            byte[] bytes = Utf8.GetBytes(name);
            return Delete(bytes, 0, bytes.Length);
        }

        /// <summary>For the writer's Begin: finds an object of the same name (replaced, true) or
        /// checks that the name's bucket has a free entry (DirectoryFull otherwise).</summary>
        internal StoreStatus PrepareName(byte[] name, int offset, int length, uint hash, StoreObject existing, out bool replacing)
        {
            replacing = false;
            int entry;
            StoreStatus status = Find(name, offset, length, hash, existing, out entry);
            if (status == StoreStatus.Ok)
            {
                replacing = true;
                return StoreStatus.Ok;
            }
            if (status != StoreStatus.NotFound) return status;
            return DirectoryBucket.FindFree(_directory) < 0 ? StoreStatus.DirectoryFull : StoreStatus.Ok;
        }

        /// <summary>The writer's commit: writes the object block, then in one transaction points the
        /// directory at it (replacing the old object's entry if any), marks its units used, frees
        /// the old object's units, and writes the superblock.</summary>
        internal StoreStatus CommitObject(StoreObject obj, bool replacing, StoreObject old, byte[] blockBuffer)
        {
            StoreStatus status = ReadyToChange(true);
            if (status != StoreStatus.Ok) return status;
            BeginTransaction();
            obj.Version = _working.Generation;
            ObjectBlock.Emit(blockBuffer, obj);
            BlockStatus written = _device.Write(_working.Layout.UnitBlock(obj.Unit), 1, blockBuffer, 0);
            if (written != BlockStatus.Ok) status = DeviceFailure(written);
            int bucket = BucketOf(obj.NameHash);
            if (status == StoreStatus.Ok) status = LoadBucket(bucket);
            if (status == StoreStatus.Ok)
            {
                int entry = replacing ? DirectoryBucket.FindUnit(_directory, old.Unit) : DirectoryBucket.FindFree(_directory);
                if (entry < 0) status = replacing ? StoreStatus.Corrupt : StoreStatus.DirectoryFull;
                else DirectoryBucket.Set(_directory, entry, obj.NameHash, obj.Unit);
            }
            if (status == StoreStatus.Ok) status = StoreBucket(bucket);
            if (status == StoreStatus.Ok) status = MarkObject(obj, true);
            if (status == StoreStatus.Ok && replacing) status = MarkObject(old, false);
            if (status != StoreStatus.Ok)
            {
                AbortTransaction();
                return status;
            }
            _working.FreeUnits -= (int)obj.TotalUnits;
            if (replacing) _working.FreeUnits += (int)old.TotalUnits;
            else _working.ObjectCount++;
            status = CommitTransaction();
            if (status == StoreStatus.Ok) obj.CheckedGeneration = _committed.Generation;
            return status;
        }
    }
}
