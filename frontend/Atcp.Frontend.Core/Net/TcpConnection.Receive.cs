using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

// The segment arrival path: RFC 9293 section 3.10.7.4 in its order (sequence check, RST, SYN, ACK,
// text, FIN), with RFC 5961 hardening and the ATCP rules for ACKs.
public sealed partial class TcpConnection
{
    bool _peerFinReceived;       // the client's FIN is in order and counted in rcv_nxt
    long _peerFinOffset = -1;    // where an out-of-order FIN sits, until the bytes before it arrive
    int _segmentsSinceAck;       // in-order data segments not yet acknowledged (ACK every second, RFC 5681 4.2)
    bool _ackNow;
    long _challengeWindowStart;
    int _challengesInWindow;

    /// <summary>rcv_nxt as an offset: the next byte expected from the client (its FIN counts one).</summary>
    long ReceiveNextOffset => _rx.NextOffset + (_peerFinReceived ? 1 : 0);

    /// <summary>rcv_nxt: the ACK number boards must put in their segments now.</summary>
    public uint ReceiveNext => unchecked(_irs + (uint)ReceiveNextOffset);

    /// <summary>True once the client's FIN arrived in order.</summary>
    public bool PeerClosed => _peerFinReceived;

    long ReceiveOffsetOf(uint sequence) => ReceiveNextOffset + unchecked((int)(sequence - ReceiveNext));

    /// <summary>Processes one segment for this connection (checksum already verified).</summary>
    internal void OnSegment(TcpRepr segment, ReadOnlySpan<byte> payload, long now)
    {
        Receive(segment, payload, now);
        if (State != TcpState.Closed) Output(now);
        Flush(now);
    }

    void Receive(TcpRepr segment, ReadOnlySpan<byte> payload, long now)
    {
        byte flags = segment.Flags;
        bool syn = (flags & TcpFlags.Syn) != 0, fin = (flags & TcpFlags.Fin) != 0;
        bool rst = (flags & TcpFlags.Rst) != 0, ack = (flags & TcpFlags.Ack) != 0;

        // A retransmitted SYN while our SYN-ACK is unanswered: send the SYN-ACK again.
        if (State == TcpState.SynReceived && syn && !ack && !rst)
        {
            if (segment.SequenceNumber == _irs) SendSynAck();
            else SendChallengeAck(now);
            return;
        }

        // 1. Sequence check (RFC 9293 3.10.7.4, the four cases).
        long segmentOffset = ReceiveOffsetOf(segment.SequenceNumber);
        int segmentLength = payload.Length + (syn ? 1 : 0) + (fin ? 1 : 0);
        int dataLength = payload.Length; // kept when the text is refused: data means "not a duplicate ACK"
        if (State == TcpState.TimeWait && fin && !rst && !syn && segmentOffset + segmentLength == ReceiveNextOffset)
        {
            // The client's FIN again (our last ACK was lost): ACK it and restart 2 MSL (RFC 9293 3.10.7.4 step 8).
            TimeWaitDeadline = now + _options.TimeWaitMs;
            SendPureAck();
            return;
        }
        if (!Acceptable(segmentOffset, segmentLength))
        {
            if (!syn && !rst && segmentOffset == ReceiveNextOffset && ReceiveWindowForCheck() == 0)
            {
                // RFC 9293 3.10.7.4: with our window at zero no text is acceptable, but the ACK of
                // a segment at rcv_nxt still counts: a client may piggyback its ACKs of a board's
                // bytes on a pipelined request we have no room for.
                payload = default;
                fin = false;
                _ackNow = true;
            }
            else
            {
                _counters.Increment(NetCounter.TcpOutOfWindow);
                if (!rst) SendChallengeAck(now);
                return;
            }
        }
        LastReceiveAt = now;

        // 2. RST (RFC 5961 section 3: only an exact rcv_nxt resets; in-window others get a challenge ACK).
        if (rst)
        {
            if (segmentOffset != ReceiveNextOffset)
            {
                _counters.Increment(NetCounter.TcpResetsIgnored);
                SendChallengeAck(now);
                return;
            }
            _counters.Increment(NetCounter.TcpResetsAccepted);
            // SYN-RECEIVED from a passive open goes back to LISTEN: for us, the TCB just disappears.
            Terminate(CloseReason.ResetByClient, false, now);
            return;
        }

        // 4. SYN in a synchronized state (RFC 5961 section 4): challenge ACK, never a reset.
        if (syn)
        {
            SendChallengeAck(now);
            return;
        }

        // 5. ACK.
        if (!ack)
        {
            _counters.Increment(NetCounter.TcpNoAckBit);
            return;
        }
        if (State == TcpState.SynReceived)
        {
            if (SendOffsetOf(segment.AcknowledgmentNumber) != 1)
            {
                // RFC 9293: an unacceptable ACK in SYN-RECEIVED gets <SEQ=SEG.ACK><CTL=RST>.
                _server.SendReset(ClientAddress, ClientPort, LocalPort, segment.AcknowledgmentNumber, 0, false);
                return;
            }
            if (_synAckRetransmissions == 0 && _synAckSentAt >= 0) _rto.Sample((int)(now - _synAckSentAt)); // Karn: not after a retransmission
            RtoDeadline = long.MaxValue;
            _rto.Restore();
            _sndUna = 1;
            _sndWl1 = segment.SequenceNumber;
            _sndWl2 = 1;
            UpdateWindow(segment.Window, 1);
            SetState(TcpState.Established, now);
        }
        else if (State == TcpState.TimeWait)
        {
            // Only the client's FIN, retransmitted, matters here (step 8).
        }
        else
        {
            AckVerdict verdict = ClassifyAck(segment.AcknowledgmentNumber, out long ackOffset);
            switch (verdict)
            {
                case AckVerdict.TooOld:
                    _counters.Increment(NetCounter.TcpAckTooOld);
                    SendChallengeAck(now);
                    return;
                case AckVerdict.Beyond:
                    // Seed Fig. 9 step 126: an ACK for bytes nobody has sent is discarded and counted.
                    // RFC 9293 would answer it with an ACK; we stay silent so a confused client and
                    // the boards' segments cannot start an ACK exchange.
                    _counters.Increment(NetCounter.TcpAckBeyondSent);
                    return;
                case AckVerdict.Hold:
                    HoldAck(segment, dataLength, fin);
                    break;
                case AckVerdict.Accept:
                    ProcessAck(segment.SequenceNumber, ackOffset, segment.Window, segment, dataLength, fin, false, now);
                    break;
                case AckVerdict.Old:
                    break;
            }
            if (State is TcpState.Closed or TcpState.TimeWait) return;
        }

        // 7. Segment text.
        if (payload.Length > 0) ReceiveText(segmentOffset, payload, now);

        // 8. FIN.
        if (fin)
        {
            long finAt = segmentOffset + payload.Length;
            // A FIN counts only when its segment fitted the window: trimming the tail drops the FIN too.
            bool fitted = finAt <= _rx.NextOffset + _rx.Window;
            if (!_peerFinReceived && fitted && finAt >= _rx.NextOffset) _peerFinOffset = finAt;
        }
        if (!_peerFinReceived && _peerFinOffset >= 0)
        {
            if (_peerFinOffset == _rx.NextOffset) AcceptPeerFin(now);
            else _ackNow = true; // out-of-order FIN: the ACK tells the client what is missing
        }
    }

