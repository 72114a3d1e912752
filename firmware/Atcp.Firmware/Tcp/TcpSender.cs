namespace Atcp.Firmware.Tcp
{
    /// <summary>The sending half of TCP for one reply stream, in stream offsets (0 = the first byte
    /// of the reply, at sequence number InitialSequence). Pure logic: no I/O, time passed in. The
    /// packetizer asks <see cref="NextSegment"/> what to send, builds the segment from the medium
    /// (ranges, never copies, are kept for retransmission) and feeds relayed client ACKs to
    /// <see cref="OnAck"/> and the clock to <see cref="OnTimer"/>.
    /// Implements RFC 6298 (RTO, Karn, backoff), RFC 5681 (slow start, congestion avoidance, fast
    /// retransmit), RFC 3042 (limited transmit), RFC 6582 (NewReno recovery), SACK loss detection
    /// and hole retransmission after RFC 6675, the tail loss probe and lost-retransmission rule of
    /// RFC 8985 (TcpSender.Recovery.cs), and zero-window probing (RFC 9293 section 3.8.6.1).
    /// The ACKs come through the front-end's relay, which coalesces some: growth follows bytes
    /// acknowledged (RFC 3465) and loss detection counts SACKed bytes, not only duplicates.</summary>
    public sealed partial class TcpSender
    {
        /// <summary>Lower bound of the RTO. RFC 6298 (2.4) says 1 s SHOULD; like Linux we use 200 ms,
        /// which RFC 6298 allows as a MAY, because boards and clients share a LAN.</summary>
        public const int MinRtoMs = 200;
        /// <summary>Upper bound of the RTO (RFC 6298 2.5 allows a maximum of at least 60 s).</summary>
        public const int MaxRtoMs = 60000;
        /// <summary>Initial RTO without an RTT hint (RFC 6298 2.1).</summary>
        public const int InitialRtoMs = 1000;
        /// <summary>Consecutive expiries of the same data after which the stream fails.</summary>
        public const int MaxConsecutiveTimeouts = 10;
        /// <summary>Duplicate ACKs that trigger fast retransmit (RFC 5681 3.2).</summary>
        public const int DupAckThreshold = 3;

        ISegmentPlanner _planner;
        uint _iss;
        long _total;
        int _mss;
        int _windowScale;
        long _window;          // client's advertised window in bytes (scaled)
        long _una, _nxt, _max; // acknowledged, next to send, highest ever sent (exclusive ends)
        long _cwnd, _ssthresh;
        bool _inRecovery;
        long _recover;         // NewReno: _max when recovery started
        long _highRetransmitted; // SACK recovery: holes below this were already resent
        int _dupAcks;
        int _limitedTransmit;  // RFC 3042: segments allowed beyond cwnd
        bool _fastRetransmitPending;
        readonly SackScoreboard _sacks = new SackScoreboard();

        int _srtt, _rttvar, _rto; // milliseconds; _srtt < 0 until the first sample
        bool _timing; long _timedEnd; long _timedAt;
        long _rtoDeadline;     // long.MaxValue when no timer runs
        int _consecutiveTimeouts;
        long _persistDeadline; int _persistBackoff; bool _probePending;

        /// <summary>Where the stream is.</summary>
        public SenderState State { get; private set; }
        /// <summary>Bytes in the reply.</summary>
        public long Total { get { return _total; } }
        /// <summary>Bytes the client acknowledged.</summary>
        public long Acknowledged { get { return _una; } }
        /// <summary>Highest offset sent so far (exclusive).</summary>
        public long HighestSent { get { return _max; } }
        /// <summary>Next offset to send.</summary>
        public long NextToSend { get { return _nxt; } }
        /// <summary>Congestion window in bytes.</summary>
        public long CongestionWindow { get { return _cwnd; } }
        /// <summary>Slow-start threshold in bytes.</summary>
        public long SlowStartThreshold { get { return _ssthresh; } }
        /// <summary>Client's window in bytes.</summary>
        public long SendWindow { get { return _window; } }
        /// <summary>Current retransmission timeout in ms.</summary>
        public int RetransmissionTimeoutMs { get { return _rto; } }
        /// <summary>Smoothed RTT in ms, or -1 before the first sample.</summary>
        public int SmoothedRttMs { get { return _srtt; } }
        /// <summary>Maximum segment payload.</summary>
        public int Mss { get { return _mss; } }
        /// <summary>True during fast recovery.</summary>
        public bool InRecovery { get { return _inRecovery; } }
        /// <summary>Segments sent again (any cause).</summary>
        public int RetransmittedSegments { get; private set; }
        /// <summary>RTO expiries.</summary>
        public int Timeouts { get; private set; }
        /// <summary>Fast retransmits (3 duplicate ACKs).</summary>
        public int FastRetransmits { get; private set; }
        /// <summary>Zero-window probes sent.</summary>
        public int WindowProbes { get; private set; }
        /// <summary>The SACK ranges currently known.</summary>
        public SackScoreboard Sacks { get { return _sacks; } }

        /// <summary>Sequence number of stream offset 0.</summary>
        public uint InitialSequence { get { return _iss; } }

        /// <summary>Largest initial window a COMMAND may give (SPEC.md section 5.1).</summary>
        public const long MaxInitialWindow = Atcp.Wire.Atcp.AtcpCommand.MaxInitialWindow;

        /// <summary>Starts a stream of total bytes at sequence iss. window is the client's raw window
        /// field, shifted by windowScale (RFC 7323). rttHintMs is the front-end's smoothed RTT, or 0.
        /// initialWindow is the connection's congestion window when this reply continues it (bytes, 0:
        /// none): the window starts there, at most <see cref="MaxInitialWindow"/>, never below RFC
        /// 3390's.</summary>
        public void Start(ISegmentPlanner planner, uint iss, long total, int mss, ushort window, int windowScale,
            int rttHintMs, long now, long initialWindow = 0)
        {
            _planner = planner;
            _iss = iss;
            _total = total;
            _mss = mss < 1 ? 536 : mss;
            _windowScale = windowScale > 14 ? 14 : (windowScale < 0 ? 0 : windowScale); // RFC 7323 2.3
            _window = (long)window << _windowScale;
            _una = 0; _nxt = 0; _max = 0;
            // RFC 3390 initial window.
            long iw = 4380; if (iw > 4L * _mss) iw = 4L * _mss; if (iw < 2L * _mss) iw = 2L * _mss;
            if (initialWindow > iw) iw = initialWindow < MaxInitialWindow ? initialWindow : MaxInitialWindow;
            _cwnd = iw;
            _ssthresh = long.MaxValue;
            _inRecovery = false; _recover = 0; _highRetransmitted = 0;
            _dupAcks = 0; _fastRetransmitPending = false; _limitedTransmit = 0;
            _sacks.Clear();
            if (rttHintMs > 0) { _srtt = rttHintMs; _rttvar = rttHintMs / 2; _rto = ClampRto(_srtt + Max(1, 4 * _rttvar)); }
            else { _srtt = -1; _rttvar = 0; _rto = InitialRtoMs; }
            _timing = false;
            _rtoDeadline = long.MaxValue;
            _consecutiveTimeouts = 0;
            _persistDeadline = long.MaxValue; _persistBackoff = 0; _probePending = false;
            _probeDeadline = long.MaxValue; _tailProbePending = false; TailProbes = 0;
            RetransmittedSegments = 0; Timeouts = 0; FastRetransmits = 0; WindowProbes = 0;
            State = total == 0 ? SenderState.Finished : SenderState.Sending;
            ArmPersistIfNeeded(now);
        }

        /// <summary>Frees the slot.</summary>
        public void Reset() { State = SenderState.Idle; _planner = null; }

        /// <summary>Marks the stream failed (ABORT from the front-end, medium error).</summary>
        public void Fail()
        {
            State = SenderState.Failed;
            _rtoDeadline = long.MaxValue; _persistDeadline = long.MaxValue; _probeDeadline = long.MaxValue;
        }

        /// <summary>Lowers the MSS after a relayed ICMP fragmentation-needed (RFC 1191). Data in
        /// flight is resent in smaller segments on the next loss; new segments use the new size.</summary>
        public void SetMss(int mss)
        {
            if (mss >= 64 && mss < _mss) { _mss = mss; if (_cwnd < _mss) _cwnd = _mss; }
        }

        /// <summary>Converts a client sequence number to a stream offset near the acknowledged point.</summary>
        public long OffsetOf(uint sequence)
        {
            return _una + (int)(sequence - (uint)(_iss + (ulong)_una));
        }

        /// <summary>Takes a relayed client ACK: the acknowledgement number, the raw window field, and
        /// sackCount SACK blocks as sequence numbers. Returns what it meant.</summary>
        public AckOutcome OnAck(uint ack, ushort rawWindow, uint[] sackLeft, uint[] sackRight, int sackCount, long now)
        {
            if (State != SenderState.Sending) return AckOutcome.NotSending;
            long ackOffset = OffsetOf(ack);
            if (ackOffset > _max) return AckOutcome.BeyondSent;
            if (ackOffset < _una) return AckOutcome.Old;

            long newWindow = (long)rawWindow << _windowScale;
            bool windowChanged = newWindow != _window;
            _window = newWindow;

            bool newSack = false;
            for (int i = 0; i < sackCount; i++)
            {
                long l = OffsetOf(sackLeft[i]), r = OffsetOf(sackRight[i]);
                // RFC 2018: blocks must lie above the cumulative ACK and within what was sent.
                if (l >= ackOffset && r <= _max && l < r && _sacks.Add(l, r)) newSack = true;
            }

            AckOutcome outcome;
            if (ackOffset > _una) { OnNewAck(ackOffset, now); outcome = AckOutcome.NewData; }
            // RFC 5681 section 2 "duplicate" (same window), or RFC 6675 section 2: an ACK at SND.UNA
            // that SACKs octets not SACKed before is a duplicate whatever its window says. Linux
            // receivers open their window on nearly every ACK while autotuning, so the window test
            // alone would hide every loss until the RTO.
            else if (_max > _una && _window > 0 && (!windowChanged || newSack))
            {
                OnDuplicateAck();
                outcome = AckOutcome.Duplicate;
            }
            else outcome = AckOutcome.Update;
            // RFC 6675 section 5 step (C)/IsLost: enough SACKed bytes above SND.UNA mean the first
            // hole is lost even when duplicate ACKs were coalesced or lost on their way here.
            long lostThreshold = (DupAckThreshold - 1) * (long)_mss;
            if (!_inRecovery && _una >= _recover && _una < _max && _sacks.SackedBytesAbove(_una) > lostThreshold)
                EnterRecovery();
            else if (_inRecovery)
            {
                DetectLostRetransmission(now);
                if (newSack) ArmProbe(now);
            }

            if (_una >= _total)
            {
                State = SenderState.Finished;
                _rtoDeadline = long.MaxValue; _persistDeadline = long.MaxValue; _probeDeadline = long.MaxValue;
            }
            else ArmPersistIfNeeded(now);
            return outcome;
        }

        void OnNewAck(long ackOffset, long now)
        {
            long acked = ackOffset - _una;
            _una = ackOffset;
            if (_nxt < _una) _nxt = _una;
            _sacks.AdvanceTo(_una);
            _consecutiveTimeouts = 0;
            _probePending = false;
            _limitedTransmit = 0;

            if (_timing && ackOffset >= _timedEnd) { SampleRtt((int)(now - _timedAt)); _timing = false; }

            if (_inRecovery)
            {
                if (ackOffset >= _recover)
                {
                    // Full ACK (RFC 6582 3.2 step 3, option 2): cwnd = ssthresh. Option 1 (flight + MSS)
                    // leaves one segment when the full ACK covers everything, and a lone segment waits
                    // for the client's delayed ACK (40 ms on Linux) every time.
                    _cwnd = _ssthresh;
                    _inRecovery = false;
                    _dupAcks = 0;
                }
                else
                {
                    // Partial ACK (step 4): resend the next hole, deflate by what was acked.
                    _cwnd -= acked; if (_cwnd < _mss) _cwnd = _mss;
                    _cwnd += _mss;
                    if (_highRetransmitted < _una) _highRetransmitted = _una;
                    // NewReno resends the segment at the new SND.UNA; with SACK the hole loop in
                    // NextSegment does, unless that hole was already resent in this recovery.
                    if (_sacks.Count == 0 || NextHole(_una) >= _highRetransmitted) _fastRetransmitPending = true;
                }
            }
            else
            {
                _dupAcks = 0;
                // Appropriate byte counting (RFC 3465): ACKs relayed by the front-end are coalesced on
                // purpose, so growth follows bytes acknowledged rather than ACKs counted.
                if (_cwnd < _ssthresh) _cwnd += acked;
                else _cwnd += Max(1, (int)((long)_mss * acked / _cwnd));
            }

            // RFC 6298 5.2/5.3: stop the timer when all is acknowledged, else restart it.
            _rtoDeadline = _una >= _max ? long.MaxValue : now + _rto;
            _tailProbePending = false;
            ArmProbe(now);
        }

        void OnDuplicateAck()
        {
            if (_inRecovery) { _cwnd += _mss; return; } // RFC 6582 3.2 step 3 inflation
            _dupAcks++;
            // RFC 3042 limited transmit: a new segment on each of the first two duplicates keeps
            // the ACK clock going when the window is small (few segments, few duplicates).
            if (_dupAcks < DupAckThreshold) _limitedTransmit = _dupAcks;
            // RFC 6582 3.2 step 2: only enter recovery when the ACK covers more than the last
            // recovery point, so one loss episode gives one window reduction.
            if (_dupAcks >= DupAckThreshold && _una >= _recover) EnterRecovery();
        }

        /// <summary>The earliest time <see cref="OnTimer"/> has work, or long.MaxValue.</summary>
        public long NextDeadline
        {
            get
            {
                long next = _rtoDeadline < _persistDeadline ? _rtoDeadline : _persistDeadline;
                return _probeDeadline < next ? _probeDeadline : next;
            }
        }

        /// <summary>Runs expired timers: RTO (go back to the first unacknowledged byte with a one-segment
        /// window, RFC 5681 3.1 and RFC 6298 5.4-5.7) and the zero-window persist timer.</summary>
        public void OnTimer(long now)
        {
            if (State != SenderState.Sending) return;
            // With a zero window the persist timer, not the RTO, resends (RFC 9293 3.8.6.1).
            if (now >= _rtoDeadline && _max > _una && _window > 0)
            {
                Timeouts++;
                _consecutiveTimeouts++;
                if (_consecutiveTimeouts > MaxConsecutiveTimeouts) { Fail(); return; }
                long flight = _max - _una;
                _ssthresh = Max2(flight / 2, 2L * _mss);
                _cwnd = _mss;
                _nxt = _una;
                _inRecovery = false;
                _recover = _max;
                _dupAcks = 0;
                _limitedTransmit = 0;
                _fastRetransmitPending = false;
                // RFC 6675 section 5.1 lets the sender keep SACK information across an RTO (as Linux
                // does): go-back-N then skips what the client holds. A second expiry in a row may
                // mean the receiver reneged (RFC 2018 section 8): forget it all then.
                if (_consecutiveTimeouts > 1) _sacks.Clear();
                _timing = false; // Karn: never time a retransmitted segment
                _rto = ClampRto(_rto * 2);
                _rtoDeadline = now + _rto;
                _probeDeadline = long.MaxValue; _tailProbePending = false;
            }
            if (now >= _probeDeadline) OnProbeTimer();
            if (now >= _persistDeadline)
            {
                _probePending = true;
                _persistDeadline = long.MaxValue;
            }
        }

        /// <summary>Decides the next segment to send now, and records it as sent. Returns false when
        /// nothing may be sent (window full, all sent, or not sending).</summary>
        public bool NextSegment(long now, out long offset, out int length, out bool retransmission)
        {
            offset = 0; length = 0; retransmission = false;
            if (State != SenderState.Sending) return false;

            if (_tailProbePending && _window > 0) return SendTailProbe(now, out offset, out length, out retransmission);

            if (_fastRetransmitPending)
            {
                _fastRetransmitPending = false;
                long start = _una;
                if (_inRecovery) { start = NextHole(_una); if (start < 0) start = _una; }
                return Emit(start, HoleLength(start), true, now, out offset, out length, out retransmission);
            }

            if (_inRecovery && _sacks.Count > 0 && Pipe() < _cwnd)
            {
                long hole = NextHole(_highRetransmitted > _una ? _highRetransmitted : _una);
                if (hole >= 0)
                    return Emit(hole, HoleLength(hole), true, now, out offset, out length, out retransmission);
            }

            if (_probePending && _window == 0)
            {
                _probePending = false;
                WindowProbes++;
                // One byte beyond the window (RFC 9293 3.8.6.1); it is resent by the persist timer,
                // not by the RTO, so it does not count as a loss.
                long probeAt = _una;
                bool isRetx = probeAt < _max;
                offset = probeAt; length = 1; retransmission = isRetx;
                if (probeAt + 1 > _max) _max = probeAt + 1;
                if (_nxt < probeAt + 1) _nxt = probeAt + 1;
                _persistBackoff = _persistBackoff < 6 ? _persistBackoff + 1 : 6;
                _persistDeadline = now + ClampRto(_rto << _persistBackoff);
                return true;
            }

            // Going back after an RTO: skip ranges the client reported holding (RFC 6675 5.1).
            while (_nxt < _max && _sacks.Count > 0)
            {
                long held = _sacks.NextSackedAtOrAbove(_nxt);
                if (held != _nxt) break;
                _nxt = SackedRunEnd(_nxt);
            }
            if (_nxt >= _total) return false;
            long inFlight = _nxt - _una;
            long allowed = _cwnd + _limitedTransmit * (long)_mss;
            long limit = allowed < _window ? allowed : _window;
            long usable = limit - inFlight;
            long remaining = _total - _nxt;
            long want = remaining < _mss ? remaining : _mss;
            if (_nxt < _max && _sacks.Count > 0)
            {
                long nextHeld = _sacks.NextSackedAtOrAbove(_nxt);
                if (nextHeld > _nxt && nextHeld - _nxt < want) want = nextHeld - _nxt;
            }
            if (usable < want)
            {
                // Sender-side silly window avoidance (RFC 9293 3.8.6.2.1): only a small segment when
                // the client's window, not the congestion window, is the limit and nothing is in flight.
                if (usable <= 0 || inFlight > 0 || _window >= _cwnd) return false;
                want = usable;
            }
            bool retx = _nxt < _max;
            return Emit(_nxt, (int)want, retx, now, out offset, out length, out retransmission);
        }

        bool Emit(long start, int maxLen, bool retx, long now, out long offset, out int length, out bool retransmission)
        {
            int len = maxLen;
            if (len > _mss) len = _mss;
            if (start + len > _total) len = (int)(_total - start);
            if (len <= 0) { offset = 0; length = 0; retransmission = false; return false; }
            len = _planner.PayloadLength(start, len);
            if (len <= 0) len = 1;
            long end = start + len;
            offset = start; length = len; retransmission = retx;
            if (retx)
            {
                RetransmittedSegments++;
                _lastRetransmitAt = now;
                _lastRetransmitMark = _max;
                if (_timing && start < _timedEnd) _timing = false; // Karn
                if (_inRecovery && end > _highRetransmitted) _highRetransmitted = end;
            }
            else
            {
                if (!_timing) { _timing = true; _timedEnd = end; _timedAt = now; }
                if (end > _max) { _max = end; ArmProbe(now); }
            }
            if (end > _nxt) _nxt = end;
            if (end > _max) _max = end;
            if (_rtoDeadline == long.MaxValue) _rtoDeadline = now + _rto;
            return true;
        }

        void SampleRtt(int r)
        {
            if (r < 0) r = 0;
            if (_srtt < 0) { _srtt = r; _rttvar = r / 2; }          // RFC 6298 2.2
            else
            {
                int delta = _srtt > r ? _srtt - r : r - _srtt;      // RFC 6298 2.3, beta 1/4, alpha 1/8
                _rttvar = (3 * _rttvar + delta) / 4;
                _srtt = (7 * _srtt + r) / 8;
            }
            _rto = ClampRto(_srtt + Max(1, 4 * _rttvar));
        }

        void ArmPersistIfNeeded(long now)
        {
            if (State != SenderState.Sending) return;
            if (_window == 0)
            {
                if (_persistDeadline == long.MaxValue && !_probePending)
                    _persistDeadline = now + ClampRto(_rto << _persistBackoff);
                return;
            }
            _persistDeadline = long.MaxValue; _persistBackoff = 0; _probePending = false;
            // A probe byte may be outstanding when the window opens: the RTO covers it from now on.
            if (_max > _una && _rtoDeadline == long.MaxValue) _rtoDeadline = now + _rto;
        }

        static int ClampRto(int ms) { return ms < MinRtoMs ? MinRtoMs : (ms > MaxRtoMs || ms < 0 ? MaxRtoMs : ms); }
        static int Max(int a, int b) { return a > b ? a : b; }
        static long Max2(long a, long b) { return a > b ? a : b; }
    }
}
