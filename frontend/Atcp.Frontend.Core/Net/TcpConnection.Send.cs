using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

// The sending path: front-end-made bytes (segmented by MSS, within the client's window and a
// congestion window; retransmission is in TcpConnection.Timers.cs), our FIN, pure ACKs, RSTs and
// the SYN-ACK.
public sealed partial class TcpConnection
{
    /// <summary>One piece of the send stream, in sequence order.</summary>
    sealed class StreamItem
    {
        public long Start;
        public long Length = -1;              // -1: a delegated range whose size is not known yet
        public IDelegatedReplyOwner? Owner;   // null: bytes the front-end made
        public byte[]? Data;                  // front-end bytes, Data[0] at Start
        public long SentEnd;                  // front-end bytes: first offset never sent
        public bool Completed;                // delegated: DONE, aborted or cancelled
        public bool IsOwn => Owner == null;
        public bool Sized => Length >= 0;
        public long End => Start + Math.Max(0, Length);
    }

    readonly List<StreamItem> _items = new();
    long _sndUna;          // oldest offset the client has not acknowledged
    long _streamEnd;       // end of everything queued: our bytes and sized delegated ranges
    long _knownEnd;        // highest end known sent: our bytes sent, sized delegated ranges
    uint _sndWl1;          // sequence of the segment that last updated the window (RFC 9293 SND.WL1)
    long _sndWl2;          // its ACK offset (SND.WL2)
    ushort _clientWindowField;
    long _clientWindow;    // bytes (scaled)
    long _rightEdge;       // ACK + window of the latest window update: we may send below it
    long _maxRightEdge;    // highest right edge ever offered: nobody (board or us) can send beyond
    long _maxClientWindow; // MAX.SND.WND of RFC 5961 section 5
    bool _closeRequested, _finSent;
    long _finOffset;
    CloseReason _gracefulReason = CloseReason.Normal;

    long _cwnd, _ssthresh = long.MaxValue;
    int _dupAcks;
    long _recover = -1;    // NewReno-style: after a timeout, partial ACKs below this resend at once
    bool _timing;
    long _timedEnd, _timedAt;
    int _retransmissions;
    long _synAckSentAt = -1;
    int _synAckRetransmissions;
    long _advertisedEdge;  // right edge of the receive window we last advertised (never moves left)

    uint SendSequenceOf(long offset) => unchecked(_iss + (uint)offset);
    long SendOffsetOf(uint sequence) => _sndUna + unchecked((int)(sequence - SendSequenceOf(_sndUna)));

    /// <summary>The oldest sequence number the client has not acknowledged (SND.UNA).</summary>
    public uint SendUnacknowledged => SendSequenceOf(_sndUna);
    /// <summary>Where the next reply starts (our bytes or a delegated range): the send point.</summary>
    public uint SendPoint => SendSequenceOf(_streamEnd);
    /// <summary>The client's window in bytes (scaled), as of its latest window update.</summary>
    public long ClientWindow => _clientWindow;
    /// <summary>The smoothed RTT the front-end measured, 0 when unknown.</summary>
    public int SmoothedRttMs => _rto.SmoothedRttMs;
    /// <summary>The current retransmission timeout for our own data.</summary>
    public int RetransmissionTimeoutMs => _rto.RtoMs;

    long InitialWindow()
    {
        // RFC 5681 section 3.1 (RFC 3390) initial window.
        long mss = SendMss;
        return Math.Min(4 * mss, Math.Max(2 * mss, 4380));
    }

