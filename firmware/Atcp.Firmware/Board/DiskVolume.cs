using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;
using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    /// <summary>A disk volume: the object store on an SD card, served by name. Objects whose names
    /// start with ".atcp/" (the board's own settings) are not served or listed.</summary>
    public sealed class DiskVolume : IBoardVolume
    {
        readonly ObjectStore _store;
        readonly DiskObjectSource[] _sources;
        readonly StoreObject _listed = new StoreObject();
        readonly byte[] _etag = new byte[StoreObject.MaxETagLength];
        long _cursor;        // listing position after the entry at index _cursorIndex - 1
        uint _cursorIndex;
        long _cursorGeneration = -1;

        /// <summary>Serves store as volume id, with one payload source per stream slot.</summary>
        public DiskVolume(byte id, ObjectStore store, int slots)
        {
            Id = id;
            _store = store;
            _sources = new DiskObjectSource[slots];
            for (int i = 0; i < slots; i++) _sources[i] = new DiskObjectSource(store);
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
            DiskObjectSource s = _sources[slot];
            StoreStatus status = _store.Lookup(name, offset, length, s.Object);
            if (status == StoreStatus.NotFound || status == StoreStatus.InvalidName) return AtcpServiceStatus.NotFound;
            if (status != StoreStatus.Ok) return AtcpServiceStatus.IoError;
            source = s;
            return AtcpServiceStatus.Accepted;
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

    /// <summary>An object of the store as a stream's payload: bytes straight from the card, checksums
    /// from the stored chunk sums.</summary>
    public sealed class DiskObjectSource : IPayloadSource
    {
        readonly ObjectStore _store;

        /// <summary>The object being served (filled by Lookup).</summary>
        public readonly StoreObject Object = new StoreObject(false); // streams need no name bytes

        /// <summary>A source over store.</summary>
        public DiskObjectSource(ObjectStore store) { _store = store; }

        /// <inheritdoc/>
        public long Size { get { return Object.Size; } }
        /// <inheritdoc/>
        public int ChunkSize { get { return Object.ChunkSize; } }

        /// <inheritdoc/>
        public BlockStatus Read(long offset, byte[] buffer, int bufferOffset, int count)
        {
            StoreStatus status = _store.ReadRange(Object, offset, buffer, bufferOffset, count);
            if (status == StoreStatus.Ok) return BlockStatus.Ok;
            if (status == StoreStatus.OutOfRange) return BlockStatus.OutOfRange;
            BlockStatus device = _store.LastDeviceStatus;
            return device != BlockStatus.Ok ? device : BlockStatus.DeviceError;
        }

        /// <inheritdoc/>
        public bool TryGetStoredSum(long offset, int count, out ushort sum)
        {
            return _store.PayloadSum(Object, offset, offset + count, 0, out sum) == StoreStatus.Ok;
        }
    }
}
