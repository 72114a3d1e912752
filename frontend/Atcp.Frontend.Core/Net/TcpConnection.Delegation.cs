using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

// ATCP bookkeeping (seed paragraphs [0028]-[0031], Figs. 8 and 9): delegated reply ranges, the
// expected-ACK point that moves by each size a board reports, and the relay of client ACKs.
public sealed partial class TcpConnection
{
    /// <summary>How a client ACK number relates to what has been sent.</summary>
    enum AckVerdict
    {
        /// <summary>SND.UNA &lt;= ACK &lt;= highest known send point: processed and relayed.</summary>
        Accept,
        /// <summary>Below SND.UNA but within a window of it: ignored, the rest of the segment processed.</summary>
        Old,
        /// <summary>Far below SND.UNA (RFC 5961 section 5): challenge ACK, segment dropped.</summary>
        TooOld,
        /// <summary>Beyond the known point but inside an unsized delegated range: held until its size arrives.</summary>
        Hold,
        /// <summary>Beyond anything sent (seed Fig. 9 step 126): dropped and counted.</summary>
        Beyond,
    }

    /// <summary>A client ACK waiting for a delegated range's size.</summary>
    readonly record struct HeldAck(uint Sequence, uint Ack, ushort Window, SackBlockArray Sacks, int SackCount, int PayloadLength, bool Fin);

    readonly Queue<HeldAck> _held = new();

    /// <summary>True while a delegated reply's size is not known yet (no other reply can be queued).</summary>
    public bool HasUnsizedReply
    {
        get { foreach (var item in _items) if (!item.IsOwn && !item.Sized && !item.Completed) return true; return false; }
    }

    /// <summary>True while some delegated reply is neither completed nor aborted.</summary>
    public bool HasOpenDelegatedReply
    {
        get { foreach (var item in _items) if (!item.IsOwn && !item.Completed) return true; return false; }
    }

    /// <summary>Client ACKs held for an unsized range right now.</summary>
    public int HeldAckCount => _held.Count;

    // A board's bytes may be in flight: a range not sized yet, or sized and not all acknowledged.
    bool DelegationOutstanding()
    {
        foreach (var item in _items)
            if (!item.IsOwn && !item.Completed && (!item.Sized || item.End > _sndUna)) return true;
        return false;
    }

    /// <summary>Reserves the next reply for a board: S is the current send point (after any bytes
    /// the front-end queued). Returns false when the connection cannot take a reply now (not
    /// ESTABLISHED or CLOSE-WAIT, closing, or the previous delegated reply's size not known yet).</summary>
    public bool TryBeginDelegatedReply(IDelegatedReplyOwner owner, long now, out DelegatedReplyStart start)
    {
        _server.Touch(now);
        ArgumentNullException.ThrowIfNull(owner);
        start = default;
        if (!CanSend) return false;
        var item = new StreamItem { Start = _streamEnd, Owner = owner };
        _items.Add(item);
        RequestComplete(now); // a reply begins: the request it answers is complete
        start = new DelegatedReplyStart
        {
            Sequence = SendSequenceOf(item.Start),
            AckNumber = ReceiveNext,
            WindowField = WindowField(),
            ClientWindowField = _clientWindowField,
            ClientWindowScale = _clientShift,
            ClientWindowFromStart = Math.Max(0, _rightEdge - item.Start),
            Mss = SendMss,
            SackPermitted = _sackPermitted,
            SmoothedRttMs = _rto.SmoothedRttMs,
            NextHopMac = _server.NextHopMac(ClientAddress),
        };
        // The board's first segment carries rcv_nxt, so a pending delayed ACK may wait for it.
        return true;
    }

