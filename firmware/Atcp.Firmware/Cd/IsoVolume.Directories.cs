namespace Atcp.Firmware.Cd
{
    public sealed partial class IsoVolume
    {
        /// <summary>Opens a cursor at the first entry of a directory, after checking that the
        /// directory starts with its own (self) record, which catches extents that point elsewhere.</summary>
        public IsoStatus OpenDirectory(IsoEntry directory, IsoDirectoryCursor cursor)
        {
            if (!IsMounted) return IsoStatus.NotMounted;
            if (directory == null || cursor == null) return IsoStatus.InvalidArgument;
            cursor.IsOpen = false;
            if (!directory.IsDirectory) return Fail(IsoStatus.NotADirectory, directory.DataSector);
            long first = directory.DataSector;
            IsoStatus status = LoadSector(first);
            if (status != IsoStatus.Ok) return status;
            // ECMA-119 6.8.2.2: the first record of a directory describes the directory itself.
            if (!DirectoryRecord.HasValidLengths(sector, 0, SectorSize)
                || sector[DirectoryRecord.IdentifierLengthOffset] != 1
                || sector[DirectoryRecord.IdentifierOffset] != DirectoryRecord.SelfIdentifier
                || (sector[DirectoryRecord.FlagsOffset] & DirectoryRecord.FlagDirectory) == 0)
                return Fail(IsoStatus.CorruptDirectory, first);
            if (!VolumeDescriptor.TryReadBothEndian32(sector, DirectoryRecord.ExtentOffset, out long self))
                return Fail(IsoStatus.EndianMismatch, first);
            if (self + sector[DirectoryRecord.ExtendedAttributeLengthOffset] != first)
                return Fail(IsoStatus.CorruptDirectory, first);
            cursor.DirectorySector = first;
            cursor.DirectorySize = directory.Size;
            cursor.Position = 0;
            cursor.IsOpen = true;
            return IsoStatus.Ok;
        }

        /// <summary>Fills entry with the next entry of the cursor's directory, skipping the self and
        /// parent records and associated files. Returns <see cref="IsoStatus.EndOfDirectory"/> after
        /// the last one. A multi-extent file comes back as one entry (its parts merged).</summary>
        public IsoStatus ReadNext(IsoDirectoryCursor cursor, IsoEntry entry)
        {
            if (!IsMounted) return IsoStatus.NotMounted;
            if (cursor == null || entry == null || !cursor.IsOpen) return IsoStatus.InvalidArgument;
            return NextEntry(cursor, entry, -1);
        }

        /// <summary>Resolves a path such as "/a/b/c.txt" (UTF-8) from the root into result. Joliet
        /// names compare exactly; primary names ignore ASCII case so lower-case paths find upper-case
        /// ISO names. Empty components and "." are skipped and ".." removes the previous component,
        /// as for URLs (RFC 3986 section 5.2.4), never climbing above the root. On failure result
        /// holds the last entry reached. Allocates nothing.</summary>
        public IsoStatus Lookup(byte[] path, int offset, int length, IsoEntry result)
        {
            if (!IsMounted) return IsoStatus.NotMounted;
            if (path == null || result == null || offset < 0 || length < 0 || length > path.Length - offset)
                return IsoStatus.InvalidArgument;
            // Dot segments are removed from the text first: parent records cannot be trusted for
            // "..", as xorriso 1.5 writes Joliet parent records that point at the directory itself.
            int depth = 0;
            int end = offset + length;
            int i = offset;
            while (i < end)
            {
                if (path[i] == '/')
                {
                    i++;
                    continue;
                }
                int j = i;
                while (j < end && path[j] != '/') j++;
                int n = j - i;
                if (n == 2 && path[i] == '.' && path[i + 1] == '.')
                {
                    if (depth > 0) depth--;
                }
                else if (n != 1 || path[i] != '.')
                {
                    if (depth == MaxDepth) return Fail(IsoStatus.TooDeep, -1);
                    componentStart[depth] = i;
                    componentLength[depth] = n;
                    depth++;
                }
                i = j;
            }
            result.CopyFrom(root);
            for (int k = 0; k < depth; k++)
            {
                if (!result.IsDirectory) return Fail(IsoStatus.NotADirectory, result.DataSector);
                IsoStatus status = FindChild(result, path, componentStart[k], componentLength[k]);
                if (status != IsoStatus.Ok) return status;
            }
            return IsoStatus.Ok;
        }

        /// <summary>Resolves a path given as a string (console use: allocates its UTF-8 bytes, so the
        /// volume keeps no path buffer); see <see cref="Lookup(byte[], int, int, IsoEntry)"/>.
        /// InvalidArgument for paths longer than <see cref="MaxPathBytes"/>.</summary>
        public IsoStatus Lookup(string path, IsoEntry result)
        {
            if (path == null || Atcp.Wire.Utf8.ByteCount(path) > MaxPathBytes) return IsoStatus.InvalidArgument;
            byte[] bytes = Atcp.Wire.Utf8.GetBytes(path);
            return Lookup(bytes, 0, bytes.Length, result);
        }

        // Replaces directory with its child named path[i..i+n).
        IsoStatus FindChild(IsoEntry directory, byte[] path, int i, int n)
        {
            int keyLength = UsesJoliet
                ? IsoNames.Utf8ToUcs2Be(path, i, n, key, 0, key.Length)
                : IsoNames.CopyUpperAscii(path, i, n, key, key.Length);
            long searched = directory.DataSector;
            // A name that cannot be encoded (malformed UTF-8, too long) matches nothing.
            if (keyLength < 0) return Fail(IsoStatus.NotFound, searched);
            IsoStatus status = OpenDirectory(directory, lookupCursor);
            if (status != IsoStatus.Ok) return status;
            status = NextEntry(lookupCursor, directory, keyLength);
            if (status == IsoStatus.EndOfDirectory) return Fail(IsoStatus.NotFound, searched);
            return status;
        }

        // Next entry, or with keyLength >= 0 the next whose identifier equals key[0..keyLength).
        IsoStatus NextEntry(IsoDirectoryCursor cursor, IsoEntry entry, int keyLength)
        {
            while (true)
            {
                IsoStatus status = NextRecord(cursor, out int off, out long s);
                if (status != IsoStatus.Ok) return status;
                if (DirectoryRecord.IsSelfOrParent(sector, off)) continue;
                int flags = sector[off + DirectoryRecord.FlagsOffset];
                if ((flags & DirectoryRecord.FlagAssociated) != 0) continue;
                if (keyLength >= 0)
                {
                    int idOffset = off + DirectoryRecord.IdentifierOffset;
                    int trimmed = IsoNames.TrimmedIdentifierLength(sector, idOffset,
                        sector[off + DirectoryRecord.IdentifierLengthOffset], UsesJoliet);
                    if (!IsoNames.IdentifierEquals(sector, idOffset, trimmed, key, keyLength, !UsesJoliet)) continue;
                }
                status = FillEntry(sector, off, entry, s);
                if (status != IsoStatus.Ok) return status;
                if ((flags & DirectoryRecord.FlagMultiExtent) != 0) return MergeExtents(cursor, entry, off);
                return IsoStatus.Ok;
            }
        }

        // Consumes the following records of a multi-extent file (ECMA-119 6.5.1: same identifier,
        // all but the last flagged) and adds their sizes. Parts back to back on the medium read as
        // one extent; others mark the entry non-contiguous so ReadRange refuses it clearly.
        IsoStatus MergeExtents(IsoDirectoryCursor cursor, IsoEntry entry, int firstOffset)
        {
            int idLength = sector[firstOffset + DirectoryRecord.IdentifierLengthOffset];
            System.Array.Copy(sector, firstOffset + DirectoryRecord.IdentifierOffset, partIdentifier, 0, idLength);
            bool more = true;
            while (more)
            {
                IsoStatus status = NextRecord(cursor, out int off, out long s);
                if (status == IsoStatus.EndOfDirectory)
                    return Fail(IsoStatus.CorruptDirectory, cursor.DirectorySector + (cursor.DirectorySize - 1) / SectorSize);
                if (status != IsoStatus.Ok) return status;
                if (sector[off + DirectoryRecord.IdentifierLengthOffset] != idLength
                    || !IsoNames.IdentifierEquals(sector, off + DirectoryRecord.IdentifierOffset, idLength, partIdentifier, idLength, false))
                    return Fail(IsoStatus.CorruptDirectory, s);
                if (!VolumeDescriptor.TryReadBothEndian32(sector, off + DirectoryRecord.ExtentOffset, out long extent)
                    || !VolumeDescriptor.TryReadBothEndian32(sector, off + DirectoryRecord.DataLengthOffset, out long size))
                    return Fail(IsoStatus.EndianMismatch, s);
                long data = extent + sector[off + DirectoryRecord.ExtendedAttributeLengthOffset];
                if (!ExtentFits(data, size)) return Fail(IsoStatus.CorruptDirectory, s);
                if (entry.Size % SectorSize != 0 || data != entry.DataSector + entry.Size / SectorSize)
                    entry.IsContiguous = false;
                entry.Size += size;
                entry.ExtentCount++;
                more = (sector[off + DirectoryRecord.FlagsOffset] & DirectoryRecord.FlagMultiExtent) != 0;
            }
            return IsoStatus.Ok;
        }

        // A zero length byte followed by a record's worth of zeros is padding. A zeroed length
        // byte of a real record is followed by its extent and identifier length, which are not
        // all zero. Checking 34 bytes rather than the whole tail keeps this cheap on the board.
        bool IsPaddingAt(int off)
        {
            int end = off + DirectoryRecord.MinimumLength;
            if (end > SectorSize) end = SectorSize;
            for (int i = off + 1; i < end; i++)
            {
                if (sector[i] != 0) return false;
            }
            return true;
        }

        // Loads the sector of the cursor's next record and advances past it. Zero bytes at the end of
        // a sector are padding (ECMA-119 6.8.1.1); a zero length at a sector start or followed by
        // non-zero bytes, a record that overruns its sector or the directory, is corruption. At most two sector reads per call.
        IsoStatus NextRecord(IsoDirectoryCursor cursor, out int off, out long s)
        {
            off = 0;
            s = cursor.DirectorySector;
            while (true)
            {
                long position = cursor.Position;
                if (position < 0) return IsoStatus.InvalidArgument;
                if (position >= cursor.DirectorySize) return IsoStatus.EndOfDirectory;
                long index = position / SectorSize;
                off = (int)(position - index * SectorSize);
                s = cursor.DirectorySector + index;
                IsoStatus status = LoadSector(s);
                if (status != IsoStatus.Ok) return status;
                int length = sector[off + DirectoryRecord.LengthOffset];
                if (length == 0)
                {
                    if (off == 0 || !IsPaddingAt(off)) return Fail(IsoStatus.CorruptDirectory, s);
                    cursor.Position = (index + 1) * SectorSize;
                    continue;
                }
                if (!DirectoryRecord.HasValidLengths(sector, off, SectorSize) || position + length > cursor.DirectorySize)
                    return Fail(IsoStatus.CorruptDirectory, s);
                cursor.Position = position + length;
                return IsoStatus.Ok;
            }
        }
    }
}
