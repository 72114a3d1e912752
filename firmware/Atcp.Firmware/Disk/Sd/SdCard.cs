using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>An SD card (SDSC, SDHC or SDXC) in SPI mode as a block device, after the SD Physical
    /// Layer Simplified Specification v4.10, chapter 7. The transport must be set up WITHOUT a
    /// hardware chip select: the driver holds CS low through several transfers (command, response,
    /// data, CRC, busy) via its own output pin, which nanoFramework's per-call CS cannot do.
    /// Allocation-free after construction; never throws on card behaviour, only on bad arguments.
    /// Not thread-safe: one caller at a time.</summary>
    public sealed partial class SdCard : IStreamingBlockDevice
    {
        enum CardState
        {
            NotInitialized,
            Ready,
            Lost,
        }

        readonly ISpiTransport _spi;
        readonly IOutputPin _cs;
        readonly IClock _clock;
        readonly IInputPin _cardDetect;
        readonly bool _cardDetectActiveLow;
        readonly SdCardStatistics _stats = new SdCardStatistics();
        readonly SdCardInfo _info = new SdCardInfo();
        readonly byte[] _csd = new byte[SdRegisters.Length + 2];
        readonly byte[] _cid = new byte[SdRegisters.Length + 2];
        CardState _state = CardState.NotInitialized;

        /// <summary>A card without a card-detect switch.</summary>
        public SdCard(ISpiTransport spi, IOutputPin chipSelect, IClock clock)
            : this(spi, chipSelect, clock, null, true)
        {
        }

        /// <summary>A card whose slot has a card-detect switch; cardDetectActiveLow means the pin reads
        /// low while a card is inserted (the usual switch to ground with a pull-up).</summary>
        public SdCard(ISpiTransport spi, IOutputPin chipSelect, IClock clock, IInputPin cardDetect, bool cardDetectActiveLow)
        {
            if (spi == null) throw new System.ArgumentNullException("spi");
            if (chipSelect == null) throw new System.ArgumentNullException("chipSelect");
            if (clock == null) throw new System.ArgumentNullException("clock");
            _spi = spi;
            _cs = chipSelect;
            _clock = clock;
            _cardDetect = cardDetect;
            _cardDetectActiveLow = cardDetectActiveLow;
            for (int i = 0; i < _frame.Length; i++) _frame[i] = 0xFF;
            _cs.Write(true);
        }

        /// <summary>Optional hook that sets the SPI clock (400 kHz for identification, then up to
        /// MaxClockHz); without it the glue must pick a clock that suits both phases.</summary>
        public ISpiClockControl ClockControl { get; set; }

        /// <summary>Upper bound for the data transfer clock; the card's TRAN_SPEED may lower it.</summary>
        public int MaxClockHz { get; set; } = SdTiming.DefaultMaxClockHz;

        /// <summary>CRC16 on data blocks (and CMD59 so the card checks command and write CRCs).
        /// On: every block's CRC is computed by a per-byte table loop, which on nanoCLR costs more
        /// CPU time than clocking the block at 20 MHz; off: the CRC bytes are still clocked but not
        /// checked, leaving line errors undetected. Set before Initialize.</summary>
        public bool DataCrc { get; set; } = true;

        /// <summary>Extra attempts after a CRC error, per block.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>Bytes clocked per poll while waiting for the data token of a single block (CMD17)
        /// or a register (1 to 32); bytes after the token are kept as data, so a larger value saves
        /// transactions without adding traffic. Multiple block reads size their transfers from the
        /// gap they see (GapEstimate).</summary>
        public int TokenPollBytes
        {
            get { return _tokenPollBytes; }
            set { _tokenPollBytes = CheckPollBytes(value); }
        }

        /// <summary>Bytes clocked per poll while the card is busy (1 to 32).</summary>
        public int BusyPollBytes
        {
            get { return _busyPollBytes; }
            set { _busyPollBytes = CheckPollBytes(value); }
        }

        int _tokenPollBytes = 4;
        int _busyPollBytes = 4;

        static int CheckPollBytes(int value)
        {
            if (value < 1 || value > LookAheadLength) throw new System.ArgumentOutOfRangeException("value");
            return value;
        }

        /// <summary>Polls made back to back before the driver starts sleeping 1 ms between polls
        /// (0 or more).</summary>
        public int SpinPolls
        {
            get { return _spinPolls; }
            set
            {
                if (value < 0) throw new System.ArgumentOutOfRangeException("value");
                _spinPolls = value;
            }
        }

        int _spinPolls = 32;

        /// <summary>Counters: SPI transactions and bytes, blocks, CRC errors, retries, timeouts.</summary>
        public SdCardStatistics Statistics { get { return _stats; } }

        /// <summary>What initialisation found; meaningful once IsInitialized.</summary>
        public SdCardInfo Info { get { return _info; } }

        /// <summary>True after a successful Initialize, until the card is lost.</summary>
        public bool IsInitialized { get { return _state == CardState.Ready; } }

        /// <summary>Always 512.</summary>
        public int BlockSize { get { return SdTiming.BlockLength; } }

        /// <summary>Blocks on the card; 0 before initialisation.</summary>
        public long BlockCount { get { return _state == CardState.Ready ? _info.BlockCount : 0; } }

        /// <summary>True when the CSD says the card is write-protected.</summary>
        public bool IsReadOnly { get { return _state == CardState.Ready && _info.WriteProtected; } }

        /// <summary>The card-detect switch reports a card (always true without a switch).</summary>
        public bool IsCardPresent()
        {
            if (_cardDetect == null) return true;
            return _cardDetect.Read() != _cardDetectActiveLow;
        }

        /// <summary>Runs the SPI-mode initialisation (§7.2.1, Figure 7-2) and reads OCR, CSD and CID.
        /// Call again after NoCard or NotReady (a new card may be in the slot).</summary>
        public BlockStatus Initialize()
        {
            // The power-up clocks reach every card on the bus: no other card may be mid-stream.
            TakeBus();
            _streaming = false;
            _explicit = false;
            _cacheValid = false;
            _cardMayBeBusy = false;
            _state = CardState.NotInitialized;
            if (!IsCardPresent()) return Lost();
            SetClock(SdTiming.InitClockHz);
            // At least 74 clocks with CS high before the first command (§6.4.1.1).
            _cs.Write(true);
            ClockIn(SdTiming.PowerUpClockBytes);
            DropLookAhead();
            Select();
            BlockStatus status = Identify();
            Deselect();
            if (status == BlockStatus.NoCard) return Lost();
            if (status != BlockStatus.Ok) return status;
            _state = CardState.Ready;
            int hz = MaxClockHz;
            if (_info.MaxClockHz > 0 && _info.MaxClockHz < hz) hz = _info.MaxClockHz;
            SetClock(hz);
            return BlockStatus.Ok;
        }

        BlockStatus Identify()
        {
            // CMD0 with CS low puts the card in SPI mode (§7.2.1); its CRC must be right (§7.2.2).
            // A card left inside a transfer by an earlier host may need more than one.
            int r1 = -1;
            for (int attempt = 0; attempt < 5 && r1 != SdR1.InIdleState; attempt++)
            {
                r1 = Command(SdCommand.GoIdleState, 0, 0);
            }
            if (r1 < 0) return BlockStatus.NoCard;
            if (r1 != SdR1.InIdleState) return BlockStatus.NotReady;

            // CMD8: supply 2.7-3.6 V (VHS = 1) and check pattern 0xAA, echoed in R7 (§4.3.13).
            // Illegal command means a version 1.x card.
            r1 = Command(SdCommand.SendIfCond, 0x1AA, 4);
            if (r1 < 0) return BlockStatus.NoCard;
            bool version2;
            if ((r1 & SdR1.IllegalCommand) != 0) version2 = false;
            else if (r1 != SdR1.InIdleState) return BlockStatus.NotReady;
            else if ((_response[2] & 0x0F) != 0x01 || _response[3] != 0xAA) return BlockStatus.NotReady;
            else version2 = true;

            // The host should turn CRC checking on before ACMD41 (§7.2.2).
            if (DataCrc)
            {
                r1 = Command(SdCommand.CrcOnOff, 1, 0);
                if (r1 != SdR1.InIdleState) return r1 < 0 ? BlockStatus.NoCard : BlockStatus.NotReady;
            }

            // ACMD41 until the card leaves the idle state, within 1 s (§4.2.3); HCS (bit 30) tells a
            // version 2 card that the host supports high capacity.
            uint hcs = version2 ? 0x40000000u : 0u;
            long start = _clock.NowMilliseconds;
            while (true)
            {
                r1 = AppCommand(SdCommand.SdSendOpCond, hcs);
                if (r1 == 0) break;
                if (r1 < 0) return BlockStatus.NoCard;
                // Illegal ACMD41: a MultiMediaCard, which this driver does not support.
                if (r1 != SdR1.InIdleState) return BlockStatus.NotReady;
                if (_clock.NowMilliseconds - start >= SdTiming.InitTimeoutMs)
                {
                    _stats.Timeouts++;
                    return BlockStatus.Timeout;
                }
                _clock.Sleep(1);
            }

            // CMD58: OCR; CCS (bit 30) is valid once bit 31 (power up status) is set (§5.1, §7.2.1).
            r1 = Command(SdCommand.ReadOcr, 0, 4);
            if (r1 < 0) return BlockStatus.NoCard;
            if (r1 != 0) return BlockStatus.NotReady;
            uint ocr = ((uint)_response[0] << 24) | ((uint)_response[1] << 16) | ((uint)_response[2] << 8) | _response[3];
            if ((ocr & 0x80000000u) == 0) return BlockStatus.NotReady;
            // OCR bits 20/21: 3.2-3.4 V, the board's supply.
            if ((ocr & 0x00300000u) == 0) return BlockStatus.NotReady;
            bool blockAddressing = version2 && (ocr & 0x40000000u) != 0;

            // Standard capacity cards address bytes and need the block length set (§7.2.3).
            if (!blockAddressing)
            {
                r1 = Command(SdCommand.SetBlockLen, SdTiming.BlockLength, 0);
                if (r1 != 0) return r1 < 0 ? BlockStatus.NoCard : BlockStatus.NotReady;
            }

            BlockStatus status = ReadRegister(SdCommand.SendCsd, _csd);
            if (status != BlockStatus.Ok) return status;
            status = ReadRegister(SdCommand.SendCid, _cid);
            if (status != BlockStatus.Ok) return status;
            if (!_info.Load(_csd, _cid, ocr, version2, blockAddressing)) return BlockStatus.NotReady;
            return BlockStatus.Ok;
        }

        // CMD9/CMD10: R1, then a data token with 16 bytes and CRC16 (§7.2.6).
        BlockStatus ReadRegister(SdCommand command, byte[] register)
        {
            BlockStatus status = ReadRegisterOnce(command, register);
            for (int attempt = 0; status == BlockStatus.CrcError && attempt < MaxRetries; attempt++)
            {
                _stats.Retries++;
                status = ReadRegisterOnce(command, register);
            }
            return status;
        }

        BlockStatus ReadRegisterOnce(SdCommand command, byte[] register)
        {
            int r1 = Command(command, 0, 0);
            if (r1 < 0) return BlockStatus.NoCard;
            if (r1 != 0) return BlockStatus.NotReady;
            int token = WaitWhile(0xFF, TokenPollBytes, SdTiming.ReadTimeoutMs);
            if (token < 0) return BlockStatus.NoCard;
            if (token != SdToken.StartBlock) return BlockStatus.DeviceError;
            ReadBytes(register, 0, SdRegisters.Length + 2);
            int crc = (register[SdRegisters.Length] << 8) | register[SdRegisters.Length + 1];
            if (DataCrc && SdCrc.Crc16(register, 0, SdRegisters.Length, 0) != crc)
            {
                _stats.CrcErrors++;
                return BlockStatus.CrcError;
            }
            return BlockStatus.Ok;
        }

        void SetClock(int hertz)
        {
            if (ClockControl != null) ClockControl.SetClockFrequency(hertz);
        }

        uint Address(long block)
        {
            // SDHC/SDXC address blocks, SDSC bytes (§7.2.3); SDSC is at most 2 GB so this fits.
            return _info.BlockAddressing ? (uint)block : (uint)(block * SdTiming.BlockLength);
        }

        BlockStatus CheckReady()
        {
            if (!IsCardPresent()) return Lost();
            if (_state == CardState.Lost) return BlockStatus.NoCard;
            if (_state != CardState.Ready) return BlockStatus.NotReady;
            if (_streaming)
            {
                // An explicit stream owns the card until EndRead; the data path's stream just ends.
                if (_explicit) return BlockStatus.NotReady;
                return CloseStream(BlockStatus.Ok);
            }
            return BlockStatus.Ok;
        }

        BlockStatus Lost()
        {
            if (_state != CardState.Lost) _stats.CardLost++;
            _state = CardState.Lost;
            _cacheValid = false;
            if (_streaming)
            {
                // Free the bus: a stream holds CS low.
                _streaming = false;
                _explicit = false;
                ResetParser();
                Deselect();
            }
            return BlockStatus.NoCard;
        }

        /// <summary>After a wait ran out: tells a missing or unpowered card (NoCard; the driver then
        /// needs Initialize) from a slow one (Timeout). Uses the card-detect switch, else CMD13
        /// (§7.3.2.3), which any working card answers.</summary>
        BlockStatus Probe(BlockStatus otherwise)
        {
            if (!IsCardPresent()) return Lost();
            Select();
            int r1 = Command(SdCommand.SendStatus, 0, 1);
            Deselect();
            if (r1 < 0) return Lost();
            // The idle bit means the card was reset (a power glitch): it needs initialising again.
            if ((r1 & SdR1.InIdleState) != 0)
            {
                _state = CardState.NotInitialized;
                return BlockStatus.NotReady;
            }
            return otherwise;
        }

        /// <summary>Maps an R1 with error bits to a status (§7.3.2.1).</summary>
        static BlockStatus FromR1(int r1)
        {
            if ((r1 & (SdR1.AddressError | SdR1.ParameterError)) != 0) return BlockStatus.OutOfRange;
            if ((r1 & SdR1.CommandCrcError) != 0) return BlockStatus.CrcError;
            if ((r1 & SdR1.InIdleState) != 0) return BlockStatus.NotReady;
            return BlockStatus.DeviceError;
        }

        /// <summary>Text for a status, for logs (enum names print as numbers on the board).</summary>
        public static string StatusText(BlockStatus status)
        {
            switch (status)
            {
                case BlockStatus.Ok: return "ok";
                case BlockStatus.NoCard: return "no card (inserted? powered?)";
                case BlockStatus.Timeout: return "card did not answer in time";
                case BlockStatus.CrcError: return "CRC error after retries (check wiring, lower the SPI clock)";
                case BlockStatus.OutOfRange: return "block beyond the end of the card";
                case BlockStatus.ReadOnly: return "card is write-protected";
                case BlockStatus.DeviceError: return "card reported an error";
                case BlockStatus.NotReady: return "card not initialised (call Initialize)";
            }
            return "status " + ((int)status).ToString();
        }
    }
}
