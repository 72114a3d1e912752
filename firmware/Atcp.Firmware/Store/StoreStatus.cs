namespace Atcp.Firmware.Store
{
    /// <summary>Outcome of an object store operation. Nothing in the store throws on card contents:
    /// every failure comes back as one of these (StoreStatusText gives the words for people).</summary>
    public enum StoreStatus
    {
        /// <summary>Done.</summary>
        Ok = 0,
        /// <summary>No object has that name.</summary>
        NotFound = 1,
        /// <summary>A listing cursor has passed the last object.</summary>
        EndOfList = 2,
        /// <summary>Neither superblock slot carries the store's magic: the card was never formatted
        /// for this store (or was formatted by something else).</summary>
        Unformatted = 3,
        /// <summary>Store structures fail their magic, CRC or consistency checks.</summary>
        Corrupt = 4,
        /// <summary>The card was formatted by a newer, incompatible store format version.</summary>
        UnsupportedVersion = 5,
        /// <summary>The store is not mounted (Mount first, or Mount failed).</summary>
        NotMounted = 6,
        /// <summary>The block device reported an error; LastDeviceStatus says which.</summary>
        DeviceError = 7,
        /// <summary>The device refuses writes.</summary>
        ReadOnly = 8,
        /// <summary>Not enough free space for the object (its data, sums table and metadata block).</summary>
        CardFull = 9,
        /// <summary>Enough free space in total, but not in few enough pieces for one object.</summary>
        Fragmented = 10,
        /// <summary>The directory bucket for this name is full (format with more objects).</summary>
        DirectoryFull = 11,
        /// <summary>Empty, too long (over 255 bytes), NUL-containing or not UTF-8.</summary>
        InvalidName = 12,
        /// <summary>A parameter out of range (size, offset, count, chunk size, content type).</summary>
        InvalidArgument = 13,
        /// <summary>An object write is in progress; finish or abort it first.</summary>
        Busy = 14,
        /// <summary>Append or Commit without Begin.</summary>
        NotWriting = 15,
        /// <summary>Appended bytes do not match the size given to Begin.</summary>
        SizeMismatch = 16,
        /// <summary>A read beyond the object's end.</summary>
        OutOfRange = 17,
        /// <summary>The object was deleted or replaced since the handle was filled; look it up again.</summary>
        Stale = 18,
        /// <summary>Verify found payload bytes that do not match the stored CRC-32C.</summary>
        PayloadMismatch = 19,
        /// <summary>Verify found stored chunk sums that do not match the payload.</summary>
        SumsMismatch = 20,
        /// <summary>The superblock describes a larger medium than the device (wrong card or image).</summary>
        GeometryMismatch = 21,
        /// <summary>The device is too small, or its block size is not 512 bytes.</summary>
        UnsupportedDevice = 22,
        /// <summary>A commit's final superblock write failed, so what is on the card is unknown to
        /// this instance; mount again.</summary>
        Faulted = 23,
    }

    /// <summary>Words for StoreStatus values (enum ToString gives numbers on the board).</summary>
    public static class StoreStatusText
    {
        /// <summary>A short lower-case description of a status for logs and the console.</summary>
        public static string Describe(StoreStatus status)
        {
            switch (status)
            {
                case StoreStatus.Ok: return "ok";
                case StoreStatus.NotFound: return "no such object";
                case StoreStatus.EndOfList: return "end of list";
                case StoreStatus.Unformatted: return "card not formatted for the object store";
                case StoreStatus.Corrupt: return "store metadata corrupt";
                case StoreStatus.UnsupportedVersion: return "store format version not supported";
                case StoreStatus.NotMounted: return "store not mounted";
                case StoreStatus.DeviceError: return "block device error";
                case StoreStatus.ReadOnly: return "card is read-only";
                case StoreStatus.CardFull: return "card full";
                case StoreStatus.Fragmented: return "free space too fragmented for this object";
                case StoreStatus.DirectoryFull: return "directory bucket full";
                case StoreStatus.InvalidName: return "invalid object name";
                case StoreStatus.InvalidArgument: return "invalid argument";
                case StoreStatus.Busy: return "a write is in progress";
                case StoreStatus.NotWriting: return "no write in progress";
                case StoreStatus.SizeMismatch: return "written bytes differ from the declared size";
                case StoreStatus.OutOfRange: return "read past the end of the object";
                case StoreStatus.Stale: return "object changed since it was looked up";
                case StoreStatus.PayloadMismatch: return "payload does not match its CRC-32C";
                case StoreStatus.SumsMismatch: return "stored chunk sums do not match the payload";
                case StoreStatus.GeometryMismatch: return "store is larger than the device";
                case StoreStatus.UnsupportedDevice: return "device too small or block size not 512";
                case StoreStatus.Faulted: return "commit failed; mount again";
                default: return "status " + ((int)status).ToString();
            }
        }
    }
}