    /// <summary>Queues front-end-made reply bytes after everything queued so far and sends what the
    /// windows allow. Returns the bytes accepted (fewer when the send buffer is full; 0 when the
    /// connection cannot send, or a delegated reply's size is still unknown: its end is where these
    /// bytes would start).</summary>
    public int Send(ReadOnlySpan<byte> data, long now)
    {
        _server.Touch(now);
        if (!CanSend || data.IsEmpty) return 0;
        long buffered = 0;
        foreach (var item in _items)
            if (item.IsOwn) buffered += item.End - Math.Max(item.Start, _sndUna);
        int n = (int)Math.Min(data.Length, Math.Max(0, _options.SendBufferBytes - buffered));
        if (n < data.Length) _counters.Increment(NetCounter.TcpSendBufferFull);
        if (n == 0) return 0;
        StreamItem? last = _items.Count > 0 ? _items[^1] : null;
        if (last is { IsOwn: true } && last.End == _streamEnd)
        {
            int used = (int)last.Length;
            if (last.Data!.Length < used + n) Array.Resize(ref last.Data, Math.Max(used + n, last.Data.Length * 2));
            data[..n].CopyTo(last.Data.AsSpan(used));
            last.Length += n;
        }
        else
        {
            var item = new StreamItem { Start = _streamEnd, Length = n, Data = data[..n].ToArray(), SentEnd = _streamEnd };
            _items.Add(item);
        }
        _streamEnd += n;
        TimersChanged(); // bytes of our own to send (TcpServer.AnySendingOwnBytes)
        RequestComplete(now); // a reply begins: the request it answers is complete
        Output(now);
        Flush(now);
        return n;
    }

    /// <summary>True when <see cref="Send"/> and <see cref="TryBeginDelegatedReply"/> can queue a reply now.</summary>
    public bool CanSend => State is TcpState.Established or TcpState.CloseWait && !_closeRequested && !HasUnsizedReply;

    /// <summary>Sends what can go now: our bytes, our FIN, and a pending ACK.</summary>
    void Output(long now)
    {
        if (State is TcpState.Closed or TcpState.SynReceived) return;
        if (State != TcpState.TimeWait)
        {
            SendOwnData(now);
            if (FinReady()) SendFin(now);
        }
        if (_ackNow) SendPureAck();
    }

    // Payload room in a data segment: the MSS counts no TCP options (RFC 9293 3.7.1, RFC 6691),
    // so SACK blocks we carry while holding out-of-order request bytes come out of the payload.
    int SegmentPayloadLimit()
    {
        int blocks = _sackPermitted ? Math.Min(_rx.RangeCount, TcpRepr.MaxSackBlocks) : 0;
        return SendMss - (blocks == 0 ? 0 : 4 + 8 * blocks);
    }

    void SendOwnData(long now)
    {
        int mss = SegmentPayloadLimit();
        for (int i = 0; i < _items.Count; i++)
        {
            StreamItem item = _items[i];
            if (!item.IsOwn) continue;
            while (item.SentEnd < item.End)
            {
                long offset = item.SentEnd;
                long remaining = item.End - offset;
                int length = (int)Math.Min(remaining, mss);
                long allowed = _rightEdge - offset;
                long inFlight = OwnInFlight();
                if (allowed < length)
                {
                    // Sender SWS avoidance (RFC 9293 3.8.6.2.1): a partial segment only when it is at
                    // least half the largest window seen, or nothing of ours is in flight to bring an ACK.
                    if (allowed <= 0 || (allowed < _maxClientWindow / 2 && inFlight > 0))
                    {
                        if (allowed <= 0) ArmPersist(now);
                        return;
                    }
                    length = (int)allowed;
                }
                if (inFlight > 0 && inFlight + length > _cwnd) return;
                bool itemDone = offset + length == item.End;
                bool fin = itemDone && i == _items.Count - 1 && FinAllowedAfter(i);
                byte flags = (byte)(TcpFlags.Ack | (itemDone ? TcpFlags.Psh : 0) | (fin ? TcpFlags.Fin : 0));
                SendSegment(offset, item.Data.AsSpan((int)(offset - item.Start), length), flags);
                item.SentEnd += length;
                _knownEnd = Math.Max(_knownEnd, item.SentEnd);
                PersistDeadline = long.MaxValue;
                if (!_timing) { _timing = true; _timedEnd = item.SentEnd; _timedAt = now; }
                if (RtoDeadline == long.MaxValue) RtoDeadline = now + _rto.RtoMs;
                if (fin) MarkFinSent(now);
            }
        }
    }

    long OwnInFlight()
    {
        long n = 0;
        foreach (var item in _items)
            if (item.IsOwn && item.SentEnd > Math.Max(item.Start, _sndUna)) n += item.SentEnd - Math.Max(item.Start, _sndUna);
        return n;
    }

