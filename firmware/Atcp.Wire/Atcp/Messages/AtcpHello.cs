namespace Atcp.Wire.Atcp
{
    /// <summary>HELLO body view (type 0x82, board to front-end; SPEC.md section 5.6): 32 fixed bytes
    /// then 56 per volume (at most 4).</summary>
    public static class AtcpHello
    {
        /// <summary>Board id, 16 bits (equals the header's sender id).</summary>
        public const int BoardIdOffset = 0;
        /// <summary>The board's MAC, 6 bytes.</summary>
        public const int MacOffset = 2;
        /// <summary>Firmware major version, 1 byte.</summary>
        public const int FirmwareMajorOffset = 8;
        /// <summary>Firmware minor version, 1 byte.</summary>
        public const int FirmwareMinorOffset = 9;
        /// <summary>Firmware patch version, 16 bits.</summary>
        public const int FirmwarePatchOffset = 10;
        /// <summary>Boot epoch, 32 bits (the high half of this boot's frame counters).</summary>
        public const int BootEpochOffset = 12;
        /// <summary>Seconds since boot, 32 bits.</summary>
        public const int UptimeOffset = 16;
        /// <summary>Inventory generation, 32 bits: changes whenever any volume's object list changes.</summary>
        public const int InventoryGenerationOffset = 20;
        /// <summary>Streams in progress, 16 bits.</summary>
        public const int ActiveStreamsOffset = 24;
        /// <summary>Streams the board can run at once, 16 bits.</summary>
        public const int MaxStreamsOffset = 26;
        /// <summary>Seconds between heartbeats, 16 bits.</summary>
        public const int HeartbeatIntervalOffset = 28;
        /// <summary>Flags, 1 byte (<see cref="AtcpHelloFlags"/>).</summary>
        public const int FlagsOffset = 30;
        /// <summary>Volume count, 1 byte, 0..4.</summary>
        public const int VolumeCountOffset = 31;
        /// <summary>First volume record.</summary>
        public const int VolumesOffset = 32;
        /// <summary>Most volumes per board.</summary>
        public const int MaxVolumes = 4;

        /// <summary>Volume record: id, 1 byte.</summary>
        public const int VolumeIdOffset = 0;
        /// <summary>Volume record: kind, 1 byte (<see cref="AtcpVolumeKind"/>).</summary>
        public const int VolumeKindOffset = 1;
        /// <summary>Volume record: flags, 1 byte (<see cref="AtcpVolumeFlags"/>).</summary>
        public const int VolumeFlagsOffset = 2;
        /// <summary>Volume record: label length L, 1 byte, 0..32.</summary>
        public const int VolumeLabelLengthOffset = 3;
        /// <summary>Volume record: label, 32 bytes, UTF-8, bytes past L zero.</summary>
        public const int VolumeLabelOffset = 4;
        /// <summary>Volume record: capacity in bytes, 64 bits.</summary>
        public const int VolumeCapacityOffset = 36;
        /// <summary>Volume record: free bytes, 64 bits.</summary>
        public const int VolumeFreeOffset = 44;
        /// <summary>Volume record: object count, 32 bits.</summary>
        public const int VolumeObjectCountOffset = 52;
        /// <summary>Volume record length.</summary>
        public const int VolumeLength = 56;
        /// <summary>Label field size (an ISO 9660 volume identifier is 32 characters).</summary>
        public const int MaxLabelLength = 32;
    }

    /// <summary>One volume of a HELLO.</summary>
    public sealed class AtcpVolumeRepr
    {
        /// <summary>Volume id, unique on the board.</summary>
        public byte Id;
        /// <summary>Kind; unknown values kept.</summary>
        public AtcpVolumeKind Kind;
        /// <summary>Flags (<see cref="AtcpVolumeFlags"/>).</summary>
        public byte Flags;
        /// <summary>Label, UTF-8, up to 32 bytes.</summary>
        public readonly AtcpByteString Label = new AtcpByteString(AtcpHello.MaxLabelLength);
        /// <summary>Capacity in bytes.</summary>
        public ulong CapacityBytes;
        /// <summary>Free bytes, at most the capacity.</summary>
        public ulong FreeBytes;
        /// <summary>Objects (files) on the volume.</summary>
        public uint ObjectCount;
    }

    /// <summary>HELLO body repr: a board's identity, health, load and volumes. Sent every
    /// heartbeat interval and in answer to HELLO_REQUEST. Owns its 4 volume records.</summary>
    public sealed class AtcpHelloRepr : IAtcpMessage
    {
        /// <summary>Board id, 1..65534.</summary>
        public ushort BoardId;
        /// <summary>The board's MAC (owned, 6 bytes).</summary>
        public readonly byte[] Mac = new byte[6];
        /// <summary>Firmware major version.</summary>
        public byte FirmwareMajor;
        /// <summary>Firmware minor version.</summary>
        public byte FirmwareMinor;
        /// <summary>Firmware patch version.</summary>
        public ushort FirmwarePatch;
        /// <summary>This boot's epoch.</summary>
        public uint BootEpoch;
        /// <summary>Seconds since boot.</summary>
        public uint UptimeSeconds;
        /// <summary>Inventory generation.</summary>
        public uint InventoryGeneration;
        /// <summary>Streams in progress, at most MaxStreams.</summary>
        public ushort ActiveStreams;
        /// <summary>Streams the board can run at once.</summary>
        public ushort MaxStreams;
        /// <summary>Seconds between heartbeats.</summary>
        public ushort HeartbeatIntervalSeconds;
        /// <summary>Flags (<see cref="AtcpHelloFlags"/>).</summary>
        public byte Flags;
        /// <summary>Volume records (owned; [0..VolumeCount) in use).</summary>
        public readonly AtcpVolumeRepr[] Volumes = new AtcpVolumeRepr[AtcpHello.MaxVolumes];
        int volumeCount;

        /// <summary>An empty HELLO with its volume records allocated once.</summary>
        public AtcpHelloRepr()
        {
            for (int i = 0; i < Volumes.Length; i++) Volumes[i] = new AtcpVolumeRepr();
        }

        /// <summary>Type 0x82.</summary>
        public AtcpMessageType MessageType { get { return AtcpMessageType.Hello; } }

        /// <summary>Volume records in use.</summary>
        public int VolumeCount { get { return volumeCount; } }

        /// <summary>Sets how many volume records are in use: Ok, or BadLength above 4.</summary>
        public ParseStatus SetVolumeCount(int count)
        {
            if (count < 0 || count > AtcpHello.MaxVolumes) return ParseStatus.BadLength;
            volumeCount = count;
            return ParseStatus.Ok;
        }

        /// <summary>Bytes Emit writes.</summary>
        public int Length { get { return AtcpHello.VolumesOffset + volumeCount * AtcpHello.VolumeLength; } }

        /// <summary>Fills this instance from a body of exactly length bytes.</summary>
        public ParseStatus Parse(byte[] buffer, int offset, int length)
        {
            if (length < AtcpHello.VolumesOffset) return ParseStatus.Truncated;
            int count = buffer[offset + AtcpHello.VolumeCountOffset];
            if (count > AtcpHello.MaxVolumes) return ParseStatus.BadLength;
            int total = AtcpHello.VolumesOffset + count * AtcpHello.VolumeLength;
            if (total > length) return ParseStatus.Truncated;
            if (total < length) return ParseStatus.BadLength;

            BoardId = NetworkOrder.ReadUInt16(buffer, offset + AtcpHello.BoardIdOffset);
            System.Array.Copy(buffer, offset + AtcpHello.MacOffset, Mac, 0, 6);
            FirmwareMajor = buffer[offset + AtcpHello.FirmwareMajorOffset];
            FirmwareMinor = buffer[offset + AtcpHello.FirmwareMinorOffset];
            FirmwarePatch = NetworkOrder.ReadUInt16(buffer, offset + AtcpHello.FirmwarePatchOffset);
            BootEpoch = NetworkOrder.ReadUInt32(buffer, offset + AtcpHello.BootEpochOffset);
            UptimeSeconds = NetworkOrder.ReadUInt32(buffer, offset + AtcpHello.UptimeOffset);
            InventoryGeneration = NetworkOrder.ReadUInt32(buffer, offset + AtcpHello.InventoryGenerationOffset);
            ActiveStreams = NetworkOrder.ReadUInt16(buffer, offset + AtcpHello.ActiveStreamsOffset);
            MaxStreams = NetworkOrder.ReadUInt16(buffer, offset + AtcpHello.MaxStreamsOffset);
            HeartbeatIntervalSeconds = NetworkOrder.ReadUInt16(buffer, offset + AtcpHello.HeartbeatIntervalOffset);
            Flags = buffer[offset + AtcpHello.FlagsOffset];
            volumeCount = count;
            int p = offset + AtcpHello.VolumesOffset;
            for (int i = 0; i < count; i++)
            {
                AtcpVolumeRepr v = Volumes[i];
                v.Id = buffer[p + AtcpHello.VolumeIdOffset];
                v.Kind = (AtcpVolumeKind)buffer[p + AtcpHello.VolumeKindOffset];
                v.Flags = buffer[p + AtcpHello.VolumeFlagsOffset];
                if (v.Label.Set(buffer, p + AtcpHello.VolumeLabelOffset, buffer[p + AtcpHello.VolumeLabelLengthOffset]) != ParseStatus.Ok)
                    return ParseStatus.BadLength;
                v.CapacityBytes = NetworkOrder.ReadUInt64(buffer, p + AtcpHello.VolumeCapacityOffset);
                v.FreeBytes = NetworkOrder.ReadUInt64(buffer, p + AtcpHello.VolumeFreeOffset);
                v.ObjectCount = NetworkOrder.ReadUInt32(buffer, p + AtcpHello.VolumeObjectCountOffset);
                p += AtcpHello.VolumeLength;
            }
            return Validate();
        }

        /// <summary>Checks: board id 1..65534, active streams at most max, free at most capacity.</summary>
        public ParseStatus Validate()
        {
            if (BoardId == AtcpHeader.FrontEndId || BoardId == AtcpHeader.ReservedId) return ParseStatus.BadField;
            if (ActiveStreams > MaxStreams) return ParseStatus.BadField;
            for (int i = 0; i < volumeCount; i++)
            {
                if (Volumes[i].FreeBytes > Volumes[i].CapacityBytes) return ParseStatus.BadField;
            }
            return ParseStatus.Ok;
        }

        /// <summary>Writes the body at buffer[offset..offset+Length).</summary>
        public void Emit(byte[] buffer, int offset)
        {
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHello.BoardIdOffset, BoardId);
            System.Array.Copy(Mac, 0, buffer, offset + AtcpHello.MacOffset, 6);
            buffer[offset + AtcpHello.FirmwareMajorOffset] = FirmwareMajor;
            buffer[offset + AtcpHello.FirmwareMinorOffset] = FirmwareMinor;
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHello.FirmwarePatchOffset, FirmwarePatch);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpHello.BootEpochOffset, BootEpoch);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpHello.UptimeOffset, UptimeSeconds);
            NetworkOrder.WriteUInt32(buffer, offset + AtcpHello.InventoryGenerationOffset, InventoryGeneration);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHello.ActiveStreamsOffset, ActiveStreams);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHello.MaxStreamsOffset, MaxStreams);
            NetworkOrder.WriteUInt16(buffer, offset + AtcpHello.HeartbeatIntervalOffset, HeartbeatIntervalSeconds);
            buffer[offset + AtcpHello.FlagsOffset] = Flags;
            buffer[offset + AtcpHello.VolumeCountOffset] = (byte)volumeCount;
            int p = offset + AtcpHello.VolumesOffset;
            for (int i = 0; i < volumeCount; i++)
            {
                AtcpVolumeRepr v = Volumes[i];
                buffer[p + AtcpHello.VolumeIdOffset] = v.Id;
                buffer[p + AtcpHello.VolumeKindOffset] = (byte)v.Kind;
                buffer[p + AtcpHello.VolumeFlagsOffset] = v.Flags;
                buffer[p + AtcpHello.VolumeLabelLengthOffset] = (byte)v.Label.Length;
                System.Array.Clear(buffer, p + AtcpHello.VolumeLabelOffset, AtcpHello.MaxLabelLength);
                v.Label.CopyTo(buffer, p + AtcpHello.VolumeLabelOffset);
                NetworkOrder.WriteUInt64(buffer, p + AtcpHello.VolumeCapacityOffset, v.CapacityBytes);
                NetworkOrder.WriteUInt64(buffer, p + AtcpHello.VolumeFreeOffset, v.FreeBytes);
                NetworkOrder.WriteUInt32(buffer, p + AtcpHello.VolumeObjectCountOffset, v.ObjectCount);
                p += AtcpHello.VolumeLength;
            }
        }
    }
}