    /// <summary>The board reported the reply's size: the send point jumps to S + size, which is at
    /// once where the next reply (delegated or ours) starts, and ACKs held for this range are
    /// processed. Returns false when no unsized range starts at S (already reset or sized).</summary>
    public bool SetDelegatedSize(uint replyStart, long size, long now)
    {
        _server.Touch(now);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        StreamItem? item = FindDelegated(replyStart);
        if (item is null || item.Sized || item.Completed) return false;
        item.Length = size;
        _streamEnd = item.End; // an unsized range is always the last item
        _knownEnd = Math.Max(_knownEnd, item.End);
        while (_held.Count > 0 && State != TcpState.Closed)
        {
            HeldAck held = _held.Dequeue();
            switch (ClassifyAck(held.Ack, out long ackOffset))
            {
                case AckVerdict.Accept:
                    ProcessAck(held.Sequence, ackOffset, held.Window, held.Sacks, held.SackCount, held.PayloadLength, held.Fin, true, now);
                    break;
                case AckVerdict.Old:
                    break;
                default:
                    _counters.Increment(NetCounter.TcpAckBeyondSent);
                    break;
            }
        }
        AfterAck(now);
        Output(now);
        Flush(now);
        return true;
    }

    /// <summary>The board reported DONE (the client acknowledged the whole range). Our FIN may
    /// follow if <see cref="Close"/> was called and nothing else is pending. Returns false when no
    /// open sized range starts at S.</summary>
    public bool CompleteDelegatedReply(uint replyStart, long now)
    {
        _server.Touch(now);
        StreamItem? item = FindDelegated(replyStart);
        if (item is null || !item.Sized || item.Completed) return false;
        item.Completed = true;
        PruneItems();
        if (State != TcpState.Closed) Output(now);
        Flush(now);
        return true;
    }

    /// <summary>The board failed: the client cannot get the rest of the reply, so the connection is
    /// reset. The RST carries SND.UNA (the client's rcv_nxt as far as we know; see
    /// <see cref="SafeSequenceOffset"/>). If the board got further, the client answers with a
    /// challenge ACK (RFC 5961); by then the TCB is gone and the closed-connection rule answers with
    /// a RST at exactly that ACK number (RFC 9293 3.10.7.1), which the client accepts.</summary>
    public bool AbortDelegatedReply(uint replyStart, long now)
    {
        _server.Touch(now);
        StreamItem? item = FindDelegated(replyStart);
        if (item is null || item.Completed) return false;
        item.Completed = true; // its owner asked for this: no OnCancelled
        Terminate(CloseReason.Aborted, true, now);
        Flush(now);
        return true;
    }

    StreamItem? FindDelegated(uint replyStart)
    {
        foreach (var item in _items)
            if (!item.IsOwn && SendSequenceOf(item.Start) == replyStart) return item;
        return null;
    }

    void CancelDelegatedRanges(CloseReason reason)
    {
        foreach (var item in _items)
        {
            if (item.IsOwn || item.Completed) continue;
            item.Completed = true;
            (_cancelled ??= new()).Add((item.Owner!, SendSequenceOf(item.Start)));
        }
        _held.Clear();
    }

    void PruneItems()
    {
        while (_items.Count > 0)
        {
            StreamItem first = _items[0];
            bool done = first.IsOwn ? first.End <= _sndUna && first.SentEnd >= first.End : first.Completed && first.Sized;
            if (!done) break;
            _items.RemoveAt(0);
        }
    }

    /// <summary>The highest ACK offset a client can legitimately send: the end of our bytes sent
    /// and of every sized range (seed Fig. 8 step 123), our FIN, but never past our own bytes not
    /// sent yet (the client cannot have received them).</summary>
    long HighestAckable()
    {
        long h = _knownEnd;
        if (_finSent) h = Math.Max(h, _finOffset + 1);
        foreach (var item in _items)
            if (item.IsOwn && item.SentEnd < item.End) { h = Math.Min(h, item.SentEnd); break; }
        return h;
    }

