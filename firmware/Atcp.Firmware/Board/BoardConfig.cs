namespace Atcp.Firmware.Board
{
    /// <summary>What makes a board itself: its id, its cluster and key, its MAC. Kept on the disk
    /// card (see <see cref="BoardSettings"/>) and changed from the console.</summary>
    public sealed class BoardConfig
    {
        /// <summary>Firmware version reported in HELLO and by the console.</summary>
        public const byte FirmwareMajor = 0, FirmwareMinor = 1;
        /// <summary>Patch level of the firmware version.</summary>
        public const ushort FirmwarePatch = 0;

        /// <summary>Board id, 1..65534 (the ATCP sender id).</summary>
        public ushort BoardId = 1;
        /// <summary>Cluster id; frames of other clusters are dropped.</summary>
        public uint ClusterId = 0xA7C90001;
        /// <summary>128-bit cluster key for the frames' SipHash tags.</summary>
        public readonly byte[] ClusterKey = new byte[16];
        /// <summary>The board's MAC address.</summary>
        public readonly byte[] Mac = new byte[6];
        /// <summary>Seconds between HELLOs.</summary>
        public int HeartbeatSeconds = 10;
        /// <summary>This boot's epoch (high half of the frame counters), persisted before use.</summary>
        public uint BootEpoch = 1;

        /// <summary>The default MAC of a board id: locally administered 02:a7:c9:0b:hi:lo (the 0b keeps
        /// boards apart from front-ends and hosts numbered 02:a7:c9:00:..).</summary>
        public static void DefaultMac(ushort boardId, byte[] mac)
        {
            mac[0] = 0x02; mac[1] = 0xA7; mac[2] = 0xC9; mac[3] = 0x0B;
            mac[4] = (byte)(boardId >> 8); mac[5] = (byte)boardId;
        }

        /// <summary>"major.minor.patch".</summary>
        public static string VersionText
        {
            get { return FirmwareMajor.ToString() + "." + FirmwareMinor.ToString() + "." + FirmwarePatch.ToString(); }
        }
    }
}