    /// <summary>True while bytes the front-end made itself are unsent or unacknowledged: their ACKs
    /// clock our own sender, so they should not wait in the daemon's batching pause.</summary>
    internal bool SendingOwnBytes
    {
        get
        {
            foreach (var item in _items)
                if (item.IsOwn && item.End > _sndUna) return true;
            return false;
        }
    }

    bool OwnOrFinOutstanding() => OwnInFlight() > 0 || (_finSent && _sndUna <= _finOffset);

    // FIN may follow item index last once every earlier item is finished: our bytes sent, delegated
    // ranges sized and completed (the board reported DONE).
    bool FinAllowedAfter(int last)
    {
        if (!_closeRequested || _finSent || State is not (TcpState.Established or TcpState.CloseWait)) return false;
        for (int i = 0; i < last; i++)
        {
            StreamItem item = _items[i];
            if (item.IsOwn ? item.SentEnd < item.End : !(item.Sized && item.Completed)) return false;
        }
        return true;
    }

    bool FinReady()
    {
        if (!FinAllowedAfter(_items.Count)) return false;
        return true;
    }

    void SendFin(long now)
    {
        SendSegment(_streamEnd, default, TcpFlags.Ack | TcpFlags.Fin);
        MarkFinSent(now);
        if (RtoDeadline == long.MaxValue) RtoDeadline = now + _rto.RtoMs;
    }

    void MarkFinSent(long now)
    {
        _finSent = true;
        _finOffset = _streamEnd;
        if (RtoDeadline == long.MaxValue) RtoDeadline = now + _rto.RtoMs;
        if (State == TcpState.Established) SetState(TcpState.FinWait1, now);
        else if (State == TcpState.CloseWait) SetState(TcpState.LastAck, now);
    }

    /// <summary>The sequence number our pure ACKs and RSTs carry. A client accepts a zero-length
    /// segment only at its rcv_nxt or inside its window after it (RFC 9293 3.10.7.4). Without a
    /// board sending, that is SND.NXT as usual. While a board's range is unacknowledged we do not
    /// know the client's rcv_nxt: it lies between SND.UNA and what the board has sent so far. The end
    /// of the range (S + size) may be far beyond the client's window and get the ACK dropped;
    /// SND.UNA, the highest sequence the client has acknowledged, never exceeds its rcv_nxt, and
    /// equals it whenever our ACK answers the client's latest segment (which carried that ACK) —
    /// Linux accepts it then since it checks against the last window update it sent (rcv_wup).
    /// A strict receiver that has meanwhile received more board bytes drops the ACK and sends its
    /// own; nothing breaks: its data is retransmitted and acknowledged again.</summary>
    long SafeSequenceOffset()
    {
        if (DelegationOutstanding()) return _sndUna;
        return _finSent ? _finOffset + 1 : Math.Max(_sndUna, _knownEnd);
    }

    void SendSegment(long offset, ReadOnlySpan<byte> payload, byte flags)
    {
        TcpRepr h = _server.TxHeader;
        h.Reset();
        h.SourcePort = LocalPort;
        h.DestinationPort = ClientPort;
        h.SequenceNumber = SendSequenceOf(offset);
        h.AcknowledgmentNumber = ReceiveNext;
        h.Flags = flags;
        h.Window = WindowField();
        AddSackBlocks(h);
        _server.Transmit(ClientAddress, h, payload);
        _ackNow = false;
        _segmentsSinceAck = 0;
        DelayedAckDeadline = long.MaxValue;
    }

    void SendPureAck() => SendSegment(SafeSequenceOffset(), default, TcpFlags.Ack);

    void SendReset()
    {
        TcpRepr h = _server.TxHeader;
        h.Reset();
        h.SourcePort = LocalPort;
        h.DestinationPort = ClientPort;
        h.SequenceNumber = SendSequenceOf(SafeSequenceOffset());
        h.AcknowledgmentNumber = ReceiveNext;
        h.Flags = TcpFlags.Rst | TcpFlags.Ack;
        _server.Transmit(ClientAddress, h, default);
        _counters.Increment(NetCounter.TcpResetsSent);
    }

