namespace Atcp.Firmware.Cd
{
    /// <summary>A position in one directory's records, for listing it a few entries at a time
    /// (console `cd ls`, inventory pages). Opened by <see cref="IsoVolume.OpenDirectory"/>, advanced
    /// by <see cref="IsoVolume.ReadNext"/>. Holds no sector data, so many cursors cost little.</summary>
    public sealed class IsoDirectoryCursor
    {
        /// <summary>First logical sector of the directory's records.</summary>
        public long DirectorySector { get; internal set; }

        /// <summary>Size of the directory's records in bytes.</summary>
        public long DirectorySize { get; internal set; }

        /// <summary>Byte offset of the next record within the directory. To resume a listing later
        /// (the next page), save this and set it back on a cursor opened on the same directory;
        /// any other value is caught as <see cref="IsoStatus.CorruptDirectory"/> or skipped.</summary>
        public long Position { get; set; }

        /// <summary>True once opened on a directory.</summary>
        public bool IsOpen { get; internal set; }
    }
}
