namespace Atcp.Firmware.Nic
{
    /// <summary>What the W5500 driver did since start (or the last Clear): frames, drops by reason,
    /// recoveries and the SPI traffic it caused. Plain fields so reading them costs nothing on the
    /// board; the driver is their only writer.</summary>
    public sealed class W5500Counters
    {
        /// <summary>Frames handed to the caller by Receive.</summary>
        public long FramesReceived;
        /// <summary>Bytes of those frames.</summary>
        public long BytesReceived;
        /// <summary>Frames handed to the chip with a SEND command.</summary>
        public long FramesSent;
        /// <summary>Bytes of those frames.</summary>
        public long BytesSent;
        /// <summary>Received frames skipped because they were longer than the caller's capacity or
        /// than MaxFrameLength (for example VLAN-tagged frames).</summary>
        public long RxDroppedTooLong;
        /// <summary>MACRAW length headers that cannot be right (shorter than an Ethernet header,
        /// longer than any Ethernet frame, or longer than the data the chip reported).</summary>
        public long RxBadLength;
        /// <summary>Times Sn_RX_RSR did not read the same twice in a row within the retry limit.</summary>
        public long RxSizeUnstable;
        /// <summary>Transmit calls refused because the previous SEND had not completed yet.</summary>
        public long TxBusy;
        /// <summary>Transmit calls refused because Sn_TX_FSR had no room for the frame.</summary>
        public long TxNoRoom;
        /// <summary>SENDs that ended with Sn_IR.TIMEOUT instead of SEND_OK.</summary>
        public long TxTimeouts;
        /// <summary>SENDs that never completed within the stall limit (the socket was reopened).</summary>
        public long TxStalls;
        /// <summary>Commands Sn_CR did not clear within the command timeout.</summary>
        public long CommandTimeouts;
        /// <summary>Times the driver closed and reopened Socket 0 to recover (bad ring, stalled SEND,
        /// socket found closed).</summary>
        public long SocketReopens;
        /// <summary>Link state changes seen by RefreshLinkStatus.</summary>
        public long LinkChanges;
        /// <summary>SENDs the chip reported complete over SPI while INTn still read high (after
        /// a few of these the driver stops trusting the pin: unwired, or no pull-up).</summary>
        public long InterruptMisses;
        /// <summary>SPI transactions (chip select cycles) issued by the driver.</summary>
        public long SpiTransactions;
        /// <summary>Bytes clocked over SPI by the driver, 3-byte frame headers included.</summary>
        public long SpiBytes;

        /// <summary>Sets every counter to zero.</summary>
        public void Clear()
        {
            FramesReceived = 0; BytesReceived = 0; FramesSent = 0; BytesSent = 0;
            RxDroppedTooLong = 0; RxBadLength = 0; RxSizeUnstable = 0;
            TxBusy = 0; TxNoRoom = 0; TxTimeouts = 0; TxStalls = 0;
            CommandTimeouts = 0; SocketReopens = 0; LinkChanges = 0; InterruptMisses = 0;
            SpiTransactions = 0; SpiBytes = 0;
        }
    }

    /// <summary>Outcome of W5500.Initialize.</summary>
    public enum W5500Status
    {
        /// <summary>The chip answered, Socket 0 is open in MACRAW mode.</summary>
        Ok = 0,
        /// <summary>Initialize has not been called or did not succeed.</summary>
        NotInitialized = 1,
        /// <summary>MR.RST did not clear after a software reset.</summary>
        ResetTimeout = 2,
        /// <summary>VERSIONR did not read 0x04: no chip, wrong chip, or SPI wiring/mode wrong.</summary>
        WrongVersion = 3,
        /// <summary>Socket 0 did not reach SOCK_MACRAW after OPEN.</summary>
        SocketOpenFailed = 4,
        /// <summary>Sn_CR did not clear after a command.</summary>
        CommandTimeout = 5,
    }
}
