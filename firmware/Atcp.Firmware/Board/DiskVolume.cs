using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;
using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    /// <summary>A disk volume: the object store on an SD card, served by name. Objects whose names
    /// start with ".atcp/" (the board's own settings) are not served or listed.</summary>
    public sealed class DiskVolume : IBoardVolume, ISlotReader
    {
        readonly ObjectStore _store;
        readonly PayloadSlots _sources;
        // What a stream needs of its open object, per slot, in flat arrays rather than a StoreObject
        // per slot (a StoreObject is 16 fields and two arrays: about 330 bytes on nanoCLR, against
        // about 100 here). Reads load a slot into _open, the one handle the store works on.
        readonly StoreObject _open = new StoreObject(false); // streams need no name bytes
        int _loaded = -1;    // the slot whose object _open holds, or -1
        readonly long[] _unit;
        readonly uint[] _nameHash;
        readonly long[] _size;
        readonly uint[] _sumsCrc;
        readonly int[] _chunkSize;
        readonly long[] _version;
        readonly long[] _checked;
        readonly int[] _extentCount;
        readonly uint[] _extentStart;   // StoreObject.MaxExtents per slot
        readonly uint[] _extentUnits;
        readonly StoreObject _listed = new StoreObject();
        readonly byte[] _etag = new byte[StoreObject.MaxETagLength];
        long _cursor;        // listing position after the entry at index _cursorIndex - 1
        uint _cursorIndex;
        long _cursorGeneration = -1;

        /// <summary>Serves store as volume id, with sources of its own for slots stream slots.</summary>
        public DiskVolume(byte id, ObjectStore store, int slots) : this(id, store, new PayloadSlots(slots)) { }

        /// <summary>Serves store as volume id through the stream slots' sources (shared with the
        /// board's other volume).</summary>
        public DiskVolume(byte id, ObjectStore store, PayloadSlots sources)
        {
            Id = id;
            _store = store;
            _sources = sources;
            int slots = sources.Count;
            _unit = new long[slots];
            _nameHash = new uint[slots];
            _size = new long[slots];
            _sumsCrc = new uint[slots];
            _chunkSize = new int[slots];
            _version = new long[slots];
            _checked = new long[slots];
            _extentCount = new int[slots];
            _extentStart = new uint[slots * StoreObject.MaxExtents];
            _extentUnits = new uint[slots * StoreObject.MaxExtents];
        }

        /// <summary>The store behind the volume.</summary>
        public ObjectStore Store { get { return _store; } }
        /// <inheritdoc/>
        public byte Id { get; private set; }
        /// <inheritdoc/>
        public AtcpVolumeKind Kind { get { return AtcpVolumeKind.Disk; } }
        /// <inheritdoc/>
        public bool IsMounted { get { return _store.IsMounted; } }
        /// <inheritdoc/>
        public byte Flags { get { return 0; } }
        /// <inheritdoc/>
        public string Label { get { return _store.IsMounted ? _store.GetLabel() : ""; } }
        /// <inheritdoc/>
        public long CapacityBytes { get { return _store.IsMounted ? _store.CapacityBytes : 0; } }
        /// <inheritdoc/>
        public long FreeBytes { get { return _store.IsMounted ? _store.FreeBytes : 0; } }
        /// <inheritdoc/>
        public long ObjectCount { get { return _store.IsMounted ? _store.ObjectCount - InternalCount() : 0; } }
        /// <inheritdoc/>
        public uint Generation { get { return _store.IsMounted ? (uint)_store.Generation : 0; } }

        /// <summary>True for the board's own objects, which clients never see.</summary>
        public static bool IsInternal(byte[] name, int offset, int length)
        {
            return length >= 6 && name[offset] == (byte)'.' && name[offset + 1] == (byte)'a' && name[offset + 2] == (byte)'t'
                && name[offset + 3] == (byte)'c' && name[offset + 4] == (byte)'p' && name[offset + 5] == (byte)'/';
        }

        /// <inheritdoc/>
        public AtcpServiceStatus Open(byte[] name, int offset, int length, int slot, out IPayloadSource source)
        {
            source = null;
            if (IsInternal(name, offset, length)) return AtcpServiceStatus.NotFound;
            _loaded = -1; // the lookup overwrites _open
            StoreStatus status = _store.Lookup(name, offset, length, _open);
            if (status == StoreStatus.NotFound || status == StoreStatus.InvalidName) return AtcpServiceStatus.NotFound;
            if (status != StoreStatus.Ok) return AtcpServiceStatus.IoError;
            Save(slot);
            _loaded = slot;
            source = _sources.Bind(slot, this);
            return AtcpServiceStatus.Accepted;
        }

        /// <inheritdoc/>
        public long SizeOf(int slot) { return _size[slot]; }

        /// <inheritdoc/>
        public int ChunkSizeOf(int slot) { return _chunkSize[slot]; }

        /// <inheritdoc/>
        public BlockStatus Read(int slot, long offset, byte[] buffer, int bufferOffset, int count)
        {
            StoreStatus status = _store.ReadRange(Load(slot), offset, buffer, bufferOffset, count);
            Loaded(slot);
            if (status == StoreStatus.Ok) return BlockStatus.Ok;
            if (status == StoreStatus.OutOfRange) return BlockStatus.OutOfRange;
            BlockStatus device = _store.LastDeviceStatus;
            return device != BlockStatus.Ok ? device : BlockStatus.DeviceError;
        }

        /// <inheritdoc/>
        public bool TryGetStoredSum(int slot, long offset, int count, out ushort sum)
        {
            StoreStatus status = _store.PayloadSum(Load(slot), offset, offset + count, 0, out sum);
            Loaded(slot);
            return status == StoreStatus.Ok;
        }

        // The object open in slot, loaded into the store's handle.
        StoreObject Load(int slot)
        {
            if (_loaded == slot) return _open;
            StoreObject o = _open;
            o.Unit = _unit[slot];
            o.NameHash = _nameHash[slot];
            o.Size = _size[slot];
            o.SumsCrc = _sumsCrc[slot];
            o.ChunkSize = _chunkSize[slot];
            o.Version = _version[slot];
            o.CheckedGeneration = _checked[slot];
            o.ExtentCount = _extentCount[slot];
            System.Array.Copy(_extentStart, slot * StoreObject.MaxExtents, o.ExtentStart, 0, StoreObject.MaxExtents);
            System.Array.Copy(_extentUnits, slot * StoreObject.MaxExtents, o.ExtentUnits, 0, StoreObject.MaxExtents);
            // Not kept per slot (streams never read them): PayloadCrc, ModifiedTime, name lengths.
            o.PayloadCrc = 0;
            o.ModifiedTime = 0;
            _loaded = slot;
            return o;
        }

        // Keeps what a read may have learnt (the store revalidates a handle after a commit).
        void Loaded(int slot) { _checked[slot] = _open.CheckedGeneration; }

        void Save(int slot)
        {
            StoreObject o = _open;
            _unit[slot] = o.Unit;
            _nameHash[slot] = o.NameHash;
            _size[slot] = o.Size;
            _sumsCrc[slot] = o.SumsCrc;
            _chunkSize[slot] = o.ChunkSize;
            _version[slot] = o.Version;
            _checked[slot] = o.CheckedGeneration;
            _extentCount[slot] = o.ExtentCount;
            System.Array.Copy(o.ExtentStart, 0, _extentStart, slot * StoreObject.MaxExtents, StoreObject.MaxExtents);
            System.Array.Copy(o.ExtentUnits, 0, _extentUnits, slot * StoreObject.MaxExtents, StoreObject.MaxExtents);
        }

        /// <inheritdoc/>
        public void FillInventory(uint firstIndex, int maxEntries, AtcpInventoryRepr page)
        {
            page.Generation = Generation;
            page.FirstIndex = firstIndex;
            page.Flags = 0;
            // Continue from the last page when the front-end asks for the next one (the usual case);
            // otherwise walk from the start.
            if (_cursorGeneration != _store.Generation || firstIndex != _cursorIndex)
            {
                _cursor = 0; _cursorIndex = 0; _cursorGeneration = _store.Generation;
                while (_cursorIndex < firstIndex && Next()) _cursorIndex++;
            }
            int limit = maxEntries > 0 && maxEntries < AtcpInventory.MaxEntries ? maxEntries : AtcpInventory.MaxEntries;
            bool more = true;
            while (page.EntryCount < limit)
            {
                long before = _cursor;
                if (!Next()) { more = false; break; }
                int etagLength = _listed.WriteETag(_etag, 0);
                // A content type longer than INVENTORY carries is sent empty (clients get octet-stream).
                int typeLength = _listed.ContentTypeLength <= AtcpInventory.MaxContentTypeLength ? _listed.ContentTypeLength : 0;
                if (!page.HasRoomFor(_listed.NameLength, typeLength, etagLength)) { _cursor = before; break; }
                page.Add(AtcpObjectKind.File, (ulong)_listed.Size, _listed.Name, 0, _listed.NameLength,
                    _listed.ContentType, 0, typeLength, _etag, 0, etagLength);
                _cursorIndex++;
            }
            if (!more) page.Flags = AtcpInventoryFlags.LastPage;
            // The total is known once the listing reached its end; before that it is the object count.
            long total = _store.ObjectCount - InternalCount();
            page.TotalEntries = (uint)(total > _cursorIndex ? total : _cursorIndex);
            if (!more) page.TotalEntries = _cursorIndex;
        }

        // Next listable object into _listed; false at the end.
        bool Next()
        {
            while (true)
            {
                StoreStatus status = _store.ListNext(ref _cursor, _listed);
                if (status == StoreStatus.EndOfList) return false;
                if (status != StoreStatus.Ok) continue; // a damaged entry is skipped, the rest still listed
                if (!IsInternal(_listed.Name, 0, _listed.NameLength)) return true;
            }
        }

        int _internalCount = -1;
        long _internalGeneration = -1;

        int InternalCount()
        {
            if (_internalGeneration == _store.Generation) return _internalCount;
            // Rare (once per generation): count the settings objects so totals are exact.
            int n = 0;
            long cursor = 0;
            StoreObject o = _listed;
            StoreStatus status;
            long saved = _cursor;
            while ((status = _store.ListNext(ref cursor, o)) != StoreStatus.EndOfList)
                if (status == StoreStatus.Ok && IsInternal(o.Name, 0, o.NameLength)) n++;
            _cursor = saved;
            _internalCount = n;
            _internalGeneration = _store.Generation;
            return n;
        }
    }
}
