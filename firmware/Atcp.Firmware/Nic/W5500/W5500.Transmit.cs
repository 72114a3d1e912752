using Atcp.Wire.Ethernet;

namespace Atcp.Firmware.Nic
{
    // Transmit path. In MACRAW mode SEND puts the bytes from Sn_TX_RD to Sn_TX_WR on the wire as one
    // frame and then moves Sn_TX_RD up to Sn_TX_WR (datasheet 4.2, Sn_TX_RD). Frame boundaries are
    // therefore the pointers themselves: Sn_TX_WR must not move while a SEND is under way, and only
    // one SEND is outstanding at a time. The next frame's bytes may still be written into the free
    // space beyond Sn_TX_WR meanwhile, which overlaps the SPI transfer with the chip's transmission.
    //
    // The driver keeps Sn_TX_WR and the free size itself (it is the only writer, and after a SEND
    // completes the whole buffer is free again), so per frame in steady state it writes the frame at
    // Sn_TX_WR (1), Sn_TX_WR (1), and Sn_CR = SEND together with Sn_IR = SEND_OK|TIMEOUT (1): Sn_IR
    // follows Sn_CR, so the same transfer clears the previous SEND's flags (write 1 to clear) right
    // after issuing the new SEND, which cannot finish within the 8 SPI clocks that separate the two
    // bytes. Whether the previous SEND has completed is asked only before the next SEND, and with an
    // INTn pin it costs no SPI at all: Sn_IMR lets only SEND_OK and TIMEOUT through (not RECV) and
    // SIMR only socket 0, so INTn low means exactly "the last SEND is over" (datasheet 4.1 SIMR,
    // 4.2 Sn_IMR/Sn_IR, 5.1 INTn). Without the pin, Sn_CR and Sn_IR are read in one transfer.
    // Sn_TX_FSR is read only when the local free size is too small for the frame.
    public sealed partial class W5500
    {
        ushort _txWr;            // our copy of Sn_TX_WR
        int _txFree;             // free TX buffer bytes as far as we know (never more than the truth)
        bool _sendPending;       // a SEND was issued and its SEND_OK/TIMEOUT not yet seen
        long _sendIssuedAt;
        bool _commandUnconfirmed; // a command was written and Sn_CR not yet seen back at 0
        // A frame written at _txWr whose SEND had to wait (Transmit returned false): when the caller
        // retries with the same frame it is not written again.
        byte[] _stagedBuffer;
        int _stagedOffset;
        int _stagedLength;

        /// <summary>Sends buffer[offset .. offset + length) (destination MAC first, no FCS; the chip
        /// pads short frames and appends the FCS). Returns false when the previous frame is still being
        /// transmitted or the TX buffer has no room: call again later with the same frame (same
        /// buffer, offset and length, bytes unchanged), which then is not written over SPI again; any
        /// other frame replaces it. buffer[offset - 3 .. offset) is overwritten.</summary>
        public bool Transmit(byte[] buffer, int offset, int length)
        {
            if (!Ready()) return false;
            if (buffer == null) throw new System.ArgumentNullException("buffer");
            if (offset < W5500Spi.HeaderLength || offset + length > buffer.Length)
                throw new System.ArgumentOutOfRangeException("offset");
            if (length < EthernetHeader.Length || length > MaxFrame)
                throw new System.ArgumentOutOfRangeException("length");

            bool staged = buffer == _stagedBuffer && offset == _stagedOffset && length == _stagedLength;
            if (!staged && _txFree < length)
            {
                RefreshTxFree();
                if (!_ready) return false;
                if (_txFree < length)
                {
                    Counters.TxNoRoom++;
                    return false;
                }
            }

            if (!staged)
            {
                WriteRing(buffer, offset - W5500Spi.HeaderLength, _txWr, length);
                _stagedBuffer = buffer;
                _stagedOffset = offset;
                _stagedLength = length;
            }

            if (_sendPending && !PreviousSendDone())
            {
                Counters.TxBusy++;
                // The stall check may have reopened the socket: the staged bytes are gone then.
                return false;
            }

            ushort end = (ushort)(_txWr + length);
            WriteUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_TX_WR, end);
            if (_commandUnconfirmed) WaitCommandAccepted();
            WriteTwoBytes(W5500Block.Socket0Registers, W5500SocketRegister.Sn_CR,
                W5500SocketCommand.SEND, W5500SocketInterrupt.SEND_OK | W5500SocketInterrupt.TIMEOUT);
            _commandUnconfirmed = true;
            _sendPending = true;
            _sendIssuedAt = _clock.NowMilliseconds;
            _txWr = end;
            _txFree -= length;
            _stagedBuffer = null;
            Counters.FramesSent++;
            Counters.BytesSent += length;
            return true;
        }

