using Atcp.Wire;
namespace Atcp.Firmware.Store
{
    /// <summary>What the store knows about one object: filled by Lookup and listing, then passed to
    /// ReadRange, GetChunkSums and friends. Reusable (every fill overwrites all fields), caller-owned,
    /// about 650 bytes, or about 230 without names (<see cref="StoreObject(bool)"/>: what a stream
    /// needs, since reads find the object by unit and name hash). Handles notice when their object
    /// is deleted or replaced (status Stale).</summary>
    public sealed class StoreObject
    {
        static readonly byte[] NoBytes = new byte[0];

        /// <summary>A handle that keeps the name and content type bytes.</summary>
        public StoreObject() : this(true) { }

        /// <summary>A handle that keeps the name and content type bytes when keepNames, else only their
        /// lengths and hash (Name and ContentType are then empty): enough to read, sum and revalidate
        /// the object, and 375 bytes smaller, for the board's per-stream handles.</summary>
        public StoreObject(bool keepNames)
        {
            Name = keepNames ? new byte[MaxNameLength] : NoBytes;
            ContentType = keepNames ? new byte[MaxContentTypeLength] : NoBytes;
        }

        /// <summary>True when Name and ContentType hold the bytes (see <see cref="StoreObject(bool)"/>).</summary>
        public bool KeepsNames { get { return Name.Length != 0; } }

        /// <summary>Most extents (runs of allocation units) one object may occupy.</summary>
        public const int MaxExtents = 8;
        /// <summary>Longest name in bytes (UTF-8).</summary>
        public const int MaxNameLength = 255;
        /// <summary>Longest content type in bytes (printable ASCII).</summary>
        public const int MaxContentTypeLength = 120;

        /// <summary>Unit number of the object's first block (its object block): a stable id while the
        /// object exists, usable as a compact handle in listings.</summary>
        public long Unit;
        /// <summary>CRC-32C of the name: selects the directory bucket.</summary>
        public uint NameHash;
        /// <summary>Payload bytes.</summary>
        public long Size;
        /// <summary>CRC-32C of the payload.</summary>
        public uint PayloadCrc;
        /// <summary>CRC-32C of the stored chunk sums table (2 bytes per chunk, big-endian).</summary>
        public uint SumsCrc;
        /// <summary>Chunk size of the stored sums (the card's chunk size when written).</summary>
        public int ChunkSize;
        /// <summary>Store generation of the commit that wrote the object; a store-wide counter, so a
        /// later write of any object has a larger version.</summary>
        public long Version;
        /// <summary>Modification time given by the writer (its meaning is the writer's; 0 = unknown).</summary>
        public long ModifiedTime;
        /// <summary>Extents in use.</summary>
        public int ExtentCount;
        /// <summary>First unit of each extent.</summary>
        public readonly uint[] ExtentStart = new uint[MaxExtents];
        /// <summary>Units in each extent.</summary>
        public readonly uint[] ExtentUnits = new uint[MaxExtents];
        /// <summary>Name bytes (UTF-8), NameLength of them (empty for a handle without names).</summary>
        public readonly byte[] Name;
        /// <summary>Name length in bytes.</summary>
        public int NameLength;
        /// <summary>Content type bytes (ASCII), ContentTypeLength of them (empty for a handle without names).</summary>
        public readonly byte[] ContentType;
        /// <summary>Content type length in bytes.</summary>
        public int ContentTypeLength;
        /// <summary>Store generation at which this handle was last known current (internal bookkeeping).</summary>
        internal long CheckedGeneration;

        /// <summary>Blocks holding payload (the last one zero padded).</summary>
        public long DataBlocks { get { return (Size + StoreLayout.BlockSize - 1) / StoreLayout.BlockSize; } }

        /// <summary>Chunks of the payload; the last may be short.</summary>
        public long ChunkCount { get { return Alu.ChunkSums.ChunkCount(Size, ChunkSize); } }

        /// <summary>Blocks holding the sums table (256 sums per block).</summary>
        public long SumsBlocks { get { return SumsBlocksFor(Size, ChunkSize); } }

        /// <summary>Blocks of sums table an object of size bytes needs.</summary>
        public static long SumsBlocksFor(long size, int chunkSize)
        {
            return Alu.ByteRange.PiecesFor(Alu.ChunkSums.ChunkCount(size, chunkSize) * 2, StoreLayout.BlockSize);
        }

