using Atcp.Firmware.Alu;
using Atcp.Firmware.Hal;
using Atcp.Wire;

namespace Atcp.Firmware.Store
{
    /// <summary>Streams one new object into the store: Begin (name, size, content type), Append the
    /// payload in pieces of any size, Commit. CRC-32C and the chunk sums are computed on the way
    /// (this path loops over bytes: console and host only). Data and sums go to free units as they
    /// come; nothing is visible until Commit's superblock write, and a power cut or Abort before it
    /// leaves the store as it was. Obtain it from ObjectStore.Writer.</summary>
    public sealed class ObjectWriter
    {
        readonly ObjectStore _store;
        readonly StoreObject _object = new StoreObject();
        readonly StoreObject _replaced = new StoreObject(false); // found by name; only its units are needed
        readonly byte[] _data = new byte[StoreLayout.BlockSize];
        readonly byte[] _sums = new byte[StoreLayout.BlockSize];
        bool _active;
        bool _replacing;
        StoreStatus _failure;
        long _written;
        int _dataFill;
        long _nextDataBlock;
        int _sumsFill;
        long _nextSumsBlock;
        ushort _chunkSum;
        int _chunkFill;

        internal ObjectWriter(ObjectStore store)
        {
            _store = store;
        }

        /// <summary>True between Begin and Commit or Abort.</summary>
        public bool IsActive { get { return _active; } }

        /// <summary>Payload bytes appended so far.</summary>
        public long BytesWritten { get { return _written; } }

        /// <summary>The object being written (Size, name, extents; CRC and Version after Commit).</summary>
        public StoreObject Object { get { return _object; } }

        internal void Reset()
        {
            _active = false;
        }

        /// <summary>Starts writing an object named by the UTF-8 bytes name[nameOffset..+nameLength)
        /// (1..255 bytes, no NUL) of exactly size bytes, with a printable-ASCII content type of up to
        /// 120 bytes and a writer-defined modification time. Reserves space now: CardFull, Fragmented
        /// or DirectoryFull come back here, before any data is sent. An existing object of that
        /// name is replaced at Commit (space for both is needed meanwhile).</summary>
        public StoreStatus Begin(byte[] name, int nameOffset, int nameLength, long size,
            byte[] contentType, int typeOffset, int typeLength, long modifiedTime)
        {
            StoreStatus status = _store.ReadyToChange(false);
            if (status != StoreStatus.Ok) return status;
            if (nameLength < 1 || nameLength > StoreObject.MaxNameLength) return StoreStatus.InvalidName;
            for (int i = 0; i < nameLength; i++) if (name[nameOffset + i] == 0) return StoreStatus.InvalidName;
            if (!Utf8.IsValid(name, nameOffset, nameLength)) return StoreStatus.InvalidName;
            if (size < 0 || typeLength < 0 || typeLength > StoreObject.MaxContentTypeLength) return StoreStatus.InvalidArgument;
            for (int i = 0; i < typeLength; i++)
            {
                int c = contentType[typeOffset + i];
                if (c < 0x20 || c > 0x7E) return StoreStatus.InvalidArgument;
            }
            if (size > _store.CapacityBytes) return StoreStatus.CardFull;
            long units = _store.UnitsFor(size);
            if (units > _store.Layout.UnitCount) return StoreStatus.CardFull;
            uint hash = Crc32C.Compute(name, nameOffset, nameLength);
            status = _store.PrepareName(name, nameOffset, nameLength, hash, _replaced, out _replacing);
            if (status != StoreStatus.Ok) return status;
            int extents;
            status = _store.Allocate(units, _object.ExtentStart, _object.ExtentUnits, out extents);
            if (status != StoreStatus.Ok) return status;
            _object.ExtentCount = extents;
            _object.Unit = _object.ExtentStart[0];
            _object.NameHash = hash;
            _object.Size = size;
            _object.ChunkSize = _store.ChunkSize;
            _object.ModifiedTime = modifiedTime;
            _object.PayloadCrc = 0;
            _object.SumsCrc = 0;
            _object.Version = 0;
            _object.NameLength = nameLength;
            System.Array.Copy(name, nameOffset, _object.Name, 0, nameLength);
            _object.ContentTypeLength = typeLength;
            if (typeLength > 0) System.Array.Copy(contentType, typeOffset, _object.ContentType, 0, typeLength);
            _written = 0;
            _dataFill = 0;
            _nextDataBlock = 1;
            _sumsFill = 0;
            _nextSumsBlock = 1 + _object.DataBlocks;
            _chunkSum = 0;
            _chunkFill = 0;
            _failure = StoreStatus.Ok;
            _active = true;
            return StoreStatus.Ok;
        }

        /// <summary>Begin with string name and content type (allocates; console and host use).</summary>
        public StoreStatus Begin(string name, long size, string contentType)
        {
            byte[] n = Utf8.GetBytes(name);
            byte[] t = Utf8.GetBytes(contentType == null ? "" : contentType);
            return Begin(n, 0, n.Length, size, t, 0, t.Length, 0);
        }

