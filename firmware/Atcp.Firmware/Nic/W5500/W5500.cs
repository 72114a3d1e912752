using Atcp.Firmware.Hal;
using Atcp.Wire.Link;

namespace Atcp.Firmware.Nic
{
    /// <summary>Driver for the WIZnet W5500 used as a plain Ethernet MAC: Socket 0 in MACRAW mode with
    /// all 16 KB of TX and RX memory, the other seven sockets given none. Register-level, polled (the
    /// INTn pin is not used), allocation-free per frame. Every SPI frame is one ISpiTransport call
    /// (variable length data mode, chip select around the call, datasheet 2.3), so a received or
    /// transmitted Ethernet frame crosses SPI in one transfer, its 3-byte SPI header placed in the
    /// caller's headroom. Not thread-safe: call it from one thread.</summary>
    public sealed partial class W5500 : IFrameDevice
    {
        /// <summary>Largest frame Socket 0 sends or delivers: the MACRAW MTU of 1514 bytes
        /// (datasheet 4.2, Sn_MSSR table), FCS excluded.</summary>
        public const int MaxFrame = 1514;

        /// <summary>Longest frame a MACRAW length header may describe before the ring is judged
        /// corrupt: an 802.1Q double-tagged frame without FCS. Frames between MaxFrame and this are
        /// skipped and counted, not treated as corruption.</summary>
        public const int LongestFrameOnWire = 1522;

        /// <summary>Socket 0 TX and RX buffer size in KB: the whole 16 KB memory (datasheet 3.3).</summary>
        public const int SocketBufferKilobytes = 16;

        /// <summary>Socket 0 TX and RX buffer size in bytes.</summary>
        public const int SocketBufferSize = SocketBufferKilobytes * 1024;

        // Timeouts. The datasheet gives none for command acceptance or MR.RST; these are generous
        // bounds that only matter when the chip is absent or wedged.
        const int CommandTimeoutMs = 20;
        const int ResetTimeoutMs = 100;
        const int OpenTimeoutMs = 100;
        // A SEND of a maximum frame needs about 1.2 ms at 10 Mbps; one still pending after this long
        // is stalled (seen on real chips when the link drops during transmission) and the socket is
        // reopened.
        const int SendStallMs = 100;
        // Reads of Sn_CR/Sn_IR a Transmit spends waiting for the previous SEND before answering busy.
        const int SendPolls = 3;
        // Reads of Sn_RX_RSR allowed to reach two equal values in a row (datasheet 4.2, Sn_RX_RSR note).
        const int SizeReadAttempts = 8;
        // Reads of the INTn pin a Transmit spends waiting for the previous SEND before asking over SPI.
        const int InterruptPolls = 4;
        // SENDs seen complete over SPI with INTn high before the pin is no longer used.
        const int InterruptMissLimit = 3;

        readonly ISpiTransport _spi;
        readonly IClock _clock;
        readonly IOutputPin _resetPin;
        readonly IInputPin _interrupt;
        bool _interruptTrusted;
        readonly byte[] _mac = new byte[6];
        // Small register transfers: 3-byte SPI header plus up to 12 data bytes.
        readonly byte[] _reg = new byte[W5500Spi.HeaderLength + 12];

        /// <summary>Frame, drop, recovery and SPI counters.</summary>
        public readonly W5500Counters Counters = new W5500Counters();

        bool _ready;
        bool _linkKnown;

        /// <summary>Creates the driver. resetPin drives the chip's RSTn line (may be null: a software
        /// reset through MR.RST is used instead); mac is copied (6 bytes).</summary>
        public W5500(ISpiTransport spi, IClock clock, IOutputPin resetPin, byte[] mac)
            : this(spi, clock, resetPin, null, mac)
        {
        }

        /// <summary>Creates the driver with the chip's INTn line as interruptPin (may be null): the
        /// driver then learns that a SEND completed from the pin instead of reading Sn_CR/Sn_IR over
        /// SPI (the line needs a pull-up; it is active low).</summary>
        public W5500(ISpiTransport spi, IClock clock, IOutputPin resetPin, IInputPin interruptPin, byte[] mac)
        {
            if (spi == null) throw new System.ArgumentNullException("spi");
            if (clock == null) throw new System.ArgumentNullException("clock");
            if (mac == null || mac.Length != 6) throw new System.ArgumentException("mac must be 6 bytes");
            _spi = spi;
            _clock = clock;
            _resetPin = resetPin;
            _interrupt = interruptPin;
            System.Array.Copy(mac, 0, _mac, 0, 6);
            Status = W5500Status.NotInitialized;
        }

        /// <summary>3: the SPI address and control bytes go in front of the frame.</summary>
        public int Headroom { get { return W5500Spi.HeaderLength; } }

