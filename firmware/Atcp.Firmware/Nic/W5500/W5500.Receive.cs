using Atcp.Wire.Ethernet;

namespace Atcp.Firmware.Nic
{
    // Receive path. Socket 0's RX buffer is a ring of MACRAW records, each a 2-byte big-endian length
    // (counting itself) followed by the frame without FCS. Sn_RX_RSR says how many bytes of whole
    // records wait after Sn_RX_RD; after reading, the host advances Sn_RX_RD and issues RECV to give
    // the space back (datasheet 4.2, Sn_RX_RSR / Sn_RX_RD).
    //
    // SPI transactions are the cost that matters on the board, so:
    // - the size learnt from one Sn_RX_RSR reading is kept (_rxKnown) and consumed frame by frame;
    //   Sn_RX_RSR is read again only once those bytes are used up;
    // - when everything waiting fits the caller's buffer, header and frame come in one transfer and
    //   the frame is moved down 2 bytes with Array.Copy;
    // - otherwise, when another record follows, its header is read together with this frame;
    // - Sn_RX_RD + RECV are written at the end of a batch only once ReleaseThreshold (1 KB) waits to
    //   be released, not per frame or per small batch (holding under 1 KB between batches leaves room
    //   for a burst of ten maximum frames): Sn_RX_RSR counts from the released pointer (4.2: Sn_RX_WR - Sn_RX_RD), so what
    //   waits after _rxRd is Sn_RX_RSR minus the bytes consumed but not yet released, and the other
    //   rest of the ring keeps taking frames meanwhile. A frame then costs the Sn_RX_RSR reading(s)
    //   and the ring read.
    public sealed partial class W5500
    {
        ushort _rxRd;            // next record to read (our copy of Sn_RX_RD, possibly ahead of the chip's)
        int _rxKnown;            // bytes of whole records waiting at _rxRd, as far as we know
        int _rxUnreleased;       // bytes consumed since the last RECV
        bool _nextHeaderValid;   // the record at _rxRd has its length already read
        int _nextHeaderLength;

        /// <summary>Copies the next frame addressed to us (or broadcast) into buffer[offset..] and
        /// returns its length, or 0 when none waits. Frames longer than capacity are skipped and
        /// counted. With capacity of at least MaxFrameLength + 2 a lone frame costs one SPI transfer
        /// less. buffer[offset - 3 .. offset) is overwritten.</summary>
        public int Receive(byte[] buffer, int offset, int capacity)
        {
            if (!Ready()) return 0;
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (offset < W5500Spi.HeaderLength || capacity < 0 || offset + capacity > buffer.Length)
                throw new System.ArgumentOutOfRangeException("offset");

            while (true)
            {
                if (_rxKnown == 0)
                {
                    int waiting = ReadReceivedSize();
                    if (waiting == 0) return 0;
                    if (waiting > SocketBufferSize) { RingCorrupt(); return 0; }
                    _rxKnown = waiting;
                }
                if (_rxKnown < W5500Chip.MacRawHeaderLength) { RingCorrupt(); return 0; }

                int record;
                bool frameRead = false;
                if (_nextHeaderValid)
                {
                    record = _nextHeaderLength;
                    _nextHeaderValid = false;
                }
                else if (_rxKnown <= capacity)
                {
                    // Everything waiting fits: one transfer brings the header and the frame (and
                    // possibly more records, read again later).
                    ReadRing(buffer, offset - W5500Spi.HeaderLength, _rxRd, _rxKnown);
                    record = (buffer[offset] << 8) | buffer[offset + 1];
                    frameRead = true;
                }
                else
                {
                    ReadRegisters(W5500Block.Socket0RxBuffer, _rxRd, W5500Chip.MacRawHeaderLength);
                    record = (_reg[W5500Spi.HeaderLength] << 8) | _reg[W5500Spi.HeaderLength + 1];
                }

                // A record shorter than an Ethernet header, longer than any frame, or longer than what
                // the chip says it holds means we lost track of the ring.
                if (record < W5500Chip.MacRawHeaderLength + EthernetHeader.Length
                    || record > W5500Chip.MacRawHeaderLength + LongestFrameOnWire
                    || record > _rxKnown)
                {
                    RingCorrupt();
                    return 0;
                }

                int length = record - W5500Chip.MacRawHeaderLength;
                bool another = _rxKnown - record >= W5500Chip.MacRawHeaderLength;
                if (frameRead && another)
                {
                    int next = offset + record;
                    _nextHeaderLength = (buffer[next] << 8) | buffer[next + 1];
                    _nextHeaderValid = true;
                }

                if (length > MaxFrame || length > capacity)
                {
                    Counters.RxDroppedTooLong++;
                    Consume(record);
                    continue;
                }

                if (frameRead)
                {
                    System.Array.Copy(buffer, offset + W5500Chip.MacRawHeaderLength, buffer, offset, length);
                }
                else
                {
                    bool prefetch = another && length + W5500Chip.MacRawHeaderLength <= capacity;
                    ReadRing(buffer, offset - W5500Spi.HeaderLength,
                        (ushort)(_rxRd + W5500Chip.MacRawHeaderLength),
                        prefetch ? length + W5500Chip.MacRawHeaderLength : length);
                    if (prefetch)
                    {
                        _nextHeaderLength = (buffer[offset + length] << 8) | buffer[offset + length + 1];
                        _nextHeaderValid = true;
                    }
                }

                Consume(record);
                Counters.FramesReceived++;
                Counters.BytesReceived += length;
                return length;
            }
        }

