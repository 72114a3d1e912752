namespace Atcp.Firmware.Cd
{
    /// <summary>Depth-first walk of a directory tree (inventory pages, a console `cd find`), with
    /// one cursor per level preallocated up to <see cref="IsoVolume.MaxDepth"/>. A directory that is
    /// its own ancestor (a cycle in a corrupt image) is reported and not entered, and depth is
    /// bounded, so a walk always ends.</summary>
    public sealed class IsoTreeWalker
    {
        readonly IsoVolume volume;
        readonly IsoDirectoryCursor[] cursors = new IsoDirectoryCursor[IsoVolume.MaxDepth];
        int level = -1;

        /// <summary>Creates a walker for a mounted (or later mounted) volume.</summary>
        public IsoTreeWalker(IsoVolume volume)
        {
            this.volume = volume;
            for (int i = 0; i < cursors.Length; i++) cursors[i] = new IsoDirectoryCursor();
        }

        /// <summary>Depth of the entry last returned: 0 for entries of the start directory.</summary>
        public int Depth { get; private set; }

        /// <summary>Starts a walk below the given directory.</summary>
        public IsoStatus Start(IsoEntry directory)
        {
            level = -1;
            IsoStatus status = volume.OpenDirectory(directory, cursors[0]);
            if (status == IsoStatus.Ok) level = 0;
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
                IsoStatus status = volume.ReadNext(cursors[level], entry);
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
                    if (cursors[i].DirectorySector == entry.DataSector) return IsoStatus.DirectoryCycle;
                }
                if (level + 1 >= cursors.Length) return IsoStatus.TooDeep;
                status = volume.OpenDirectory(entry, cursors[level + 1]);
                if (status != IsoStatus.Ok) return status;
                level++;
                return IsoStatus.Ok;
            }
            return IsoStatus.EndOfDirectory;
        }
    }
}