        /// <summary>1514, the MACRAW MTU.</summary>
        public int MaxFrameLength { get { return MaxFrame; } }

        /// <summary>When true (set before Initialize), multicast frames are received too; by default
        /// Sn_MR.MMB blocks them, since a board needs only its own unicast and broadcast.</summary>
        public bool ReceiveMulticast { get; set; }

        /// <summary>Outcome of the last Initialize.</summary>
        public W5500Status Status { get; private set; }

        /// <summary>VERSIONR as read by the last Initialize (0x04 on a W5500).</summary>
        public byte ChipVersion { get; private set; }

        /// <summary>PHYCFGR.LNK at the last RefreshLinkStatus.</summary>
        public bool LinkUp { get; private set; }

        /// <summary>10 or 100 (PHYCFGR.SPD) at the last RefreshLinkStatus.</summary>
        public int LinkSpeedMbps { get; private set; }

        /// <summary>PHYCFGR.DPX at the last RefreshLinkStatus.</summary>
        public bool FullDuplex { get; private set; }

        /// <summary>Resets the chip, checks it is a W5500, programs the MAC, gives Socket 0 all buffer
        /// memory and opens it in MACRAW mode with the MAC filter on. Safe to call again to recover.</summary>
        public W5500Status Initialize()
        {
            _ready = false;
            _linkKnown = false;
            Status = InitializeChip();
            if (Status == W5500Status.Ok)
            {
                _ready = true;
                RefreshLinkStatus();
            }
            return Status;
        }

        W5500Status InitializeChip()
        {
            if (_resetPin != null)
            {
                // Datasheet 5.5.1: RSTn low for at least 500 us (T_RC), then at most 1 ms until the
                // internal PLL locks (T_PL). IClock.Sleep waits at least the time asked for.
                _resetPin.Write(false);
                _clock.Sleep(1);
                _resetPin.Write(true);
                _clock.Sleep(2);
            }
            else
            {
                // Datasheet 4.1, MR.RST: the chip clears the bit when the software reset is done.
                WriteByte(W5500Block.Common, W5500CommonRegister.MR, W5500Mode.RST);
                if (!WaitUntilClear(W5500Block.Common, W5500CommonRegister.MR, W5500Mode.RST, ResetTimeoutMs))
                    return W5500Status.ResetTimeout;
            }

            ChipVersion = ReadByte(W5500Block.Common, W5500CommonRegister.VERSIONR);
            if (ChipVersion != W5500Chip.Version) return W5500Status.WrongVersion;

            WriteBytes(W5500Block.Common, W5500CommonRegister.SHAR, _mac, 0, 6);

            // Datasheet 3.3: the sizes must never sum past 16 KB, so empty sockets 1..7 first, then
            // give Socket 0 everything. Sn_RXBUF_SIZE and Sn_TXBUF_SIZE are adjacent: one write each.
            for (int socket = 1; socket < W5500Chip.SocketCount; socket++)
                WriteTwoBytes(W5500Block.SocketRegisters(socket), W5500SocketRegister.Sn_RXBUF_SIZE, 0, 0);
            WriteTwoBytes(W5500Block.Socket0Registers, W5500SocketRegister.Sn_RXBUF_SIZE,
                SocketBufferKilobytes, SocketBufferKilobytes);

            // An Sn_IR bit is only set when its Sn_IMR bit is (datasheet 4.2). With an INTn pin, RECV
            // stays masked and SIMR routes socket 0 to INTn, so the pin means "SEND over" and nothing
            // else (received frames are found through Sn_RX_RSR); without one RECV is harmless.
            _interruptTrusted = _interrupt != null;
            byte socketMask = W5500SocketInterrupt.SEND_OK | W5500SocketInterrupt.TIMEOUT;
            if (_interrupt == null) socketMask |= W5500SocketInterrupt.RECV;
            WriteByte(W5500Block.Socket0Registers, W5500SocketRegister.Sn_IMR, socketMask);
            if (_interrupt != null) WriteByte(W5500Block.Common, W5500CommonRegister.SIMR, 0x01);

            return OpenSocket();
        }

        /// <summary>Socket 0 mode: MACRAW with the MAC filter (our MAC and broadcast; multicast only
        /// when ReceiveMulticast).</summary>
        byte SocketMode()
        {
            byte mode = W5500SocketMode.MACRAW | W5500SocketMode.MFEN;
            if (!ReceiveMulticast) mode |= W5500SocketMode.MMB;
            return mode;
        }