    bool Acceptable(long offset, int length)
    {
        long next = ReceiveNextOffset;
        long window = ReceiveWindowForCheck();
        if (length == 0)
        {
            if (window == 0) return offset == next;
            return offset >= next && offset < next + window;
        }
        if (window == 0) return false;
        long last = offset + length - 1;
        return (offset >= next && offset < next + window) || (last >= next && last < next + window);
    }

    // The window a segment is checked against: what we advertised (the right edge never shrinks,
    // so segments the client sent into an older, larger advertisement still pass), at least 1 so a
    // client probing a full buffer still gets its ACK processed.
    long ReceiveWindowForCheck()
    {
        long next = ReceiveNextOffset;
        long edge = Math.Max(_advertisedEdge, _rx.NextOffset + _rx.Window);
        return Math.Max(edge - next, State == TcpState.SynReceived ? _rx.Window : 0);
    }

    void ReceiveText(long offset, ReadOnlySpan<byte> payload, long now)
    {
        if (_peerFinReceived || State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2))
            return; // RFC 9293 step 7: after the client's FIN no text can be valid; ignore it
        int advanced = _rx.Write(offset, payload, out int duplicate, out bool refused);
        if (duplicate > 0) _counters.Add(NetCounter.TcpDuplicateBytes, duplicate);
        if (refused) _counters.Increment(NetCounter.TcpReassemblyOverflow);
        bool inOrder = offset <= _rx.NextOffset - advanced && advanced > 0;
        if (advanced > 0 && inOrder && _rx.RangeCount == 0 && duplicate == 0)
        {
            // RFC 5681 section 4.2: ACK at least every second full-sized segment; otherwise delay.
            _segmentsSinceAck++;
            if (_segmentsSinceAck >= 2 || _options.DelayedAckMs == 0) _ackNow = true;
            else if (DelayedAckDeadline == long.MaxValue) DelayedAckDeadline = now + _options.DelayedAckMs;
        }
        else
        {
            // Out of order, filling a hole, or a duplicate: ACK now (RFC 5681 section 4.2, RFC 2018).
            _ackNow = true;
        }
        if (_closeRequested)
        {
            _rx.Consume(_rx.Count); // lingering close: acknowledged and discarded
            return;
        }
        if ((advanced > 0 || _rx.RangeCount > 0) && RequestStartedAt < 0) RequestStartedAt = now;
        if (advanced > 0) _notifyData = true;
    }

    void AcceptPeerFin(long now)
    {
        _peerFinReceived = true;
        _peerFinOffset = -1;
        _ackNow = true;
        RequestStartedAt = -1;
        switch (State)
        {
            case TcpState.Established:
                SetState(TcpState.CloseWait, now);
                break;
            case TcpState.FinWait1:
                // Our FIN is acknowledged only if we already left FIN-WAIT-1; otherwise simultaneous close.
                SetState(TcpState.Closing, now);
                break;
            case TcpState.FinWait2:
                SetState(TcpState.TimeWait, now);
                break;
        }
    }

    /// <summary>Sends an ACK for an unacceptable segment, RST or SYN (RFC 5961 challenge ACK),
    /// within a per-connection budget (RFC 5961 section 7; per connection, not global, because a
    /// global counter leaks state across connections, CVE-2016-5696).</summary>
    void SendChallengeAck(long now)
    {
        if (now - _challengeWindowStart >= 1000)
        {
            _challengeWindowStart = now;
            _challengesInWindow = 0;
        }
        if (_challengesInWindow >= _options.ChallengeAcksPerSecond)
        {
            _counters.Increment(NetCounter.TcpChallengeAcksSuppressed);
            return;
        }
        _challengesInWindow++;
        _counters.Increment(NetCounter.TcpChallengeAcks);
        if (State == TcpState.SynReceived) SendSynAck();
        else SendPureAck();
    }
}