        /// <summary>Appends buffer[offset..offset+count). SizeMismatch (nothing taken) when it would
        /// exceed the size given to Begin; a device error ends the write (Commit then fails).</summary>
        public StoreStatus Append(byte[] buffer, int offset, int count)
        {
            if (!_active) return StoreStatus.NotWriting;
            if (_failure != StoreStatus.Ok) return _failure;
            if (count < 0 || offset < 0 || count > buffer.Length - offset) return StoreStatus.InvalidArgument;
            if (count > _object.Size - _written) return StoreStatus.SizeMismatch;
            _object.PayloadCrc = Crc32C.Append(_object.PayloadCrc, buffer, offset, count);
            StoreStatus status = AddSums(buffer, offset, count);
            int at = offset;
            int left = count;
            while (status == StoreStatus.Ok && left > 0)
            {
                if (_dataFill == 0 && left >= StoreLayout.BlockSize)
                {
                    int blocks = left / StoreLayout.BlockSize;
                    int done;
                    status = WriteBlocks(_nextDataBlock, blocks, buffer, at, out done);
                    _nextDataBlock += done;
                    at += done * StoreLayout.BlockSize;
                    left -= done * StoreLayout.BlockSize;
                    continue;
                }
                int take = StoreLayout.BlockSize - _dataFill;
                if (take > left) take = left;
                System.Array.Copy(buffer, at, _data, _dataFill, take);
                _dataFill += take;
                at += take;
                left -= take;
                if (_dataFill == StoreLayout.BlockSize) status = FlushData();
            }
            _written += count;
            if (status != StoreStatus.Ok) _failure = status;
            return status;
        }

        /// <summary>Finishes the object: writes the last partial blocks and the object block, then
        /// commits (directory, bitmap, superblock). SizeMismatch if fewer bytes than declared were
        /// appended (the write stays open: append the rest or Abort). After any other outcome the
        /// writer is idle again; on Ok, Object holds the committed description.</summary>
        public StoreStatus Commit()
        {
            if (!_active) return StoreStatus.NotWriting;
            if (_failure == StoreStatus.Ok && _written != _object.Size) return StoreStatus.SizeMismatch;
            StoreStatus status = _failure;
            if (status == StoreStatus.Ok && _dataFill > 0)
            {
                System.Array.Clear(_data, _dataFill, StoreLayout.BlockSize - _dataFill);
                status = FlushData();
            }
            if (status == StoreStatus.Ok && _chunkFill > 0) status = EmitSum();
            if (status == StoreStatus.Ok && _sumsFill > 0) status = FlushSums();
            _active = false;
            if (status != StoreStatus.Ok) return status;
            return _store.CommitObject(_object, _replacing, _replaced, _data);
        }

        /// <summary>Drops the write. The blocks written so far are free space; the card is unchanged.</summary>
        public void Abort()
        {
            _active = false;
        }

        StoreStatus AddSums(byte[] buffer, int offset, int count)
        {
            int chunk = _object.ChunkSize;
            while (count > 0)
            {
                int take = chunk - _chunkFill;
                if (take > count) take = count;
                // A piece that starts at an odd place in its chunk contributes byte-swapped (RFC 1071 2(B)).
                _chunkSum = InternetChecksum.CombineAt(_chunkSum, InternetChecksum.Sum(buffer, offset, take), _chunkFill);
                _chunkFill += take;
                offset += take;
                count -= take;
                if (_chunkFill == chunk)
                {
                    StoreStatus status = EmitSum();
                    if (status != StoreStatus.Ok) return status;
                }
            }
            return StoreStatus.Ok;
        }

        StoreStatus EmitSum()
        {
            NetworkOrder.WriteUInt16(_sums, _sumsFill, _chunkSum);
            _sumsFill += 2;
            _chunkSum = 0;
            _chunkFill = 0;
            if (_sumsFill == StoreLayout.BlockSize) return FlushSums();
            return StoreStatus.Ok;
        }

        StoreStatus FlushSums()
        {
            _object.SumsCrc = Crc32C.Append(_object.SumsCrc, _sums, 0, _sumsFill);
            if (_sumsFill < StoreLayout.BlockSize) System.Array.Clear(_sums, _sumsFill, StoreLayout.BlockSize - _sumsFill);
            int done;
            StoreStatus status = WriteBlocks(_nextSumsBlock, 1, _sums, 0, out done);
            _nextSumsBlock++;
            _sumsFill = 0;
            return status;
        }

        StoreStatus FlushData()
        {
            int done;
            StoreStatus status = WriteBlocks(_nextDataBlock, 1, _data, 0, out done);
            _nextDataBlock++;
            _dataFill = 0;
            return status;
        }

        /// <summary>Writes count blocks to the object's logical blocks from logical on, split at
        /// extent boundaries; done says how many were written.</summary>
        StoreStatus WriteBlocks(long logical, int count, byte[] buffer, int offset, out int done)
        {
            done = 0;
            StoreLayout layout = _store.Layout;
            while (done < count)
            {
                long contiguous;
                long block = _object.PhysicalBlock(layout, logical + done, out contiguous);
                if (block < 0) return StoreStatus.Corrupt;
                int n = count - done;
                if (n > contiguous) n = (int)contiguous;
                BlockStatus written = _store.Device.Write(block, n, buffer, offset + done * StoreLayout.BlockSize);
                if (written != BlockStatus.Ok)
                {
                    _store.LastDeviceStatus = written;
                    return StoreStatus.DeviceError;
                }
                done += n;
            }
            return StoreStatus.Ok;
        }
    }
}
