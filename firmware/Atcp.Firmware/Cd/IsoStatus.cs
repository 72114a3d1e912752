namespace Atcp.Firmware.Cd
{
    /// <summary>Outcome of an ISO 9660 operation. Bad images are reported with one of these (and
    /// <see cref="IsoVolume.FailedSector"/>), never with an exception, so a board keeps serving.</summary>
    public enum IsoStatus
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>A directory cursor has no more entries (not an error).</summary>
        EndOfDirectory = 1,
        /// <summary>Mount has not succeeded yet.</summary>
        NotMounted = 2,
        /// <summary>The block device failed (see <see cref="IsoVolume.LastBlockStatus"/>).</summary>
        IoError = 3,
        /// <summary>The image ends before a sector the volume says it has.</summary>
        Truncated = 4,
        /// <summary>No "CD001" descriptor at sector 16, or no primary volume descriptor.</summary>
        NotIso9660 = 5,
        /// <summary>A descriptor or file structure version this reader does not speak.</summary>
        UnsupportedVersion = 6,
        /// <summary>A logical block size other than 2048, or a device block size that does not divide 2048.</summary>
        UnsupportedBlockSize = 7,
        /// <summary>The volume descriptor set is malformed (bad identifier mid-set, no terminator
        /// within <see cref="IsoVolume.MaxDescriptors"/>, bad root record).</summary>
        CorruptDescriptor = 8,
        /// <summary>A directory record is malformed: zero length at a sector start, overrunning its
        /// sector or directory, pointing beyond the volume, or a directory without its self entry.</summary>
        CorruptDirectory = 9,
        /// <summary>The little-endian and big-endian halves of a both-endian field differ.</summary>
        EndianMismatch = 10,
        /// <summary>No entry of that name.</summary>
        NotFound = 11,
        /// <summary>A path component or a listing target is a file, not a directory.</summary>
        NotADirectory = 12,
        /// <summary>A byte read was asked of a directory.</summary>
        IsADirectory = 13,
        /// <summary>A path or a tree walk went deeper than <see cref="IsoVolume.MaxDepth"/>.</summary>
        TooDeep = 14,
        /// <summary>A byte range beyond the end of the file.</summary>
        OutOfRange = 15,
        /// <summary>A null buffer, a negative count, or a buffer too small for the count.</summary>
        InvalidArgument = 16,
        /// <summary>An interleaved file, or a multi-extent file whose parts are not contiguous.</summary>
        UnsupportedFileLayout = 17,
        /// <summary>A tree walk met a directory that is its own ancestor (a corrupt image).</summary>
        DirectoryCycle = 18,
    }

    /// <summary>Names of <see cref="IsoStatus"/> values for people (enum ToString gives numbers on the board).</summary>
    public static class IsoStatusText
    {
        /// <summary>A short English description of the status.</summary>
        public static string Describe(IsoStatus status)
        {
            switch (status)
            {
                case IsoStatus.Ok: return "ok";
                case IsoStatus.EndOfDirectory: return "end of directory";
                case IsoStatus.NotMounted: return "CD not mounted";
                case IsoStatus.IoError: return "CD card read error";
                case IsoStatus.Truncated: return "image truncated (card smaller than the volume)";
                case IsoStatus.NotIso9660: return "not an ISO 9660 image";
                case IsoStatus.UnsupportedVersion: return "unsupported ISO 9660 version";
                case IsoStatus.UnsupportedBlockSize: return "unsupported block size";
                case IsoStatus.CorruptDescriptor: return "corrupt volume descriptor";
                case IsoStatus.CorruptDirectory: return "corrupt directory";
                case IsoStatus.EndianMismatch: return "corrupt field (both-endian halves differ)";
                case IsoStatus.NotFound: return "not found";
                case IsoStatus.NotADirectory: return "not a directory";
                case IsoStatus.IsADirectory: return "is a directory";
                case IsoStatus.TooDeep: return "too deep";
                case IsoStatus.OutOfRange: return "range beyond end of file";
                case IsoStatus.InvalidArgument: return "invalid argument";
                case IsoStatus.UnsupportedFileLayout: return "unsupported file layout (interleaved or scattered multi-extent)";
                case IsoStatus.DirectoryCycle: return "directory cycle (corrupt image)";
                default: return "status " + ((int)status).ToString();
            }
        }
    }
}