        /// <summary>Whether the previous SEND is over: INTn first (no SPI; a few reads of the pin),
        /// then Sn_CR and Sn_IR over SPI (one transfer, a few times). A SEND pending longer than
        /// SendStallMs is given up: the socket is reopened and false returned, so the caller retries
        /// on a clean socket.</summary>
        bool PreviousSendDone()
        {
            if (_interrupt != null && _interruptTrusted)
            {
                for (int poll = 0; poll < InterruptPolls; poll++)
                {
                    if (!_interrupt.Read())
                    {
                        // SEND_OK (MACRAW has no TIMEOUT: no ARP, no retransmission): completion also
                        // means the command was accepted, and the whole buffer is free again.
                        _sendPending = false;
                        _commandUnconfirmed = false;
                        _txFree = SocketBufferSize;
                        return true;
                    }
                }
            }
            for (int poll = 0; poll < SendPolls; poll++)
            {
                ReadRegisters(W5500Block.Socket0Registers, W5500SocketRegister.Sn_CR, 2);
                byte command = _reg[W5500Spi.HeaderLength];
                byte flags = _reg[W5500Spi.HeaderLength + 1];
                if (command != 0) continue;
                _commandUnconfirmed = false;
                if ((flags & (W5500SocketInterrupt.SEND_OK | W5500SocketInterrupt.TIMEOUT)) == 0) continue;

                if (_interrupt != null && _interruptTrusted)
                {
                    // The chip says done but INTn stayed high: the pin is not wired (or SIMR lost).
                    Counters.InterruptMisses++;
                    if (Counters.InterruptMisses >= InterruptMissLimit) _interruptTrusted = false;
                }
                _sendPending = false;
                if ((flags & W5500SocketInterrupt.SEND_OK) != 0)
                {
                    // Sn_TX_RD caught up with Sn_TX_WR: the whole buffer is free again.
                    _txFree = SocketBufferSize;
                }
                else
                {
                    Counters.TxTimeouts++;
                    _txFree = 0; // unknown: read Sn_TX_FSR before the next frame
                }
                return true;
            }
            if (_clock.NowMilliseconds - _sendIssuedAt >= SendStallMs)
            {
                Counters.TxStalls++;
                ReopenSocket();
            }
            return false;
        }

        /// <summary>Updates the cached free size: a pending SEND that completed with SEND_OK frees the
        /// whole buffer; otherwise (after a TIMEOUT, say) Sn_TX_FSR is read until two readings agree
        /// (datasheet 4.2 note). While a SEND is still pending nothing more can be known.</summary>
        void RefreshTxFree()
        {
            if (_sendPending)
            {
                if (!PreviousSendDone() || _txFree == SocketBufferSize) return;
            }
            int first = ReadUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_TX_FSR);
            for (int attempt = 0; attempt < SizeReadAttempts; attempt++)
            {
                int again = ReadUInt16(W5500Block.Socket0Registers, W5500SocketRegister.Sn_TX_FSR);
                if (again == first)
                {
                    _txFree = first;
                    return;
                }
                first = again;
            }
        }
    }
}