        W5500Status OpenSocket()
        {
            ResetSocketState();
            // Datasheet 4.2 (Sn_SR, SOCK_MACRAW) and the MACRAW open sequence: set Sn_MR, OPEN, wait
            // for SOCK_MACRAW; if it does not come, CLOSE and try again.
            for (int attempt = 0; attempt < 2; attempt++)
            {
                WriteByte(W5500Block.Socket0Registers, W5500SocketRegister.Sn_MR, SocketMode());
                if (!Command(W5500SocketCommand.OPEN)) return W5500Status.CommandTimeout;
                if (WaitForStatus(W5500SocketStatus.SOCK_MACRAW, OpenTimeoutMs))
                {
                    ReadPointers();
                    return W5500Status.Ok;
                }
                if (!Command(W5500SocketCommand.CLOSE)) return W5500Status.CommandTimeout;
            }
            return W5500Status.SocketOpenFailed;
        }

        /// <summary>OPEN initialises the pointers (datasheet 4.2) but does not say to what, so read
        /// them: one transfer covers Sn_TX_FSR, Sn_TX_RD, Sn_TX_WR, Sn_RX_RSR, Sn_RX_RD, Sn_RX_WR.</summary>
        void ReadPointers()
        {
            ReadRegisters(W5500Block.Socket0Registers, W5500SocketRegister.Sn_TX_FSR, 12);
            int d = W5500Spi.HeaderLength;
            _txFree = (_reg[d] << 8) | _reg[d + 1];
            _txWr = (ushort)((_reg[d + 4] << 8) | _reg[d + 5]);
            _rxRd = (ushort)((_reg[d + 8] << 8) | _reg[d + 9]);
        }

        void ResetSocketState()
        {
            _txFree = 0;
            _sendPending = false;
            _stagedBuffer = null;
            _commandUnconfirmed = false;
            _rxKnown = 0;
            _rxUnreleased = 0;
            _nextHeaderValid = false;
        }

        /// <summary>Closes and reopens Socket 0, dropping whatever its buffers hold.</summary>
        void ReopenSocket()
        {
            Counters.SocketReopens++;
            Command(W5500SocketCommand.CLOSE);
            if (OpenSocket() != W5500Status.Ok)
            {
                _ready = false;
                Status = W5500Status.SocketOpenFailed;
            }
        }

        /// <summary>Reads PHYCFGR (one SPI transaction) and updates LinkUp, LinkSpeedMbps and
        /// FullDuplex; returns LinkUp. Call it periodically (for example once a second).</summary>
        public bool RefreshLinkStatus()
        {
            byte phy = ReadByte(W5500Block.Common, W5500CommonRegister.PHYCFGR);
            bool up = (phy & W5500PhyConfig.LNK) != 0;
            if (_linkKnown && up != LinkUp) Counters.LinkChanges++;
            _linkKnown = true;
            LinkUp = up;
            LinkSpeedMbps = (phy & W5500PhyConfig.SPD) != 0 ? 100 : 10;
            FullDuplex = (phy & W5500PhyConfig.DPX) != 0;
            return up;
        }

        /// <summary>Reads Sn_SR (one SPI transaction); if Socket 0 is no longer in MACRAW mode (chip
        /// reset by a brown-out, for example) reopens it. Returns true when the socket was fine. Call
        /// it periodically alongside RefreshLinkStatus.</summary>
        public bool CheckSocket()
        {
            if (!Ready()) return false;
            if (ReadByte(W5500Block.Socket0Registers, W5500SocketRegister.Sn_SR) == W5500SocketStatus.SOCK_MACRAW)
                return true;
            ReopenSocket();
            return false;
        }

        /// <summary>Human-readable text for a status (enum names are numbers on the board).</summary>
        public static string Describe(W5500Status status)
        {
            switch (status)
            {
                case W5500Status.Ok: return "W5500 ready: socket 0 open in MACRAW mode";
                case W5500Status.NotInitialized: return "W5500 not initialized: call Initialize()";
                case W5500Status.ResetTimeout: return "W5500 did not finish its software reset: check SPI wiring and power";
                case W5500Status.WrongVersion: return "W5500 VERSIONR is not 0x04: no chip answering (0x00/0xFF), wrong chip, or SPI mode/wiring wrong";
                case W5500Status.SocketOpenFailed: return "W5500 socket 0 did not reach SOCK_MACRAW after OPEN";
                case W5500Status.CommandTimeout: return "W5500 did not accept a socket command (Sn_CR stayed set)";
                default: return "W5500 status " + ((int)status).ToString();
            }
        }

        /// <summary>True when frames can flow. Never initialized is a programming error and throws;
        /// a failed recovery answers false so the caller's loop keeps running (Status says why, and
        /// Initialize recovers).</summary>
        bool Ready()
        {
            if (_ready) return true;
            if (Status == W5500Status.NotInitialized) throw new System.InvalidOperationException(Describe(Status));
            return false;
        }
    }
}
