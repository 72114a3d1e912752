using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Udp
{
    /// <summary>The sending side of a datagram reply (the seed's pseudo-UDP embodiment, SPEC.md
    /// sections 5.2, 5.5 and 6.2) for one stream: a stream of Total bytes cut into blocks of
    /// BlockSize, numbered from FirstBlock with 32-bit numbers that never wrap (the packetizer writes
    /// them mod 2^16 into TFTP headers; the front-end unwraps the client's ACKs). Pure logic: no I/O,
    /// time passed in. The caller asks <see cref="NextBlock"/> what to send, builds the datagram from
    /// the medium (block ranges are read again on a resend, never copied), and feeds relayed
    /// acknowledgements to <see cref="OnAck"/> and the clock to <see cref="OnTimer"/>.
    /// Flow follows RFC 7440 section 4: at most WindowSize blocks are sent past the last
    /// acknowledged one; an ACK of block n starts the next window at n + 1 (blocks after n that
    /// were already sent go again: the client dropped them when it saw a gap); a timeout resends the
    /// whole window from the first unacknowledged block. The retransmit timeout adapts to the
    /// measured round trip (RFC 6298's estimator, Karn's rule: only windows sent once are timed),
    /// between <see cref="MinRtoMs"/> and the timeout from the COMMAND_UDP (the client's RFC 2349
    /// value or the front-end's default, the ceiling); it doubles on each timeout in a row
    /// (RFC 1123 4.2.3.2, RFC 6298 5.5) up to <see cref="MaxBackoffFactor"/> times that ceiling, so
    /// that a client which ignores repeated windows and waits for silence before it acknowledges
    /// again (atftp) gets that silence. The stream fails with reason Timeout when nothing advanced for
    /// <see cref="GiveUpMs"/>: the time MaxRetransmissions doubling resends of the ceiling would take.</summary>
    public sealed class DatagramSender
    {
        long _total;
        int _blockSize;
        int _window;
        uint _firstBlock;
        int _timeoutMs;
        int _maxRetransmissions;
        long _blockCount;
        long _una;      // blocks acknowledged = index of the first unacknowledged block
        long _nxt;      // index of the next block to send
        long _max;      // one past the highest index ever sent
        long _deadline; // long.MaxValue when no timer runs
        int _consecutiveTimeouts;
        long _progressAt;   // last advancing ACK (or the start)
        long _giveUpMs;
        int _srtt8;         // smoothed RTT x 8 (ms), 0 = no sample yet
        int _rttvar4;       // RTT variation x 4 (ms)
        int _rto;           // current retransmit timeout before backoff (ms)
        long _lastSendAt;
        bool _lastSendWasFirst; // the last datagram sent was a first transmission (Karn)

        /// <summary>Floor of the adaptive retransmit timeout, ms: a few scheduler ticks, so a busy
        /// front-end or client does not cause spurious window resends on a LAN.</summary>
        public const int MinRtoMs = 20;
        /// <summary>Backed-off waits grow to at most this many times the ceiling timeout.</summary>
        public const int MaxBackoffFactor = 8;

        /// <summary>Where the stream is.</summary>
        public SenderState State { get; private set; }
        /// <summary>Why the stream failed (Timeout when retransmissions ran out), when Failed.</summary>
        public AtcpAbortReason FailReason { get; private set; }
        /// <summary>Bytes in the reply.</summary>
        public long Total { get { return _total; } }
        /// <summary>Payload bytes of a full block.</summary>
        public int BlockSize { get { return _blockSize; } }
        /// <summary>Blocks that may be in flight.</summary>
        public int WindowSize { get { return _window; } }
        /// <summary>Number of the first block.</summary>
        public uint FirstBlock { get { return _firstBlock; } }
        /// <summary>Blocks in the reply, the last one short (possibly empty with a terminating short block).</summary>
        public long BlockCount { get { return _blockCount; } }
        /// <summary>Number of the last block (unwrapped); FirstBlock - 1 when there are no blocks.</summary>
        public uint LastBlock { get { return (uint)(_firstBlock + _blockCount - 1); } }
        /// <summary>Blocks the client acknowledged.</summary>
        public long BlocksAcknowledged { get { return _una; } }
        /// <summary>Blocks sent at least once.</summary>
        public long BlocksSent { get { return _max; } }
        /// <summary>Index (0-based) of the next block to send.</summary>
        public long NextIndex { get { return _nxt; } }
        /// <summary>Reply bytes the client acknowledged.</summary>
        public long BytesAcknowledged { get { return BytesBefore(_una); } }
        /// <summary>Reply bytes sent at least once.</summary>
        public long BytesSent { get { return BytesBefore(_max); } }
        /// <summary>Ceiling of the retransmit timeout in ms (from the COMMAND_UDP).</summary>
        public int RetransmitTimeoutMs { get { return _timeoutMs; } }
        /// <summary>The current retransmit timeout in ms, before backoff (adapts to the round trip).</summary>
        public int CurrentRtoMs { get { return _rto; } }
        /// <summary>Smoothed round trip in ms from the last datagram of a window to its ACK, 0 before the first sample.</summary>
        public int SmoothedRttMs { get { return _srtt8 >> 3; } }
        /// <summary>Sets the budget of <see cref="GiveUpMs"/> (MaxRetransmissions doubling waits from the ceiling).</summary>
        public int MaxRetransmissions { get { return _maxRetransmissions; } }
        /// <summary>Silence (no advancing ACK) after which the stream fails with reason Timeout, ms.</summary>
        public long GiveUpMs { get { return _giveUpMs; } }
        /// <summary>When <see cref="OnTimer"/> has work, or long.MaxValue.</summary>
        public long NextDeadline { get { return _deadline; } }
        /// <summary>Time of the acknowledgement of the last block (valid when Finished).</summary>
        public long FinishedAt { get; private set; }

        /// <summary>Datagrams handed out by NextBlock (first sends and resends).</summary>
        public int DatagramsSent { get; private set; }
        /// <summary>Datagrams sent more than once (DONE's "Retransmitted").</summary>
        public int Retransmitted { get; private set; }
        /// <summary>Timer expiries (each resends the window).</summary>
        public int Timeouts { get; private set; }
        /// <summary>ACKs that advanced the window.</summary>
        public int AcksAdvanced { get; private set; }
        /// <summary>ACKs that repeated the last one.</summary>
        public int DuplicateAcks { get; private set; }
        /// <summary>ACKs below the acknowledged point.</summary>
        public int OldAcks { get; private set; }
        /// <summary>ACKs for blocks never sent.</summary>
        public int AcksBeyondSent { get; private set; }
        /// <summary>ACKs that landed inside the blocks in flight, so the window restarted after them
        /// (the client saw a gap or timed out, RFC 7440 section 4).</summary>
        public int WindowRestarts { get; private set; }

        /// <summary>Starts a stream of total bytes. terminatingShortBlock: TFTP's rule that the
        /// transfer ends with a block shorter than BlockSize, so a total that is a multiple of the block
        /// size (zero included) ends with an empty block; without it (Raw framing) the last block is
        /// simply the remainder. Returns false, leaving the slot Idle, when a value is out of range or
        /// the last block number would not fit 32 bits.</summary>
        public bool Start(long total, int blockSize, int windowSize, uint firstBlock, int timeoutMs, int maxRetransmissions,
            bool terminatingShortBlock, long now)
        {
            State = SenderState.Idle;
            if (total < 0 || blockSize < 1 || windowSize < 1 || timeoutMs < 1 || maxRetransmissions < 0) return false;
            long count = total / blockSize;
            if (terminatingShortBlock || total % blockSize != 0) count++;
            // DATAGRAM_ACK carries 32-bit unwrapped block numbers (SPEC.md section 5.5).
            if (count > 0 && (long)firstBlock + count - 1 > 0xFFFFFFFFL) return false;

            _total = total;
            _blockSize = blockSize;
            _window = windowSize;
            _firstBlock = firstBlock;
            _timeoutMs = timeoutMs;
            _maxRetransmissions = maxRetransmissions;
            _blockCount = count;
            _una = 0; _nxt = 0; _max = 0;
            _deadline = long.MaxValue;
            _consecutiveTimeouts = 0;
            _progressAt = now;
            _giveUpMs = GiveUpBudget(timeoutMs, maxRetransmissions);
            _srtt8 = 0; _rttvar4 = 0;
            _rto = timeoutMs;
            _lastSendAt = now;
            _lastSendWasFirst = false;
            DatagramsSent = 0; Retransmitted = 0; Timeouts = 0;
            AcksAdvanced = 0; DuplicateAcks = 0; OldAcks = 0; AcksBeyondSent = 0; WindowRestarts = 0;
            FailReason = AtcpAbortReason.Unspecified;
            FinishedAt = now;
            State = count == 0 ? SenderState.Finished : SenderState.Sending;
            return true;
        }

        /// <summary>Frees the slot.</summary>
        public void Reset() { State = SenderState.Idle; _deadline = long.MaxValue; }

        /// <summary>Marks the stream failed (an ABORT from the front-end, a medium error).</summary>
        public void Fail(AtcpAbortReason reason)
        {
            if (State != SenderState.Sending) return;
            State = SenderState.Failed;
            FailReason = reason;
            _deadline = long.MaxValue;
        }

        /// <summary>Decides the next datagram to send now and records it as sent: its unwrapped block
        /// number, where its bytes start in the stream, how many there are (0 for TFTP's empty final
        /// block) and whether it was sent before. Returns false when the window is full, every block
        /// is out, or the stream is not sending.</summary>
        public bool NextBlock(long now, out uint block, out long offset, out int length, out bool retransmission)
        {
            block = 0; offset = 0; length = 0; retransmission = false;
            if (State != SenderState.Sending) return false;
            if (_nxt >= _blockCount || _nxt - _una >= _window) return false;
            long index = _nxt;
            offset = index * _blockSize;
            long remaining = _total - offset;
            length = remaining < _blockSize ? (int)remaining : _blockSize;
            block = (uint)(_firstBlock + index);
            retransmission = index < _max;
            if (retransmission) Retransmitted++;
            DatagramsSent++;
            _nxt = index + 1;
            if (_nxt > _max) _max = _nxt;
            _lastSendAt = now;
            _lastSendWasFirst = !retransmission;
            // The client's own timer runs from the last datagram it got, so ours does too: a slow
            // board that takes a while to send a window does not time out while still sending it.
            _deadline = now + CurrentWait();
            return true;
        }

        /// <summary>Takes a relayed acknowledgement: block is the highest block the client received
        /// in order, unwrapped (FirstBlock - 1 = none yet).</summary>
        public DatagramAckOutcome OnAck(uint block, long now)
        {
            if (State != SenderState.Sending) return DatagramAckOutcome.NotSending;
            long acked = (long)block - ((long)_firstBlock - 1);
            if (acked > _max) { AcksBeyondSent++; return DatagramAckOutcome.BeyondSent; }
            if (acked < _una) { OldAcks++; return DatagramAckOutcome.Old; }
            if (acked == _una) { DuplicateAcks++; return DatagramAckOutcome.Duplicate; }

            AcksAdvanced++;
            // A round-trip sample when the ACK covers everything sent and the last datagram went once.
            if (acked == _nxt && _lastSendWasFirst && _consecutiveTimeouts == 0) Sample((int)(now - _lastSendAt));
            if (acked < _nxt) WindowRestarts++;
            _una = acked;
            _nxt = acked; // RFC 7440 section 4: the next window starts right after the acknowledged block
            _consecutiveTimeouts = 0;
            _progressAt = now;
            _deadline = long.MaxValue; // nothing of the new window is in flight yet
            if (_una >= _blockCount) { State = SenderState.Finished; FinishedAt = now; }
            return DatagramAckOutcome.Advanced;
        }

        /// <summary>Runs the retransmit timer: when it expired, the whole window is sent again from
        /// the first unacknowledged block (the next wait doubled), or, when nothing advanced for
        /// <see cref="GiveUpMs"/>, the stream fails with reason Timeout (the board then sends
        /// ABORT(Timeout)).</summary>
        public void OnTimer(long now)
        {
            if (State != SenderState.Sending || now < _deadline) return;
            Timeouts++;
            if (now - _progressAt >= _giveUpMs) { Fail(AtcpAbortReason.Timeout); return; }
            _consecutiveTimeouts++;
            _nxt = _una;
            _deadline = long.MaxValue;
        }

        /// <summary>The silence a stream tolerates: maxRetransmissions + 1 waits of timeoutMs, each
        /// doubled from the one before, at most MaxBackoffFactor x timeoutMs (the front-end's
        /// TftpServer keeps its session that long, plus one timeout).</summary>
        public static long GiveUpBudget(int timeoutMs, int maxRetransmissions)
        {
            long total = 0, cap = (long)timeoutMs * MaxBackoffFactor, wait = timeoutMs;
            for (int k = 0; k <= maxRetransmissions; k++)
            {
                total += wait < cap ? wait : cap;
                if (wait < cap) wait += wait;
            }
            return total;
        }

        // The wait after the last send: the RTO, doubled per timeout in a row, capped.
        long CurrentWait()
        {
            long wait = _rto, cap = (long)_timeoutMs * MaxBackoffFactor;
            for (int k = 0; k < _consecutiveTimeouts && wait < cap; k++) wait += wait;
            return wait < cap ? wait : cap;
        }

        // RFC 6298 section 2 in Jacobson's scaled integers: SRTT x 8, RTTVAR x 4, RTO = SRTT + 4 RTTVAR.
        void Sample(int rtt)
        {
            if (rtt < 0) rtt = 0;
            if (_srtt8 == 0)
            {
                _srtt8 = (rtt << 3) + 1; // + 1: a 0 ms first sample still counts as a sample
                _rttvar4 = rtt << 1;
            }
            else
            {
                int err = rtt - (_srtt8 >> 3);
                _srtt8 += err;
                if (_srtt8 < 1) _srtt8 = 1;
                if (err < 0) err = -err;
                _rttvar4 += err - (_rttvar4 >> 2);
            }
            int rto = (_srtt8 >> 3) + (_rttvar4 > 1 ? _rttvar4 : 1);
            if (rto < MinRtoMs) rto = MinRtoMs;
            if (rto > _timeoutMs) rto = _timeoutMs;
            _rto = rto;
        }

        long BytesBefore(long blockIndex)
        {
            long bytes = blockIndex * _blockSize;
            return bytes < _total ? bytes : _total;
        }
    }
}
