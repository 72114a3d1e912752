namespace Atcp.Firmware.Tcp
{
    // Loss recovery: entering fast recovery, lost retransmissions, the tail loss probe (RFC 8985
    // sections 6.2 and 7) and the SACK holes (RFC 6675).
    public sealed partial class TcpSender
    {
        /// <summary>Shortest probe timeout (RFC 8985 7.2 uses 2 x SRTT; LAN RTTs are ~1 ms).</summary>
        public const int MinProbeTimeoutMs = 10;
        /// <summary>What a client may delay the ACK of a lone segment (Linux: 40 ms; RFC 9293 allows
        /// up to 500 ms, RFC 8985 assumes 200 ms): added to the probe timeout when one segment is out.</summary>
        public const int DelayedAckAllowanceMs = 50;

        long _probeDeadline;    // tail loss probe timer, long.MaxValue when off
        bool _tailProbePending;
        long _lastRetransmitAt; // when the latest retransmission went out
        long _lastRetransmitMark; // highest offset sent at that moment

        /// <summary>Retransmissions found lost and sent again without waiting for the RTO.</summary>
        public int LostRetransmissions { get; private set; }

        /// <summary>Tail loss probes sent.</summary>
        public int TailProbes { get; private set; }

        void EnterRecovery()
        {
            long flight = _max - _una;
            _ssthresh = Max2(flight / 2, 2L * _mss);
            _cwnd = _ssthresh + DupAckThreshold * (long)_mss;
            _recover = _max;
            _inRecovery = true;
            _highRetransmitted = _una;
            _fastRetransmitPending = true;
            _limitedTransmit = 0;
            FastRetransmits++;
        }

        // In recovery, the hole at SND.UNA was already resent (it lies below HighRxt) at or before the
        // latest retransmission; once the client SACKs data first sent after that retransmission, the
        // retransmission should have arrived before it (RFC 8985 6.2: a segment is lost when a later
        // one was delivered and a reordering window passed). Resend it now instead of waiting for
        // the RTO: at 2% loss, one recovery in fifty loses its retransmission.
        void DetectLostRetransmission(long now)
        {
            if (_fastRetransmitPending || _una >= _highRetransmitted || _sacks.HighestEnd <= _lastRetransmitMark) return;
            int reorderingWindow = _srtt > 4 ? _srtt / 4 : 1;
            if (now - _lastRetransmitAt < reorderingWindow) return;
            LostRetransmissions++;
            _fastRetransmitPending = true;
        }

        // RFC 8985 7.2: a probe timeout well under the RTO, armed while data is outstanding (and, in
        // recovery, re-armed by new SACK information). Without it a loss in the last segments of a
        // flight, or the loss of the last ACK (the relay drops frames too), can only be repaired by
        // the RTO (>= 200 ms).
        void ArmProbe(long now)
        {
            if (State != SenderState.Sending || _max <= _una || _srtt < 0) { _probeDeadline = long.MaxValue; return; }
            long pto = 2L * _srtt;
            if (pto < MinProbeTimeoutMs) pto = MinProbeTimeoutMs;
            // A lone segment may wait for the client's delayed ACK: a probe that only resends it
            // would be spurious then, so wait that out too (RFC 8985 7.2). A probe of new data is
            // never wasted, and the second segment makes the client ACK at once (RFC 5681 4.2).
            bool newDataProbe = _nxt == _max && _max < _total && _max - _una + _mss <= _window;
            if (_max - _una <= _mss && !newDataProbe)
            {
                long lone = _srtt + _srtt / 2 + DelayedAckAllowanceMs;
                if (lone > pto) pto = lone;
            }
            _probeDeadline = pto < _rto ? now + pto : long.MaxValue;
        }

        void OnProbeTimer()
        {
            _probeDeadline = long.MaxValue;
            if (_max <= _una) return;
            if (_inRecovery)
            {
                // Recovery went quiet for a probe timeout: the retransmission at SND.UNA, or the ACK
                // it caused, was lost (nothing sent after it can tell us). Sending it again either
                // repairs the hole or draws the ACK that ends recovery; the RTO would cost >= 200 ms.
                if (_una < _highRetransmitted) LostRetransmissions++;
                _fastRetransmitPending = true;
                return;
            }
            // Data SACKed above a hole that stayed unacknowledged for a probe timeout: the hole is
            // lost (the time-based rule of RFC 8985 6.2, here with the PTO as reordering window).
            if (_sacks.Count > 0 && _una >= _recover) { EnterRecovery(); return; }
            _tailProbePending = true;
        }

        // RFC 8985 7.3: one new segment if the client's window allows, else the last segment again;
        // either way the client answers with an ACK (and SACK blocks) that starts recovery if needed.
        bool SendTailProbe(long now, out long offset, out int length, out bool retransmission)
        {
            _tailProbePending = false;
            TailProbes++;
            long inFlight = _nxt - _una;
            if (_nxt == _max && _nxt < _total && inFlight + _mss <= _window)
            {
                long remaining = _total - _nxt;
                return Emit(_nxt, remaining < _mss ? (int)remaining : _mss, false, now, out offset, out length, out retransmission);
            }
            long start = _max - _mss;
            if (start < _una) start = _una;
            return Emit(start, (int)(_max - start), true, now, out offset, out length, out retransmission);
        }

        // First byte at or above from that is neither acknowledged nor SACKed, below the highest
        // SACKed byte (RFC 6675 "holes"); -1 when there is none.
        long NextHole(long from)
        {
            long high = _sacks.HighestEnd;
            long p = from < _una ? _una : from;
            for (int i = 0; i < _sacks.Count && p < high; i++)
            {
                if (_sacks.EndAt(i) <= p) continue;
                if (_sacks.StartAt(i) > p) return p;
                p = _sacks.EndAt(i);
            }
            return p < high ? p : -1;
        }

        // End of the SACKed range that holds offset.
        long SackedRunEnd(long offset)
        {
            for (int i = 0; i < _sacks.Count; i++)
                if (_sacks.StartAt(i) <= offset && offset < _sacks.EndAt(i)) return _sacks.EndAt(i);
            return offset;
        }

        int HoleLength(long start)
        {
            long next = _sacks.NextSackedAtOrAbove(start);
            long end = next > start ? next : start + _mss;
            long len = end - start;
            if (len > _mss) len = _mss;
            return (int)len;
        }

        // Bytes believed in the network: outstanding minus SACKed (a simplified RFC 6675 pipe).
        long Pipe() { return (_max - _una) - _sacks.SackedBytesAbove(_una); }
    }
}
