using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

// The timers: retransmission (RFC 6298), zero-window probes (persist), SYN-ACK retries, TIME-WAIT,
// delayed ACKs, idle and slow-request timeouts.
public sealed partial class TcpConnection
{
    void ArmPersist(long now)
    {
        if (PersistDeadline == long.MaxValue && OwnInFlight() == 0 && !DelegationOutstanding())
            PersistDeadline = now + _rto.RtoMs;
    }

    // Zero-window probe (RFC 9293 3.8.6.1): one new byte past the window; the retransmission timer
    // then repeats it with backoff until the client's window opens.
    void SendWindowProbe(long now)
    {
        PersistDeadline = long.MaxValue;
        foreach (var item in _items)
        {
            if (!item.IsOwn || item.SentEnd >= item.End) continue;
            long offset = item.SentEnd;
            SendSegment(offset, item.Data.AsSpan((int)(offset - item.Start), 1), TcpFlags.Ack);
            item.SentEnd++;
            _knownEnd = Math.Max(_knownEnd, item.SentEnd);
            if (RtoDeadline == long.MaxValue) RtoDeadline = now + _rto.RtoMs;
            return;
        }
    }

    void OnRetransmissionTimeout(long now)
    {
        RtoDeadline = long.MaxValue;
        if (!OwnOrFinOutstanding()) return;
        // The client acknowledges in order: while the oldest unacknowledged byte is a board's, our
        // later bytes cannot be acknowledged yet, and the board retransmits its own.
        if (!OwnSentAt(_sndUna))
        {
            RtoDeadline = now + _rto.RtoMs;
            return;
        }
        if (++_retransmissions > _options.MaxRetransmissions)
        {
            _counters.Increment(NetCounter.TcpRetransmissionGiveUps);
            Terminate(CloseReason.RetransmissionTimeout, true, now);
            return;
        }
        int mss = SendMss;
        _ssthresh = Math.Max(OwnInFlight() / 2, 2L * mss); // RFC 5681 equation 4
        _cwnd = mss;                                       // loss window, RFC 5681 3.1
        _timing = false;                                   // Karn: no sample from a retransmission
        _rto.Backoff();                                    // RFC 6298 5.5
        _recover = _finSent ? _finOffset + 1 : _knownEnd;
        RetransmitAt(_sndUna);
        RtoDeadline = now + _rto.RtoMs;
    }

    /// <summary>Runs the connection's timers (called by <see cref="TcpServer.Poll"/>).</summary>
    internal void OnTimer(long now)
    {
        switch (State)
        {
            case TcpState.Closed:
                return;
            case TcpState.SynReceived:
                if (now < RtoDeadline) return;
                if (_synAckRetransmissions >= _options.SynAckRetries)
                {
                    _counters.Increment(NetCounter.TcpSynAckTimeouts);
                    Terminate(CloseReason.HandshakeTimeout, false, now);
                    return;
                }
                _synAckRetransmissions++;
                _rto.Backoff();
                SendSynAck();
                RtoDeadline = now + _rto.RtoMs;
                return;
            case TcpState.TimeWait:
                if (now >= TimeWaitDeadline) SetState(TcpState.Closed, now, CloseReason.Normal);
                Flush(now);
                return;
        }
        if (now >= RtoDeadline) OnRetransmissionTimeout(now);
        if (State != TcpState.Closed && now >= PersistDeadline) SendWindowProbe(now);
        if (State != TcpState.Closed && now >= DelayedAckDeadline) _ackNow = true;
        if (State != TcpState.Closed) CheckTimeouts(now);
        if (State != TcpState.Closed) Output(now);
        Flush(now);
    }

    void CheckTimeouts(long now)
    {
        if (_options.IdleTimeoutMs > 0 && now - LastReceiveAt >= _options.IdleTimeoutMs)
        {
            _counters.Increment(NetCounter.TcpIdleTimeouts);
            bool quiet = _rx.Count == 0 && !DelegationOutstanding() && !OwnOrFinOutstanding() && !HasOpenDelegatedReply;
            if (State is TcpState.Established or TcpState.CloseWait && quiet && _options.IdleAction == TimeoutAction.Close && !_closeRequested)
            {
                LastReceiveAt = now; // the close gets one more idle period to finish
                _gracefulReason = CloseReason.IdleTimeout;
                _closeRequested = true;
            }
            else Terminate(CloseReason.IdleTimeout, true, now);
            return;
        }
        if (_options.SlowRequestTimeoutMs > 0 && RequestStartedAt >= 0 && now - RequestStartedAt >= _options.SlowRequestTimeoutMs)
        {
            _counters.Increment(NetCounter.TcpSlowRequestTimeouts);
            RequestStartedAt = -1;
            if (_options.SlowRequestAction == TimeoutAction.Close && !_closeRequested)
            {
                _gracefulReason = CloseReason.SlowRequest;
                _closeRequested = true;
                _rx.Consume(_rx.Count);
            }
            else Terminate(CloseReason.SlowRequest, true, now);
        }
    }

    /// <summary>The earliest time <see cref="OnTimer"/> has something to do.</summary>
    internal long NextDeadline()
    {
        if (State == TcpState.Closed) return long.MaxValue;
        if (State == TcpState.TimeWait) return TimeWaitDeadline;
        long t = Math.Min(RtoDeadline, Math.Min(PersistDeadline, DelayedAckDeadline));
        if (State == TcpState.SynReceived) return RtoDeadline;
        if (_options.IdleTimeoutMs > 0) t = Math.Min(t, LastReceiveAt + _options.IdleTimeoutMs);
        if (_options.SlowRequestTimeoutMs > 0 && RequestStartedAt >= 0) t = Math.Min(t, RequestStartedAt + _options.SlowRequestTimeoutMs);
        return t;
    }
}