    AckVerdict ClassifyAck(uint ack, out long ackOffset)
    {
        ackOffset = SendOffsetOf(ack);
        if (ackOffset < _sndUna)
            return ackOffset < _sndUna - Math.Max(_maxClientWindow, 1) ? AckVerdict.TooOld : AckVerdict.Old;
        if (ackOffset <= HighestAckable()) return AckVerdict.Accept;
        // A board may start sending before its size report reaches us, so the client may already
        // acknowledge bytes of a range whose end we do not know. Such ACKs are held, not dropped:
        // dropping them would stall the board's congestion window and can cost the client a
        // retransmission timeout. Only ACKs the board could have earned are held: none beyond the
        // largest right edge the client ever offered, since no sender can go past it.
        if (HasUnsizedReply && ackOffset <= _maxRightEdge) return AckVerdict.Hold;
        return AckVerdict.Beyond;
    }

    void HoldAck(TcpRepr segment, int payloadLength, bool fin)
    {
        if (_held.Count >= _options.MaxHeldAcks)
        {
            _held.Dequeue(); // ACKs are cumulative: the newest say the most
            _counters.Increment(NetCounter.TcpHeldAckOverflow);
        }
        int count = CopySacks(segment, out SackBlockArray sacks);
        _held.Enqueue(new HeldAck(segment.SequenceNumber, segment.AcknowledgmentNumber, segment.Window, sacks, count, payloadLength, fin));
        _counters.Increment(NetCounter.TcpAcksHeld);
    }

    static int CopySacks(TcpRepr segment, out SackBlockArray sacks)
    {
        sacks = default;
        int count = Math.Clamp(segment.SackBlockCount, 0, TcpRepr.MaxSackBlocks);
        for (int i = 0; i < count; i++) sacks[i] = new SackBlock(segment.SackLeft[i], segment.SackRight[i]);
        return count;
    }

    void ProcessAck(uint sequence, long ackOffset, ushort window, TcpRepr segment, int payloadLength, bool fin, bool held, long now)
    {
        int count = CopySacks(segment, out SackBlockArray sacks);
        ProcessAck(sequence, ackOffset, window, in sacks, count, payloadLength, fin, held, now);
        AfterAck(now);
    }

    void ProcessAck(uint sequence, long ackOffset, ushort window, in SackBlockArray sacks, int sackCount,
        int payloadLength, bool fin, bool held, long now)
    {
        // Data outstanding (the walks of the items) is asked last: a new ACK is never a duplicate.
        bool duplicate = ackOffset == _sndUna && payloadLength == 0 && !fin && window == _clientWindowField
            && (HighestAckable() > _sndUna || HasUnsizedReply);
        if (ackOffset > _sndUna) OnNewAck(ackOffset, now);
        else if (duplicate) OnDuplicateAck(now);

        // Window update (RFC 9293 3.10.7.4: SND.WL1 < SEG.SEQ, or equal and SND.WL2 <= SEG.ACK).
        int seqOrder = unchecked((int)(sequence - _sndWl1));
        if (seqOrder > 0 || (seqOrder == 0 && _sndWl2 <= ackOffset))
        {
            _sndWl1 = sequence;
            _sndWl2 = ackOffset;
            UpdateWindow(window, ackOffset);
        }

        // Relay to every open range the ACK concerns: S <= ACK <= S + size. An ACK exactly at S
        // matters too: duplicate ACKs with SACK blocks there tell the board its first segment was lost.
        for (int i = 0; i < _items.Count; i++)
        {
            StreamItem item = _items[i];
            if (item.IsOwn || item.Completed || ackOffset < item.Start || (item.Sized && ackOffset > item.End)) continue;
            QueueRelay(item, ackOffset, window, in sacks, sackCount, duplicate, fin, held);
            _counters.Increment(NetCounter.TcpAcksRelayed);
        }
    }

