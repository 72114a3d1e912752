namespace Atcp.Firmware.Cd
{
    /// <summary>A file or directory found on the volume: where its bytes start, how many there are,
    /// its flags, date and UTF-8 name. Reusable: lookups and listings fill a caller-owned instance,
    /// so walking a directory allocates nothing.</summary>
    public sealed class IsoEntry
    {
        /// <summary>Room for the longest name: 222 identifier bytes = 111 UCS-2 units, 3 UTF-8 bytes each.</summary>
        public const int NameCapacity = 333;

        static readonly byte[] NoBytes = new byte[0];

        /// <summary>An entry that keeps its name.</summary>
        public IsoEntry() : this(true) { }

        /// <summary>An entry that keeps its name when keepsName, else none (Name empty, NameLength 0):
        /// what a stream's handle needs, 333 bytes smaller. Lookups into it still compare names on
        /// the medium.</summary>
        public IsoEntry(bool keepsName) { Name = keepsName ? new byte[NameCapacity] : NoBytes; }

        /// <summary>True when the entry keeps its name (see <see cref="IsoEntry(bool)"/>).</summary>
        public bool KeepsName { get { return Name.Length != 0; } }

        /// <summary>Name in UTF-8 (Joliet or primary, version suffix and trailing '.' removed);
        /// valid bytes are [0, <see cref="NameLength"/>). Empty for an entry without name.</summary>
        public readonly byte[] Name;

        /// <summary>Number of valid bytes in <see cref="Name"/> (0 for the root and for an entry
        /// without name).</summary>
        public int NameLength { get; internal set; }

        /// <summary>First logical sector (2048 bytes) of the data: extent location plus the extended attribute record.</summary>
        public long DataSector { get; internal set; }

        /// <summary>Size in bytes (for a multi-extent file, the sum of its parts).</summary>
        public long Size { get; internal set; }

        /// <summary>Raw file flags of the (first) record (ECMA-119 9.1.6).</summary>
        public int Flags { get; internal set; }

        /// <summary>Modification (recording) time in Unix seconds, 0 when not recorded.</summary>
        public long ModifiedUnixSeconds { get; internal set; }

        /// <summary>Number of directory records (extents) the file is made of: 1 unless multi-extent.</summary>
        public int ExtentCount { get; internal set; }

        /// <summary>True for an interleaved file (file unit size or gap not zero), which
        /// <see cref="IsoVolume.ReadRange"/> refuses.</summary>
        public bool IsInterleaved { get; internal set; }

        /// <summary>False for a multi-extent file whose parts are not back to back on the medium,
        /// which <see cref="IsoVolume.ReadRange"/> refuses.</summary>
        public bool IsContiguous { get; internal set; }

        /// <summary>True for a directory.</summary>
        public bool IsDirectory { get { return (Flags & DirectoryRecord.FlagDirectory) != 0; } }

        /// <summary>True when the existence ("hidden") flag is set.</summary>
        public bool IsHidden { get { return (Flags & DirectoryRecord.FlagHidden) != 0; } }

        /// <summary>True when the file is recorded as several extents (files of 4 GiB and more).</summary>
        public bool IsMultiExtent { get { return ExtentCount > 1; } }

        /// <summary>True when <see cref="IsoVolume.ReadRange"/> can read this entry's bytes.</summary>
        public bool IsReadable { get { return !IsDirectory && !IsInterleaved && IsContiguous; } }

        /// <summary>Copies every field of another entry into this one.</summary>
        public void CopyFrom(IsoEntry other)
        {
            int nameLength = KeepsName ? other.NameLength : 0;
            System.Array.Copy(other.Name, 0, Name, 0, nameLength);
            NameLength = nameLength;
            DataSector = other.DataSector;
            Size = other.Size;
            Flags = other.Flags;
            ModifiedUnixSeconds = other.ModifiedUnixSeconds;
            ExtentCount = other.ExtentCount;
            IsInterleaved = other.IsInterleaved;
            IsContiguous = other.IsContiguous;
        }

        /// <summary>True when the name equals the given UTF-8 bytes exactly.</summary>
        public bool NameEquals(byte[] utf8, int offset, int length)
        {
            if (length != NameLength) return false;
            for (int i = 0; i < length; i++)
            {
                if (Name[i] != utf8[offset + i]) return false;
            }
            return true;
        }

        /// <summary>The name as a string. Allocates: for the console and pages, not the data path.</summary>
        public string NameToString()
        {
            return Atcp.Wire.Utf8.GetString(Name, 0, NameLength);
        }
    }
}
