using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tcp
{
    /// <summary>Where a reply's body comes from (a disk object, a CD file). Offsets are relative to
    /// the start of the object. The packetizer reads each segment's bytes straight into the frame
    /// buffer and asks for stored partial sums so that it never loops over payload bytes when the
    /// medium keeps them.</summary>
    public interface IPayloadSource
    {
        /// <summary>Size of the object in bytes.</summary>
        long Size { get; }

        /// <summary>Chunk size of the stored partial sums, or 0 when the medium stores none.</summary>
        int ChunkSize { get; }

        /// <summary>Reads count bytes at offset into buffer[bufferOffset..].</summary>
        BlockStatus Read(long offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>The RFC 1071 partial sum of [offset, offset + count) built from stored chunk sums.
        /// offset must be on the chunk grid, and offset + count on it too or equal to Size; returns
        /// false otherwise, or when the sums cannot be read.</summary>
        bool TryGetStoredSum(long offset, int count, out ushort sum);
    }
}