    void OnNewAck(long ackOffset, long now)
    {
        long ownAcked = 0;
        foreach (var item in _items)
            if (item.IsOwn) ownAcked += Math.Max(0, Math.Min(ackOffset, item.SentEnd) - Math.Max(_sndUna, item.Start));
        if (_timing && ackOffset >= _timedEnd)
        {
            _rto.Sample((int)(now - _timedAt));
            _timing = false;
        }
        _sndUna = ackOffset;
        TimersChanged(); // our bytes in flight changed (TcpServer.AnySendingOwnBytes)
        _retransmissions = 0;
        _dupAcks = 0;
        _rto.Restore();
        if (ownAcked > 0)
        {
            // RFC 5681 3.1: slow start below ssthresh, else about one MSS per window.
            int mss = SendMss;
            if (_cwnd < _ssthresh) _cwnd += Math.Min(ownAcked, mss);
            else _cwnd += Math.Max(1, (long)mss * mss / _cwnd);
        }
        PruneItems();
        RtoDeadline = OwnOrFinOutstanding() ? now + _rto.RtoMs : long.MaxValue;
        // After a timeout, each partial ACK inside our bytes resends the next segment at once.
        if (_recover > _sndUna && OwnSentAt(_sndUna)) RetransmitAt(_sndUna);
        else if (_recover <= _sndUna) _recover = -1;
    }

    void OnDuplicateAck(long now)
    {
        // Fast retransmit (RFC 5681 3.2) of our own bytes; a board's are the board's business.
        if (++_dupAcks != 3 || !OwnSentAt(_sndUna)) return;
        int mss = SendMss;
        _ssthresh = Math.Max(OwnInFlight() / 2, 2L * mss);
        _cwnd = _ssthresh;
        _timing = false;
        RetransmitAt(_sndUna);
        RtoDeadline = now + _rto.RtoMs;
    }

    void UpdateWindow(ushort field, long ackOffset)
    {
        _clientWindowField = field;
        _clientWindow = (long)field << _clientShift;
        _rightEdge = ackOffset + _clientWindow;
        _maxRightEdge = Math.Max(_maxRightEdge, _rightEdge);
        _maxClientWindow = Math.Max(_maxClientWindow, _clientWindow);
    }

    // After the ACK: our FIN acknowledged moves the closing states on.
    void AfterAck(long now)
    {
        if (State == TcpState.Closed || !_finSent || _sndUna <= _finOffset) return;
        if (State == TcpState.FinWait1) SetState(TcpState.FinWait2, now);
        else if (State == TcpState.Closing) SetState(TcpState.TimeWait, now);
        else if (State == TcpState.LastAck) SetState(TcpState.Closed, now, CloseReason.Normal);
    }

    /// <summary>ICMP fragmentation-needed quoting a segment of this connection at quotedSequence:
    /// checks that sequence is in flight (RFC 5927 section 4.1), lowers the path MTU (never below
    /// 576, the size every IPv4 host must accept, RFC 791), and reports it with the owner of the
    /// range the segment belonged to, so the dispatcher can relay it to that board.</summary>
    internal void OnFragmentationNeeded(uint quotedSequence, int mtu, long now)
    {
        long offset = SendOffsetOf(quotedSequence);
        long upper = HasUnsizedReply ? Math.Max(HighestAckable(), _maxRightEdge) : HighestAckable(); // unsized: the board may be past what we know
        int newMtu = Math.Max(576, mtu);
        if (State is TcpState.SynReceived or TcpState.TimeWait or TcpState.Closed
            || offset < _sndUna || offset >= Math.Max(upper, _sndUna + 1) || newMtu >= _pathMtu)
        {
            _counters.Increment(NetCounter.IcmpFragmentationNeededIgnored);
            return;
        }
        _pathMtu = newMtu;
        _counters.Increment(NetCounter.IcmpFragmentationNeeded);
        IDelegatedReplyOwner? owner = null;
        foreach (var item in _items)
            if (!item.IsOwn && !item.Completed && offset >= item.Start && (!item.Sized || offset < item.End)) owner = item.Owner;
        (_mtuReports ??= new()).Add((owner, newMtu));
        // The router dropped that segment: if it was ours, resend it now in smaller pieces (RFC 1191 section 6.5).
        if (owner is null && OwnSentAt(offset)) RetransmitAt(offset);
        Flush(now);
    }
}