        /// <summary>Total units across extents.</summary>
        public long TotalUnits
        {
            get
            {
                long total = 0;
                for (int i = 0; i < ExtentCount; i++) total += ExtentUnits[i];
                return total;
            }
        }

        /// <summary>The name as a string (allocates; console and host use).</summary>
        public string GetName() { return KeepsNames ? Utf8.GetString(Name, 0, NameLength) : ""; }

        /// <summary>The content type as a string (allocates).</summary>
        public string GetContentType() { return KeepsNames ? Utf8.GetString(ContentType, 0, ContentTypeLength) : ""; }

        /// <summary>True when the name equals bytes[offset..offset+count) (always false for a handle
        /// without names).</summary>
        public bool NameEquals(byte[] bytes, int offset, int count)
        {
            if (count != NameLength || !KeepsNames) return false;
            for (int i = 0; i < count; i++) if (Name[i] != bytes[offset + i]) return false;
            return true;
        }

        /// <summary>Longest ETag WriteETag produces.</summary>
        public const int MaxETagLength = 44;

        /// <summary>Writes the entity tag, quotes included, as ASCII: "crc-size-version" with the
        /// payload CRC-32C as 8 hex digits and size and version in hex without leading zeros
        /// (RFC 9110 section 8.8.3 opaque-tag). The version makes a rewrite of identical bytes a new
        /// tag. Returns the byte count (at most MaxETagLength); no allocation.</summary>
        public int WriteETag(byte[] dest, int offset)
        {
            int n = offset;
            dest[n++] = (byte)'"';
            n = WriteHex(dest, n, PayloadCrc, 8);
            dest[n++] = (byte)'-';
            n = WriteHex(dest, n, (ulong)Size, 0);
            dest[n++] = (byte)'-';
            n = WriteHex(dest, n, (ulong)Version, 0);
            dest[n++] = (byte)'"';
            return n - offset;
        }

        /// <summary>The ETag as a string (allocates).</summary>
        public string GetETag()
        {
            byte[] buffer = new byte[MaxETagLength];
            int n = WriteETag(buffer, 0);
            return Utf8.GetString(buffer, 0, n);
        }

        static int WriteHex(byte[] dest, int offset, ulong value, int minDigits)
        {
            int digits = 1;
            while (digits < 16 && (value >> (4 * digits)) != 0) digits++;
            if (digits < minDigits) digits = minDigits;
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (4 * i)) & 0xF);
                dest[offset++] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            }
            return offset;
        }

        /// <summary>Copies every field from another handle (name bytes only when both keep names; a
        /// named handle copied from one without names ends up without a name).</summary>
        public void CopyFrom(StoreObject other)
        {
            Unit = other.Unit;
            NameHash = other.NameHash;
            Size = other.Size;
            PayloadCrc = other.PayloadCrc;
            SumsCrc = other.SumsCrc;
            ChunkSize = other.ChunkSize;
            Version = other.Version;
            ModifiedTime = other.ModifiedTime;
            ExtentCount = other.ExtentCount;
            System.Array.Copy(other.ExtentStart, ExtentStart, MaxExtents);
            System.Array.Copy(other.ExtentUnits, ExtentUnits, MaxExtents);
            // Name bytes go only where both sides keep them; a named handle copied from one without
            // names has no name (lengths 0) rather than lengths over bytes it does not have.
            bool bytesKnown = other.KeepsNames || !KeepsNames;
            if (KeepsNames && other.KeepsNames)
            {
                System.Array.Copy(other.Name, Name, MaxNameLength);
                System.Array.Copy(other.ContentType, ContentType, MaxContentTypeLength);
            }
            NameLength = bytesKnown ? other.NameLength : 0;
            ContentTypeLength = bytesKnown ? other.ContentTypeLength : 0;
            CheckedGeneration = other.CheckedGeneration;
        }

        /// <summary>Physical block of the object's logical block (0 = object block, then payload,
        /// then sums), and through contiguous how many blocks from there are physically adjacent.
        /// -1 when the logical block is beyond the extents.</summary>
        public long PhysicalBlock(StoreLayout layout, long logical, out long contiguous)
        {
            contiguous = 0;
            if (logical < 0) return -1;
            for (int i = 0; i < ExtentCount; i++)
            {
                long blocks = (long)ExtentUnits[i] * layout.UnitBlocks;
                if (logical < blocks)
                {
                    contiguous = blocks - logical;
                    return layout.UnitBlock(ExtentStart[i]) + logical;
                }
                logical -= blocks;
            }
            return -1;
        }
    }
}
