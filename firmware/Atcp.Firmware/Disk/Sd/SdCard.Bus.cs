using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    // Byte-level bus primitives: chip select, command frames, response and token polling. Every byte
    // the card has sent but the driver has not yet interpreted sits in the look-ahead buffer
    // [_lookPos, _lookEnd); because the host clocks 0xFF while polling (idle input, §7.5), over-reading
    // a few bytes is harmless and what follows a token or response is simply consumed from there.
    public sealed partial class SdCard
    {
        const int LookAheadLength = 32;
        const int CommandLength = 6;

        // A command frame followed by 0xFF padding, so the first response bytes come in the same
        // transaction as the command.
        readonly byte[] _frame = new byte[CommandLength + 16];
        readonly byte[] _look = new byte[LookAheadLength];
        int _lookPos;
        int _lookEnd;
        // Trailing bytes of R2, R3 and R7 responses.
        readonly byte[] _response = new byte[4];
        // Small MOSI scratch: tokens, CRC, stop tran.
        readonly byte[] _out = new byte[8];

        void Transfer(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
        {
            _spi.TransferFullDuplex(write, writeOffset, read, readOffset, length);
            _stats.SpiTransactions++;
            _stats.SpiBytes += length;
        }

        void Send(byte[] buffer, int offset, int length)
        {
            _spi.Write(buffer, offset, length);
            _stats.SpiTransactions++;
            _stats.SpiBytes += length;
        }

        // Clocks length bytes of 0xFF into the look-ahead buffer (which must be consumed).
        void ClockIn(int length)
        {
            Transfer(Ones, 0, _look, 0, length);
            _lookPos = 0;
            _lookEnd = length;
        }

        void DropLookAhead()
        {
            _lookPos = 0;
            _lookEnd = 0;
        }

        // Set when a busy wait ran out: the card may still hold MISO low, which would read as an R1
        // of 0x00, so the next selection first waits for it.
        bool _cardMayBeBusy;

        void Select()
        {
            TakeBus();
            _cs.Write(false);
            DropLookAhead();
            if (_cardMayBeBusy)
            {
                if (WaitWhile(0x00, BusyPollBytes, SdTiming.WriteTimeoutSdxcMs) >= 0) _cardMayBeBusy = false;
                DropLookAhead();
            }
        }

        // After CS goes high the card releases MISO on the next clock edge (§7.5.1); one byte of
        // clocks lets it do so before another device uses the bus.
        void Deselect()
        {
            _cs.Write(true);
            ClockIn(1);
            DropLookAhead();
            if (SharedBus != null && SharedBus.Holder == this) SharedBus.Holder = null;
        }

        /// <summary>Cards on one SPI bus share MISO and clocks: a card whose stream holds CS low must
        /// close it (CMD12, CS high) before another card is selected or clocked. Null: this card has
        /// the bus to itself. Give every SdCard on the bus the same instance.</summary>
        public SdBusOwner SharedBus
        {
            get { return _sharedBus; }
            set
            {
                _sharedBus = value;
                // Only one card on the bus reads at a time, so the cards share one stream buffer.
                _buf = value != null ? value.StreamBuffer : null; // null: own buffer made at the next OpenStream
                _cacheValid = false;
            }
        }

        SdBusOwner _sharedBus;

        void TakeBus()
        {
            SdBusOwner bus = SharedBus;
            if (bus == null) return;
            SdCard holder = bus.Holder;
            if (holder != null && holder != this) holder.ReleaseBus();
            bus.Holder = this;
            // The shared stream buffer is about to hold this card's bytes: the blocks another card
            // kept decoded there are gone (it reads them again from its card next time).
            SdCard user = bus.BufferUser;
            if (user != this)
            {
                if (user != null) user._cacheValid = false;
                bus.BufferUser = this;
            }
        }

        /// <summary>Sends one command frame (§7.3.1.1) and returns its R1 byte, or -1 when no byte with
        /// bit 7 clear came within NCR. extraBytes (R2: 1, R3/R7: 4) land in _response.</summary>
        int Command(SdCommand command, uint argument, int extraBytes)
        {
            byte[] f = _frame;
            f[0] = (byte)(0x40 | (int)command);
            f[1] = (byte)(argument >> 24);
            f[2] = (byte)(argument >> 16);
            f[3] = (byte)(argument >> 8);
            f[4] = (byte)argument;
            f[5] = (byte)((SdCrc.Crc7(f, 0, 5) << 1) | 1);
            // The byte right after CMD12 is a stuff byte still belonging to the data stream (§7.5.2,
            // stop transmission of a multiple block read) and may look like a response: skip it.
            bool stop = command == SdCommand.StopTransmission;
            int poll = (stop ? 3 : 2) + extraBytes;
            Transfer(f, 0, _look, 0, CommandLength + poll);
            _lookPos = stop ? CommandLength + 1 : CommandLength;
            _lookEnd = CommandLength + poll;
            _stats.Commands++;
            for (int scanned = 0; scanned < SdTiming.MaxResponseScanBytes; scanned++)
            {
                if (_lookPos == _lookEnd) ClockIn(1);
                int b = _look[_lookPos++];
                if ((b & 0x80) == 0)
                {
                    if (extraBytes > 0) ReadBytes(_response, 0, extraBytes);
                    return b;
                }
            }
            return -1;
        }

        /// <summary>CMD55 then the application command; returns the R1 of the latter, or CMD55's when
        /// that one failed.</summary>
        int AppCommand(SdCommand command, uint argument)
        {
            int r1 = Command(SdCommand.AppCmd, 0, 0);
            if (r1 < 0 || (r1 & ~SdR1.InIdleState) != 0) return r1;
            return Command(command, argument, 0);
        }

        /// <summary>Moves the next length bytes of the card's output into buffer[offset..]: first from
        /// the look-ahead, then clocked straight into the caller's buffer in one transaction.</summary>
        void ReadBytes(byte[] buffer, int offset, int length)
        {
            int have = _lookEnd - _lookPos;
            if (have > length) have = length;
            if (have > 0)
            {
                System.Array.Copy(_look, _lookPos, buffer, offset, have);
                _lookPos += have;
            }
            if (length > have) Transfer(Ones, 0, buffer, offset + have, length - have);
        }

        /// <summary>Polls until the card sends a byte other than idle (0xFF for tokens, 0x00 for
        /// busy) and returns it, or -1 after timeoutMs. The first SpinPolls polls run back to back
        /// (typical waits are far below a millisecond); after that the clock is read and the driver
        /// sleeps 1 ms between polls, which bounds the wait on any clock, virtual ones included.</summary>
        int WaitWhile(int idle, int chunk, int timeoutMs)
        {
            int polls = 0;
            long start = 0;
            while (true)
            {
                while (_lookPos < _lookEnd)
                {
                    int b = _look[_lookPos++];
                    if (b != idle) return b;
                }
                if (polls >= SpinPolls)
                {
                    long now = _clock.NowMilliseconds;
                    if (polls == SpinPolls) start = now;
                    else if (now - start >= timeoutMs)
                    {
                        _stats.Timeouts++;
                        return -1;
                    }
                    _clock.Sleep(1);
                }
                ClockIn(chunk);
                polls++;
            }
        }

        /// <summary>Waits for the end of busy (the card holds MISO low while programming, §7.2.4);
        /// true when it ended in time.</summary>
        bool WaitNotBusy(int timeoutMs)
        {
            bool ready = WaitWhile(0x00, BusyPollBytes, timeoutMs) >= 0;
            DropLookAhead();
            if (!ready) _cardMayBeBusy = true;
            return ready;
        }
    }
}
