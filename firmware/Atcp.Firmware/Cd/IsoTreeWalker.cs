namespace Atcp.Firmware.Cd
{
    /// <summary>Depth-first walk of a directory tree (inventory pages, a console `cd find`), with
    /// one saved position per level preallocated up to <see cref="IsoVolume.MaxDepth"/>. A directory
    /// that is its own ancestor (a cycle in a corrupt image) is reported and not entered, and depth
    /// is bounded, so a walk always ends. The levels are kept as three arrays of numbers around one
    /// working cursor rather than a cursor object per level (nanoCLR spends 12 bytes per field of
    /// every object: 32 cursors would cost about 2.3 KB, the arrays under 0.9 KB).</summary>
    public sealed class IsoTreeWalker
    {
        readonly IsoVolume volume;
        readonly IsoDirectoryCursor cursor = new IsoDirectoryCursor();
        readonly long[] sectors = new long[IsoVolume.MaxDepth];
        readonly long[] sizes = new long[IsoVolume.MaxDepth];
        readonly long[] positions = new long[IsoVolume.MaxDepth];
        int level = -1;

        /// <summary>Creates a walker for a mounted (or later mounted) volume.</summary>
        public IsoTreeWalker(IsoVolume volume)
        {
            this.volume = volume;
        }

        /// <summary>Depth of the entry last returned: 0 for entries of the start directory.</summary>
        public int Depth { get; private set; }

        /// <summary>Starts a walk below the given directory.</summary>
        public IsoStatus Start(IsoEntry directory)
        {
            level = -1;
            IsoStatus status = volume.OpenDirectory(directory, cursor);
            if (status == IsoStatus.Ok) { level = 0; Save(0); }
            return status;
        }

        /// <summary>Fills entry with the next entry, a directory before its contents. Returns
        /// <see cref="IsoStatus.EndOfDirectory"/> when the walk is done. <see cref="IsoStatus.TooDeep"/>
        /// and <see cref="IsoStatus.DirectoryCycle"/> come with entry filled: that directory is not
        /// entered and the walk can go on with Next. Any other status is a read or corruption
        /// failure after which the walk should stop.</summary>
        public IsoStatus Next(IsoEntry entry)
        {
            while (level >= 0)
            {
                Restore(level);
                IsoStatus status = volume.ReadNext(cursor, entry);
                positions[level] = cursor.Position;
                if (status == IsoStatus.EndOfDirectory)
                {
                    level--;
                    continue;
                }
                if (status != IsoStatus.Ok) return status;
                Depth = level;
                if (!entry.IsDirectory) return IsoStatus.Ok;
                for (int i = 0; i <= level; i++)
                {
                    if (sectors[i] == entry.DataSector) return IsoStatus.DirectoryCycle;
                }
                if (level + 1 >= sectors.Length) return IsoStatus.TooDeep;
                status = volume.OpenDirectory(entry, cursor);
                if (status != IsoStatus.Ok) return status;
                level++;
                Save(level);
                return IsoStatus.Ok;
            }
            return IsoStatus.EndOfDirectory;
        }

        void Save(int at)
        {
            sectors[at] = cursor.DirectorySector;
            sizes[at] = cursor.DirectorySize;
            positions[at] = cursor.Position;
        }

        // Puts the working cursor back on level at's directory (a no-op when it is already there).
        void Restore(int at)
        {
            cursor.DirectorySector = sectors[at];
            cursor.DirectorySize = sizes[at];
            cursor.Position = positions[at];
            cursor.IsOpen = true;
        }
    }
}
