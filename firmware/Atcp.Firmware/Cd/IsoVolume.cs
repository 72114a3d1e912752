using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Cd
{
    /// <summary>Read-only ISO 9660 (ECMA-119) volume over a block device: the board's "CD", an SD
    /// card written with an .iso image. Mount scans the volume descriptors; then paths resolve to
    /// <see cref="IsoEntry"/> values, directories list through cursors, and file bytes are read by
    /// range straight into the caller's buffer. One 2048-byte sector buffer serves all directory
    /// work; nothing is allocated per call (but for the console's string lookups). Not thread-safe: one caller at a time.</summary>
    public sealed partial class IsoVolume
    {
        /// <summary>Logical sector (and logical block) size of ISO 9660 media (ECMA-119 6.1.2).</summary>
        public const int SectorSize = 2048;
        /// <summary>First volume descriptor: sectors 0..15 are the system area (ECMA-119 6.2.1).</summary>
        public const int FirstDescriptorSector = 16;
        /// <summary>Most descriptors scanned before a missing terminator is declared.</summary>
        public const int MaxDescriptors = 64;
        /// <summary>Deepest path or tree walk followed; bounds work on directory cycles. ISO 9660
        /// itself allows 8 levels (6.8.2.1); tools that relax it rarely go past 32.</summary>
        public const int MaxDepth = 32;
        /// <summary>Longest path, in UTF-8 bytes, accepted by <see cref="Lookup(string, IsoEntry)"/>.</summary>
        public const int MaxPathBytes = 1024;

        readonly IBlockDevice device;
        readonly byte[] sector = new byte[SectorSize];
        readonly IsoEntry root = new IsoEntry(false); // the root has no name
        readonly IsoDirectoryCursor lookupCursor = new IsoDirectoryCursor();
        // A path component in the directory's own encoding (UCS-2 or upper-case d-characters).
        readonly byte[] key = new byte[DirectoryRecord.MaximumIdentifierLength];
        // The identifier of a multi-extent file's first record, to check the following parts. It
        // shares key's bytes: parts are merged after the record matching key was found, when key
        // is no longer needed.
        readonly byte[] partIdentifier;
        readonly byte[] primaryRoot = new byte[VolumeDescriptor.RootDirectoryRecordLength];
        readonly byte[] jolietRoot = new byte[VolumeDescriptor.RootDirectoryRecordLength];
        // Where each remaining path component starts and how long it is, after dot segments.
        readonly int[] componentStart = new int[MaxDepth];
        readonly int[] componentLength = new int[MaxDepth];
        long cachedSector = -1;
        int deviceBlockSize;
        int blocksPerSector;
        long deviceSectors;
        long volumeSectors;

        /// <summary>Creates a volume over a device; nothing is read until <see cref="Mount()"/>.</summary>
        public IsoVolume(IBlockDevice device)
        {
            this.device = device;
            partIdentifier = key;
            VolumeIdentifier = "";
            FailedSector = -1;
        }

        /// <summary>True after a successful mount.</summary>
        public bool IsMounted { get; private set; }

        /// <summary>True when names and directories come from the Joliet supplementary descriptor.</summary>
        public bool UsesJoliet { get; private set; }

        /// <summary>Joliet level (1..3) found on the volume, 0 when there is no Joliet descriptor.</summary>
        public int JolietLevel { get; private set; }

        /// <summary>Volume identifier (Joliet when used, else primary), trailing spaces removed.</summary>
        public string VolumeIdentifier { get; private set; }

        /// <summary>Volume space size in 2048-byte sectors, from the primary descriptor.</summary>
        public long VolumeSectors { get { return volumeSectors; } }

        /// <summary>Volume creation time in Unix seconds, 0 when not recorded.</summary>
        public long CreatedUnixSeconds { get; private set; }

        /// <summary>Logical sector where the last failing operation stopped, -1 when none applies.</summary>
        public long FailedSector { get; private set; }

        /// <summary>Status of the last device read (useful after <see cref="IsoStatus.IoError"/>).</summary>
        public BlockStatus LastBlockStatus { get; private set; }

        /// <summary>Mounts preferring Joliet names when the volume has them.</summary>
        public IsoStatus Mount()
        {
            return Mount(true);
        }

        /// <summary>Scans the volume descriptor set from sector 16 to its terminator and checks the
        /// primary (and Joliet) descriptors and the root directory. preferJoliet=false uses the
        /// primary tree even when a Joliet tree exists.</summary>
        public IsoStatus Mount(bool preferJoliet)
        {
            IsMounted = false;
            UsesJoliet = false;
            JolietLevel = 0;
            VolumeIdentifier = "";
            CreatedUnixSeconds = 0;
            FailedSector = -1;
            cachedSector = -1;
            int blockSize = device.BlockSize;
            if (blockSize <= 0 || blockSize > SectorSize || SectorSize % blockSize != 0)
                return Fail(IsoStatus.UnsupportedBlockSize, -1);
            deviceBlockSize = blockSize;
            blocksPerSector = SectorSize / blockSize;
            deviceSectors = device.BlockCount / blocksPerSector;
            // Until the primary descriptor gives the volume size, reads are bounded by the device.
            volumeSectors = deviceSectors;
            if (deviceSectors <= FirstDescriptorSector) return Fail(IsoStatus.NotIso9660, FirstDescriptorSector);

            bool havePrimary = false;
            bool terminated = false;
            long primarySectors = 0;
            long primarySector = 0;
            long jolietSector = 0;
            string primaryIdentifier = "";
            string jolietIdentifier = "";
            long s = FirstDescriptorSector;
            for (int i = 0; i < MaxDescriptors && !terminated; i++, s++)
            {
                IsoStatus status = LoadSector(s);
                if (status != IsoStatus.Ok) return status;
                if (!VolumeDescriptor.HasStandardIdentifier(sector, 0))
                    return Fail(i == 0 ? IsoStatus.NotIso9660 : IsoStatus.CorruptDescriptor, s);
                int type = sector[VolumeDescriptor.TypeOffset];
                int version = sector[VolumeDescriptor.VersionOffset];
                if (type == VolumeDescriptor.TypeTerminator)
                {
                    terminated = true;
                }
                else if (type == VolumeDescriptor.TypePrimary && !havePrimary)
                {
                    if (version != 1 || sector[VolumeDescriptor.FileStructureVersionOffset] != 1)
                        return Fail(IsoStatus.UnsupportedVersion, s);
                    status = CheckGeometry(s, out primarySectors);
                    if (status != IsoStatus.Ok) return status;
                    System.Array.Copy(sector, VolumeDescriptor.RootDirectoryRecordOffset, primaryRoot, 0, primaryRoot.Length);
                    primaryIdentifier = ReadVolumeIdentifier(false);
                    CreatedUnixSeconds = IsoDate.FromDescriptorDate(sector, VolumeDescriptor.CreationDateOffset);
                    primarySector = s;
                    havePrimary = true;
                }
                else if (type == VolumeDescriptor.TypeSupplementary && version == 1 && JolietLevel == 0)
                {
                    // Version 2 is the ISO 9660:1999 enhanced descriptor, not Joliet: skipped.
                    int level = VolumeDescriptor.JolietLevel(sector, 0);
                    if (level > 0)
                    {
                        status = CheckGeometry(s, out long ignoredSectors);
                        if (status != IsoStatus.Ok) return status;
                        System.Array.Copy(sector, VolumeDescriptor.RootDirectoryRecordOffset, jolietRoot, 0, jolietRoot.Length);
                        jolietIdentifier = ReadVolumeIdentifier(true);
                        jolietSector = s;
                        JolietLevel = level;
                    }
                }
                // Boot records (type 0), partition descriptors (3) and unknown types are skipped.
            }
            if (!terminated) return Fail(IsoStatus.CorruptDescriptor, s - 1);
            if (!havePrimary) return Fail(IsoStatus.NotIso9660, FirstDescriptorSector);
            if (primarySectors > deviceSectors) return Fail(IsoStatus.Truncated, deviceSectors);
            volumeSectors = primarySectors;

            UsesJoliet = preferJoliet && JolietLevel > 0;
            byte[] rootRecord = UsesJoliet ? jolietRoot : primaryRoot;
            long descriptorSector = UsesJoliet ? jolietSector : primarySector;
            if (rootRecord[DirectoryRecord.LengthOffset] < DirectoryRecord.MinimumLength
                || !DirectoryRecord.IsSelfOrParent(rootRecord, 0)
                || (rootRecord[DirectoryRecord.FlagsOffset] & DirectoryRecord.FlagDirectory) == 0)
                return Fail(IsoStatus.CorruptDescriptor, descriptorSector);
            IsoStatus rootStatus = FillEntry(rootRecord, 0, root, descriptorSector);
            if (rootStatus != IsoStatus.Ok) return rootStatus;
            root.NameLength = 0;
            VolumeIdentifier = UsesJoliet ? jolietIdentifier : primaryIdentifier;

            IsMounted = true;
            IsoStatus open = OpenDirectory(root, lookupCursor);
            if (open != IsoStatus.Ok) IsMounted = false;
            return open;
        }

        /// <summary>Copies the root directory into entry.</summary>
        public IsoStatus GetRoot(IsoEntry entry)
        {
            if (!IsMounted) return IsoStatus.NotMounted;
            if (entry == null) return IsoStatus.InvalidArgument;
            entry.CopyFrom(root);
            return IsoStatus.Ok;
        }

        // Logical block size must be 2048 (both-endian, 8.4.12) and the volume size both-endian.
        IsoStatus CheckGeometry(long descriptorSector, out long sectors)
        {
            if (!VolumeDescriptor.TryReadBothEndian32(sector, VolumeDescriptor.VolumeSpaceSizeOffset, out sectors)
                || !VolumeDescriptor.TryReadBothEndian16(sector, VolumeDescriptor.LogicalBlockSizeOffset, out int logicalBlockSize))
                return Fail(IsoStatus.EndianMismatch, descriptorSector);
            if (logicalBlockSize != SectorSize) return Fail(IsoStatus.UnsupportedBlockSize, descriptorSector);
            if (sectors <= FirstDescriptorSector) return Fail(IsoStatus.CorruptDescriptor, descriptorSector);
            return IsoStatus.Ok;
        }

        // Mount-time only: allocates the identifier string.
        string ReadVolumeIdentifier(bool ucs2)
        {
            int o = VolumeDescriptor.VolumeIdentifierOffset;
            int n = VolumeDescriptor.VolumeIdentifierLength;
            int unit = ucs2 ? 2 : 1;
            // Strip trailing padding (spaces, or zeros some tools write).
            while (n >= unit && (sector[o + n - 1] == ' ' || sector[o + n - 1] == 0)
                && (!ucs2 || sector[o + n - 2] == 0)) n -= unit;
            byte[] utf8 = new byte[IsoEntry.NameCapacity];
            int length = ucs2
                ? IsoNames.Ucs2BeToUtf8(sector, o, n, utf8, 0, utf8.Length)
                : IsoNames.CopyPrimaryName(sector, o, n, utf8, utf8.Length);
            return length <= 0 ? "" : Atcp.Wire.Utf8.GetString(utf8, 0, length);
        }

        // Fills entry from the record at b[off]. recordSector is reported on failure.
        IsoStatus FillEntry(byte[] b, int off, IsoEntry entry, long recordSector)
        {
            if (!VolumeDescriptor.TryReadBothEndian32(b, off + DirectoryRecord.ExtentOffset, out long extent)
                || !VolumeDescriptor.TryReadBothEndian32(b, off + DirectoryRecord.DataLengthOffset, out long size))
                return Fail(IsoStatus.EndianMismatch, recordSector);
            int flags = b[off + DirectoryRecord.FlagsOffset];
            long data = extent + b[off + DirectoryRecord.ExtendedAttributeLengthOffset];
            if (!ExtentFits(data, size)) return Fail(IsoStatus.CorruptDirectory, recordSector);
            if ((flags & DirectoryRecord.FlagDirectory) != 0
                && (size == 0 || (flags & DirectoryRecord.FlagMultiExtent) != 0))
                return Fail(IsoStatus.CorruptDirectory, recordSector);
            entry.DataSector = data;
            entry.Size = size;
            entry.Flags = flags;
            entry.ModifiedUnixSeconds = IsoDate.FromRecordingDate(b, off + DirectoryRecord.RecordingDateOffset);
            entry.ExtentCount = 1;
            entry.IsContiguous = true;
            entry.IsInterleaved = b[off + DirectoryRecord.FileUnitSizeOffset] != 0
                || b[off + DirectoryRecord.InterleaveGapOffset] != 0;

            int idOffset = off + DirectoryRecord.IdentifierOffset;
            int idLength = b[off + DirectoryRecord.IdentifierLengthOffset];
            int nameLength;
            if (!entry.KeepsName) nameLength = 0; // a handle for reading: the caller matched the name
            else if (DirectoryRecord.IsSelfOrParent(b, off))
            {
                nameLength = b[idOffset] == DirectoryRecord.SelfIdentifier ? 1 : 2;
                entry.Name[0] = (byte)'.';
                entry.Name[1] = (byte)'.';
            }
            else
            {
                int trimmed = IsoNames.TrimmedIdentifierLength(b, idOffset, idLength, UsesJoliet);
                nameLength = UsesJoliet
                    ? IsoNames.Ucs2BeToUtf8(b, idOffset, trimmed, entry.Name, 0, IsoEntry.NameCapacity)
                    : IsoNames.CopyPrimaryName(b, idOffset, trimmed, entry.Name, IsoEntry.NameCapacity);
                if (nameLength < 0) return Fail(IsoStatus.CorruptDirectory, recordSector);
            }
            entry.NameLength = nameLength;
            return IsoStatus.Ok;
        }

        // An extent lies inside the volume. Empty files may point anywhere (tools write 0 or a
        // neighbour's extent), so only non-empty extents are checked.
        bool ExtentFits(long dataSector, long size)
        {
            if (size == 0) return true;
            return dataSector + (size + SectorSize - 1) / SectorSize <= volumeSectors;
        }

        // Reads one logical sector into the shared buffer, unless it is already there.
        IsoStatus LoadSector(long s)
        {
            if (s == cachedSector) return IsoStatus.Ok;
            if (s < 0 || s >= volumeSectors)
                return Fail(s >= deviceSectors ? IsoStatus.Truncated : IsoStatus.CorruptDirectory, s);
            cachedSector = -1;
            BlockStatus read = device.Read(s * blocksPerSector, blocksPerSector, sector, 0);
            LastBlockStatus = read;
            if (read != BlockStatus.Ok)
                return Fail(read == BlockStatus.OutOfRange ? IsoStatus.Truncated : IsoStatus.IoError, s);
            cachedSector = s;
            return IsoStatus.Ok;
        }

        IsoStatus Fail(IsoStatus status, long atSector)
        {
            FailedSector = atSector;
            return status;
        }
    }
}