        /// <summary>Bytes of whole records after _rxRd: Sn_RX_RSR (counted from the last released
        /// pointer) minus what was consumed but not yet released, read until two readings agree
        /// (datasheet 4.2: a 16-bit counter can change between its two bytes). A first reading that
        /// shows nothing new is taken as is: a torn reading is never larger than the true value, so
        /// it can only delay a frame to the next poll.</summary>
        int ReadReceivedSize()
        {
            int first = ReadUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_RX_RSR);
            if (first <= _rxUnreleased) return 0;
            for (int attempt = 0; attempt < SizeReadAttempts; attempt++)
            {
                int again = ReadUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_RX_RSR);
                if (again == first) return first - _rxUnreleased;
                first = again;
            }
            Counters.RxSizeUnstable++;
            return 0;
        }

        void Consume(int record)
        {
            _rxRd = (ushort)(_rxRd + record);
            _rxKnown -= record;
            _rxUnreleased += record;
            // At the end of a batch once ReleaseThreshold has gathered, or mid-batch at half the ring.
            bool batchDone = _rxKnown < W5500Chip.MacRawHeaderLength;
            if ((batchDone && _rxUnreleased >= ReleaseThreshold) || _rxUnreleased >= SocketBufferSize / 2)
                ReleaseReceived();
        }

        /// <summary>Hands consumed ring space back: Sn_RX_RD then RECV, and waits until Sn_CR clears
        /// (datasheet 4.2). What we know about the records after _rxRd stays true.</summary>
        void ReleaseReceived()
        {
            if (_rxUnreleased == 0) return;
            // The previous command (a SEND) must be accepted before Sn_CR is written again.
            if (_commandUnconfirmed) WaitCommandAccepted();
            WriteUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_RX_RD, _rxRd);
            // Waited for at once (once per ReleaseThreshold bytes), so that an unconfirmed command is
            // always a SEND, whose completion (INTn) also confirms it.
            Command(W5500SocketCommand.RECV);
            _rxUnreleased = 0;
        }

        /// <summary>Consumed RX bytes held before Sn_RX_RD + RECV give them back: about ten small
        /// frames (acknowledgements) per release, while at most 1 KB + one frame of the 16 KB ring
        /// is held back from new frames.</summary>
        public const int ReleaseThreshold = 1024;

        /// <summary>The ring no longer makes sense: close and reopen Socket 0 (which reinitialises
        /// the pointers and drops what the buffer held), as the datasheet's MACRAW sequence does when
        /// the socket is not in the expected state.</summary>
        void RingCorrupt()
        {
            Counters.RxBadLength++;
            ReopenSocket();
        }
    }
}
