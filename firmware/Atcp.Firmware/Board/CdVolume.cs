using Atcp.Firmware.Cd;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Board
{
    /// <summary>A CD volume: the ISO 9660 image on the second card, served read-only by path. Files
    /// carry no stored checksums, so their segments are summed in managed code (slower than disk
    /// objects; see firmware/Atcp.Firmware/Cd/README.md).</summary>
    public sealed class CdVolume : IBoardVolume, ISlotReader
    {
        readonly IsoVolume _iso;
        readonly PayloadSlots _sources;
        // Where each slot's open file lies (its first sector and size): all a read needs, as the
        // files served are contiguous. Reads put them into _open, the one entry the reader works on.
        readonly long[] _dataSector;
        readonly long[] _size;
        readonly IsoEntry _open = new IsoEntry(false); // streams need no name bytes
        readonly IsoTreeWalker _walker;
        readonly IsoEntry _root = new IsoEntry(false); // the root has no name
        readonly IsoEntry _entry = new IsoEntry();
        readonly byte[] _path = new byte[AtcpInventory.MaxNameLength]; // longer paths are never listed
        readonly int[] _levelEnd = new int[IsoVolume.MaxDepth + 1];
        readonly byte[] _type = new byte[AtcpInventory.MaxContentTypeLength];
        readonly byte[] _etag = new byte[40];
        uint _walkIndex;
        bool _walking;
        long _fileCount = -1;

        /// <summary>Serves iso as volume id with sources of its own for slots stream slots.</summary>
        public CdVolume(byte id, IsoVolume iso, int slots) : this(id, iso, new PayloadSlots(slots)) { }

        /// <summary>Serves iso as volume id through the stream slots' sources (shared with the
        /// board's other volume).</summary>
        public CdVolume(byte id, IsoVolume iso, PayloadSlots sources)
        {
            Id = id;
            _iso = iso;
            _walker = new IsoTreeWalker(iso);
            _sources = sources;
            int slots = sources.Count;
            _dataSector = new long[slots];
            _size = new long[slots];
        }

        /// <summary>The ISO reader behind the volume.</summary>
        public IsoVolume Iso { get { return _iso; } }
        /// <inheritdoc/>
        public byte Id { get; private set; }
        /// <inheritdoc/>
        public AtcpVolumeKind Kind { get { return AtcpVolumeKind.Cd; } }
        /// <inheritdoc/>
        public bool IsMounted { get { return _iso.IsMounted; } }
        /// <inheritdoc/>
        public byte Flags { get { return AtcpVolumeFlags.ReadOnly; } }
        /// <inheritdoc/>
        public string Label { get { return _iso.IsMounted ? _iso.VolumeIdentifier : ""; } }
        /// <inheritdoc/>
        public long CapacityBytes { get { return _iso.VolumeSectors * IsoVolume.SectorSize; } }
        /// <inheritdoc/>
        public long FreeBytes { get { return 0; } }
        /// <inheritdoc/>
        public uint Generation { get { return (uint)_iso.CreatedUnixSeconds ^ (uint)_iso.VolumeSectors; } }

        /// <inheritdoc/>
        public long ObjectCount
        {
            get
            {
                if (_fileCount < 0 && _iso.IsMounted)
                {
                    // Counted once per mount by a full walk (the console and HELLO want it).
                    long n = 0;
                    _iso.GetRoot(_root);
                    if (_walker.Start(_root) == IsoStatus.Ok)
                    {
                        IsoStatus s;
                        while ((s = _walker.Next(_entry)) == IsoStatus.Ok || s == IsoStatus.TooDeep || s == IsoStatus.DirectoryCycle)
                            if (s == IsoStatus.Ok && !_entry.IsDirectory) n++;
                    }
                    _fileCount = n;
                    _walking = false;
                }
                return _fileCount < 0 ? 0 : _fileCount;
            }
        }

        /// <summary>Forgets cached counts (after a remount).</summary>
        public void Invalidate() { _fileCount = -1; _walking = false; }

        /// <inheritdoc/>
        public AtcpServiceStatus Open(byte[] name, int offset, int length, int slot, out IPayloadSource source)
        {
            source = null;
            IsoEntry e = _open;
            IsoStatus status = _iso.Lookup(name, offset, length, e);
            if (status == IsoStatus.NotFound || status == IsoStatus.NotADirectory || status == IsoStatus.TooDeep)
                return AtcpServiceStatus.NotFound;
            if (status != IsoStatus.Ok) return AtcpServiceStatus.IoError;
            if (e.IsDirectory) return AtcpServiceStatus.NotFound;
            if (!e.IsReadable) return AtcpServiceStatus.IoError;
            _dataSector[slot] = e.DataSector;
            _size[slot] = e.Size;
            source = _sources.Bind(slot, this);
            return AtcpServiceStatus.Accepted;
        }

        /// <inheritdoc/>
        public long SizeOf(int slot) { return _size[slot]; }

        /// <inheritdoc/>
        public int ChunkSizeOf(int slot) { return 0; } // no stored sums on a CD

        /// <inheritdoc/>
        public bool TryGetStoredSum(int slot, long offset, int count, out ushort sum) { sum = 0; return false; }

        /// <inheritdoc/>
        public BlockStatus Read(int slot, long offset, byte[] buffer, int bufferOffset, int count)
        {
            IsoStatus status = ReadFile(slot, offset, buffer, bufferOffset, count);
            if (status == IsoStatus.Ok) return BlockStatus.Ok;
            BlockStatus device = _iso.LastBlockStatus;
            return device != BlockStatus.Ok ? device : BlockStatus.DeviceError;
        }

        // Reads bytes of the file open in slot (see IsoVolume.ReadRange).
        IsoStatus ReadFile(int slot, long offset, byte[] buffer, int bufferOffset, int count)
        {
            // Every file opened was a readable one (a plain, contiguous file): the entry describes
            // it again from the slot's sector and size whatever a lookup left in it since.
            IsoEntry e = _open;
            e.Flags = 0;
            e.IsInterleaved = false;
            e.IsContiguous = true;
            e.DataSector = _dataSector[slot];
            e.Size = _size[slot];
            return _iso.ReadRange(e, offset, buffer, bufferOffset, count);
        }

        /// <inheritdoc/>
        public void FillInventory(uint firstIndex, int maxEntries, AtcpInventoryRepr page)
        {
            page.Generation = Generation;
            page.FirstIndex = firstIndex;
            page.Flags = 0;
            long total = ObjectCount;
            if (!_walking || firstIndex != _walkIndex)
            {
                StartWalk();
                while (_walkIndex < firstIndex && NextFile()) _walkIndex++;
            }
            int limit = maxEntries > 0 && maxEntries < AtcpInventory.MaxEntries ? maxEntries : AtcpInventory.MaxEntries;
            bool more = true;
            while (page.EntryCount < limit)
            {
                if (!_pendingValid && !NextFile()) { more = false; break; }
                int pathLength = _levelEnd[_pendingDepth] + _entry.NameLength;
                int typeLength = ContentTypes.For(_entry.Name, _entry.NameLength, _type);
                int etagLength = WriteETag();
                if (!page.HasRoomFor(pathLength, typeLength, etagLength)) { _pendingValid = true; break; }
                _pendingValid = false;
                System.Array.Copy(_entry.Name, 0, _path, _levelEnd[_pendingDepth], _entry.NameLength);
                page.Add(AtcpObjectKind.File, (ulong)_entry.Size, _path, 0, pathLength, _type, 0, typeLength, _etag, 0, etagLength);
                _walkIndex++;
            }
            if (!more) { page.Flags = AtcpInventoryFlags.LastPage; total = _walkIndex; }
            page.TotalEntries = (uint)(total > _walkIndex ? total : _walkIndex);
        }

        bool _pendingValid;
        int _pendingDepth;

        void StartWalk()
        {
            _walkIndex = 0;
            _pendingValid = false;
            _levelEnd[0] = 0;
            _iso.GetRoot(_root);
            _walking = _walker.Start(_root) == IsoStatus.Ok;
        }

        // Advances to the next readable file; its directory path is _path[0.._levelEnd[depth]).
        bool NextFile()
        {
            if (!_walking) return false;
            while (true)
            {
                IsoStatus s = _walker.Next(_entry);
                if (s == IsoStatus.TooDeep || s == IsoStatus.DirectoryCycle) continue;
                if (s != IsoStatus.Ok) { _walking = false; return false; }
                int depth = _walker.Depth;
                if (_entry.IsDirectory)
                {
                    int start = _levelEnd[depth];
                    int end = start + _entry.NameLength + 1;
                    if (depth + 1 >= _levelEnd.Length) continue;
                    // A directory path too long for INVENTORY is not copied, but its end is kept: the
                    // files below it are then too long as well and skipped.
                    if (end <= _path.Length)
                    {
                        System.Array.Copy(_entry.Name, 0, _path, start, _entry.NameLength);
                        _path[end - 1] = (byte)'/';
                    }
                    _levelEnd[depth + 1] = end;
                    continue;
                }
                if (!_entry.IsReadable || _levelEnd[depth] + _entry.NameLength > AtcpInventory.MaxNameLength) continue;
                _pendingDepth = depth;
                return true;
            }
        }

        // "cd-<sector>-<size>" in hex: stable for a given image, different for different files.
        int WriteETag()
        {
            int n = 0;
            _etag[n++] = (byte)'"';
            _etag[n++] = (byte)'c'; _etag[n++] = (byte)'d'; _etag[n++] = (byte)'-';
            n = Hex(_etag, n, (ulong)_entry.DataSector);
            _etag[n++] = (byte)'-';
            n = Hex(_etag, n, (ulong)_entry.Size);
            _etag[n++] = (byte)'"';
            return n;
        }

        static int Hex(byte[] b, int n, ulong v)
        {
            int digits = 1;
            for (ulong t = v >> 4; t != 0; t >>= 4) digits++;
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((v >> (i * 4)) & 0xF);
                b[n++] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            }
            return n;
        }
    }
}
