using Atcp.Wire;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Store
{
    public sealed partial class ObjectStore
    {
        /// <summary>Formats device with the default object capacity for its size (one object per
        /// 64 blocks, 16..4096).</summary>
        public static StoreStatus Format(IBlockDevice device, string label, int chunkSize)
        {
            return Format(device, label, chunkSize, StoreLayout.DefaultMaxObjects(device.BlockCount));
        }

        /// <summary>Creates an empty store on device, erasing any store there (FORMAT.md section 8):
        /// both superblock slots are zeroed first, so an interrupted format reads as Unformatted,
        /// never as the old store; then the first copy of every bucket and bitmap block; the
        /// superblock last. label: up to 32 UTF-8 bytes; chunkSize: 2..65535 (292 suits MSS 1460);
        /// maxObjects sizes the directory (about 30 per 512-byte bucket).</summary>
        public static StoreStatus Format(IBlockDevice device, string label, int chunkSize, int maxObjects)
        {
            if (device.BlockSize != StoreLayout.BlockSize) return StoreStatus.UnsupportedDevice;
            if (device.IsReadOnly) return StoreStatus.ReadOnly;
            if (chunkSize < StoreLayout.MinChunkSize || chunkSize > StoreLayout.MaxChunkSize) return StoreStatus.InvalidArgument;
            byte[] labelBytes = Utf8.GetBytes(label == null ? "" : label);
            if (labelBytes.Length > Superblock.LabelLength) return StoreStatus.InvalidArgument;
            Superblock sb = new Superblock();
            StoreStatus status = sb.Layout.Compute(device.BlockCount, maxObjects);
            if (status != StoreStatus.Ok) return status;
            byte[] buffer = new byte[StoreLayout.BlockSize];
            for (long b = 0; b < StoreLayout.DirectoryStartBlock; b++)
            {
                BlockStatus zeroed = device.Write(b, 1, buffer, 0);
                if (zeroed != BlockStatus.Ok) return StoreStatus.DeviceError;
            }
            const long Generation = 1;
            for (int i = 0; i < sb.Layout.BucketCount; i++)
            {
                DirectoryBucket.Reset(buffer);
                MetadataBlock.Seal(buffer, MetadataBlock.BucketMagic, MetadataBlock.HeaderLength, (uint)i, Generation);
                if (device.Write(sb.Layout.BucketBlock(i, 0), 1, buffer, 0) != BlockStatus.Ok) return StoreStatus.DeviceError;
            }
            for (int j = 0; j < sb.Layout.BitmapBlocks; j++)
            {
                System.Array.Clear(buffer, 0, StoreLayout.BlockSize);
                MetadataBlock.Seal(buffer, MetadataBlock.BitmapMagic, StoreLayout.BlockSize, (uint)j, Generation);
                if (device.Write(sb.Layout.BitmapBlock(j, 0), 1, buffer, 0) != BlockStatus.Ok) return StoreStatus.DeviceError;
            }
            sb.Generation = Generation;
            sb.ChunkSize = chunkSize;
            sb.FreeUnits = sb.Layout.UnitCount;
            sb.ObjectCount = 0;
            sb.MaxObjects = maxObjects;
            System.Array.Copy(labelBytes, sb.Label, labelBytes.Length);
            sb.Emit(buffer, 0);
            if (device.Write(0, 1, buffer, 0) != BlockStatus.Ok) return StoreStatus.DeviceError;
            return StoreStatus.Ok;
        }
    }
}
