using Atcp.Wire;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Store
{
    /// <summary>Crash-safe object store on a block device (FORMAT.md). Objects are immutable once
    /// committed; a rewrite of a name commits a new object and frees the old one in the same commit.
    /// Every change is copy-on-write: new data and metadata copies go to places the committed state
    /// does not use, and one superblock write makes them current. Not thread-safe: one caller at a
    /// time. RAM: five 512-byte block buffers, two superblock images and a scratch handle, about
    /// 4 KB, whatever the number of objects; the writer adds about 2 KB while it exists (from first
    /// use until <see cref="ReleaseWriter"/>). No
    /// allocation on the read paths (ReadRange, GetChunkSums, PayloadSum, Lookup, ListNext).</summary>
    public sealed partial class ObjectStore
    {
        readonly IBlockDevice _device;
        readonly Superblock _committed = new Superblock();
        readonly Superblock _working = new Superblock();
        // Superblock images are read at Mount and written at the end of a commit; neither runs
        // while the payload-sum and verify paths use _piece as scratch, so the two share a block.
        readonly byte[] _superBuffer;
        int _committedSlot;
        bool _mounted;
        bool _faulted;
        ObjectWriter _writer;

        /// <summary>A store over device; call Mount (or Format, then Mount) before anything else.</summary>
        public ObjectStore(IBlockDevice device)
        {
            _device = device;
            _superBuffer = _piece;
        }

        /// <summary>The device under the store.</summary>
        public IBlockDevice Device { get { return _device; } }

        /// <summary>Status of the last device call that failed (Ok when none has).</summary>
        public BlockStatus LastDeviceStatus;

        /// <summary>True after a successful Mount (false again after a commit fault).</summary>
        public bool IsMounted { get { return _mounted && !_faulted; } }

        /// <summary>True when Mount found the other superblock slot damaged: the normal trace of a
        /// power cut during a commit (that commit did not happen), or of damage to the newer slot
        /// (then the last change is lost). The mounted state is the newest intact one either way.</summary>
        public bool OtherSlotDamaged;

        /// <summary>Commit generation of the mounted state; each commit adds one.</summary>
        public long Generation { get { return _committed.Generation; } }

        /// <summary>Chunk size of the stored sums, in bytes.</summary>
        public int ChunkSize { get { return _committed.ChunkSize; } }

        /// <summary>Objects in the store.</summary>
        public int ObjectCount { get { return _committed.ObjectCount; } }

        /// <summary>Bytes per allocation unit (every object occupies whole units).</summary>
        public long UnitBytes { get { return (long)_committed.Layout.UnitBlocks * StoreLayout.BlockSize; } }

        /// <summary>Bytes in the data region.</summary>
        public long CapacityBytes { get { return _committed.Layout.UnitCount * UnitBytes; } }

        /// <summary>Free bytes in the data region.</summary>
        public long FreeBytes { get { return _committed.FreeUnits * UnitBytes; } }

        /// <summary>Bytes held by objects (payload, sums tables, object blocks, unit rounding).</summary>
        public long UsedBytes { get { return CapacityBytes - FreeBytes; } }

        /// <summary>The region geometry of the mounted store (read it, do not change it).</summary>
        public StoreLayout Layout { get { return _committed.Layout; } }

        /// <summary>The volume label (allocates).</summary>
        public string GetLabel()
        {
            int n = 0;
            while (n < Superblock.LabelLength && _committed.Label[n] != 0) n++;
            return Utf8.GetString(_committed.Label, 0, n);
        }

        /// <summary>Allocation units an object of size bytes occupies on this store: its object
        /// block, payload blocks and sums blocks, rounded up to whole units.</summary>
        public long UnitsFor(long size)
        {
            long blocks = 1 + Alu.ByteRange.PiecesFor(size, StoreLayout.BlockSize) + StoreObject.SumsBlocksFor(size, _committed.ChunkSize);
            return Alu.ByteRange.PiecesFor(blocks, _committed.Layout.UnitBlocks);
        }

        /// <summary>The store's single object writer (created on first use, about 2 KB).</summary>
        public ObjectWriter Writer
        {
            get
            {
                if (_writer == null) _writer = new ObjectWriter(this);
                return _writer;
            }
        }

        /// <summary>Drops the writer (unless a write is in progress), so that a store written only now
        /// and then does not keep its buffers; the next use of <see cref="Writer"/> makes a new one.</summary>
        public void ReleaseWriter()
        {
            if (_writer != null && !_writer.IsActive) _writer = null;
        }

        /// <summary>True while an object write is between Begin and Commit/Abort.</summary>
        public bool IsWriting { get { return _writer != null && _writer.IsActive; } }

        /// <summary>Reads both superblock slots and adopts the valid one with the highest generation.
        /// Unformatted when neither slot has the store's magic, Corrupt when a slot has it but none
        /// checks out, UnsupportedVersion for a newer format, GeometryMismatch when the store is
        /// larger than the device, DeviceError when a slot cannot be read.</summary>
        public StoreStatus Mount()
        {
            _mounted = false;
            _faulted = false;
            OtherSlotDamaged = false;
            InvalidateCaches();
            if (_writer != null) _writer.Reset();
            if (_device.BlockSize != StoreLayout.BlockSize) return StoreStatus.UnsupportedDevice;
            BlockStatus read = _device.Read(0, 1, _superBuffer, 0);
            if (read != BlockStatus.Ok) return DeviceFailure(read);
            StoreStatus slot0 = _committed.Parse(_superBuffer, 0);
            read = _device.Read(1, 1, _superBuffer, 0);
            if (read != BlockStatus.Ok) return DeviceFailure(read);
            StoreStatus slot1 = _working.Parse(_superBuffer, 1);
            if (slot0 == StoreStatus.Ok && (slot1 != StoreStatus.Ok || _committed.Generation >= _working.Generation))
            {
                _committedSlot = 0;
                _working.CopyFrom(_committed);
            }
            else if (slot1 == StoreStatus.Ok)
            {
                _committedSlot = 1;
                _committed.CopyFrom(_working);
            }
            else if (slot0 == StoreStatus.UnsupportedVersion || slot1 == StoreStatus.UnsupportedVersion)
            {
                return StoreStatus.UnsupportedVersion;
            }
            else if (slot0 == StoreStatus.Corrupt || slot1 == StoreStatus.Corrupt)
            {
                return StoreStatus.Corrupt;
            }
            else
            {
                return StoreStatus.Unformatted;
            }
            StoreStatus other = _committedSlot == 0 ? slot1 : slot0;
            OtherSlotDamaged = other != StoreStatus.Ok && other != StoreStatus.Unformatted;
            if (_committed.Layout.BlockCount > _device.BlockCount) return StoreStatus.GeometryMismatch;
            _mounted = true;
            return StoreStatus.Ok;
        }

        StoreStatus DeviceFailure(BlockStatus status)
        {
            LastDeviceStatus = status;
            return StoreStatus.DeviceError;
        }

        /// <summary>Ok when reads may proceed.</summary>
        StoreStatus ReadyToRead()
        {
            if (_faulted) return StoreStatus.Faulted;
            if (!_mounted) return StoreStatus.NotMounted;
            return StoreStatus.Ok;
        }

        /// <summary>Ok when a change may start (mounted, writable, no write in progress unless
        /// allowWriter, which the writer's own commit passes).</summary>
        internal StoreStatus ReadyToChange(bool allowWriter)
        {
            StoreStatus status = ReadyToRead();
            if (status != StoreStatus.Ok) return status;
            if (_device.IsReadOnly) return StoreStatus.ReadOnly;
            if (!allowWriter && IsWriting) return StoreStatus.Busy;
            return StoreStatus.Ok;
        }
    }
}