    internal void SendSynAck()
    {
        TcpRepr h = _server.TxHeader;
        h.Reset();
        h.SourcePort = LocalPort;
        h.DestinationPort = ClientPort;
        h.SequenceNumber = _iss;
        h.AcknowledgmentNumber = unchecked(_irs + 1);
        h.Flags = TcpFlags.Syn | TcpFlags.Ack;
        // RFC 7323 2.2: the window in a SYN segment is never scaled.
        h.Window = (ushort)Math.Min(_rx.Window, 65535);
        _advertisedEdge = 1 + h.Window;
        h.HasMaxSegmentSize = true;
        h.MaxSegmentSize = (ushort)_options.Mss;
        if (_windowScaleOn) { h.HasWindowScale = true; h.WindowScale = (byte)_ourShift; }
        h.SackPermitted = _sackPermitted;
        _server.Transmit(ClientAddress, h, default);
    }

    internal void StartHandshake(long now)
    {
        _synAckSentAt = now;
        RtoDeadline = now + _rto.RtoMs;
        SendSynAck();
    }

    /// <summary>Our receive window field: free buffer space, shifted, with receiver SWS avoidance
    /// (RFC 9293 3.8.6.2.2: the right edge moves only by min(buffer/2, MSS) or more) and never
    /// shrinking (RFC 7323 section 2.4).</summary>
    ushort WindowField()
    {
        long next = ReceiveNextOffset;
        long edge = _rx.NextOffset + _rx.Window;
        long threshold = Math.Min(_rx.Capacity / 2, _options.Mss);
        if (edge < _advertisedEdge || edge - _advertisedEdge < threshold) edge = _advertisedEdge;
        long field = Math.Min(Math.Max(0, edge - next) >> _ourShift, 65535);
        _advertisedEdge = Math.Max(_advertisedEdge, next + (field << _ourShift));
        return (ushort)field;
    }

    bool WindowGrowthWorthAnnouncing()
    {
        long next = ReceiveNextOffset;
        long edge = _rx.NextOffset + _rx.Window;
        long threshold = Math.Min(_rx.Capacity / 2, _options.Mss);
        return edge - _advertisedEdge >= threshold && _advertisedEdge - next < _rx.Capacity / 2;
    }

    void AddSackBlocks(TcpRepr h)
    {
        if (!_sackPermitted || _rx.RangeCount == 0) return;
        Span<long> starts = stackalloc long[TcpRepr.MaxSackBlocks];
        Span<long> ends = stackalloc long[TcpRepr.MaxSackBlocks];
        int n = _rx.GetRanges(starts, ends);
        for (int i = 0; i < n; i++)
        {
            h.SackLeft[i] = unchecked(_irs + (uint)starts[i]);
            h.SackRight[i] = unchecked(_irs + (uint)ends[i]);
        }
        h.SackBlockCount = n;
    }

    /// <summary>Sends again the segment of ours that starts at offset (and FIN with it when it
    /// reaches our FIN).</summary>
    void RetransmitAt(long offset)
    {
        foreach (var item in _items)
        {
            if (!item.IsOwn || offset < item.Start || offset >= item.SentEnd) continue;
            int length = (int)Math.Min(item.SentEnd - offset, SegmentPayloadLimit());
            bool fin = _finSent && offset + length == _finOffset;
            byte flags = (byte)(TcpFlags.Ack | TcpFlags.Psh | (fin ? TcpFlags.Fin : 0));
            SendSegment(offset, item.Data.AsSpan((int)(offset - item.Start), length), flags);
            _counters.Increment(NetCounter.TcpRetransmissions);
            return;
        }
        if (_finSent && offset == _finOffset)
        {
            SendSegment(_finOffset, default, TcpFlags.Ack | TcpFlags.Fin);
            _counters.Increment(NetCounter.TcpRetransmissions);
        }
    }

    bool OwnSentAt(long offset)
    {
        foreach (var item in _items)
            if (item.IsOwn && offset >= item.Start && offset < item.SentEnd) return true;
        return _finSent && offset == _finOffset;
    }
}
