namespace Atcp.Frontend.Cluster;

/// <summary>When to relay a client ACK to the board sending on the connection. Every CLIENT_ACK costs a
/// frame on the front-end's link and work on the board, so ACKs are held unless the board needs them:
/// <list type="bullet">
/// <item>At once: duplicate ACKs, ACKs with SACK blocks and a repeated ACK number (loss recovery is
/// time-critical, and the board counts them), the first ACK, a FIN, the ACK that completes the
/// reply, a window that retreats or closes, and an ACK that leaves the board less than half the
/// client's window to send into (the window edge the board knows, from the last relay, minus the
/// client's ACK).</item>
/// <item>Slow start, the first <see cref="EagerStartBytes"/> of the reply: whenever a quarter of the
/// board's window is acknowledged but not relayed. The board's congestion window then is exactly its
/// initial window plus the bytes acknowledged (RFC 3390, RFC 3465 byte counting), so this is known
/// without asking it; held longer, an ACK would stall it.</item>
/// <item>Every ACK after a loss signal until the board reports its cut window (SERVICE_ACK, SPEC
/// 5.3), at most <see cref="EagerBytesAfterLoss"/> (a board that does not report).</item>
/// <item>Otherwise (steady phase): every <see cref="EveryAcks"/>-th ACK, or when the bytes
/// acknowledged since the last relay reach 2 x K segments (clients that acknowledge a whole burst at
/// once) or a quarter of the board's reported congestion window, or when no further ACK came for
/// <see cref="MaxDelayMs"/> (the flow paused: the board may wait for it), and no later than
/// <see cref="MaxHoldMs"/> after the first held one.</item>
/// </list>
/// A pure window growth while the board has room therefore rides with the next relay.</summary>
public sealed class AckCoalescer
{
    /// <summary>Bytes from the first ACK counted as the board's slow start (relayed by quarter windows).</summary>
    public const long EagerStartBytes = 64 * 1024;
    /// <summary>Bytes past the ACK of a loss signal (duplicate, SACK blocks, repeated ACK) during
    /// which every ACK is relayed at once. The board's window was cut and regrows slowly; holding
    /// ACKs (K of them = 2K segments) while it is smaller than that stalls the board until T. 512 KB
    /// keeps a stream under steady loss eager throughout (20 MiB at 2% loss, unlimited links:
    /// 5.5-6.4 s; 128 KB with K = 16: 11.4-12.6 s).</summary>
    public const long EagerBytesAfterLoss = 512 * 1024;

    /// <summary>The board's congestion window the pause allowance assumes once slow start has grown
    /// it: a stream may advance half of it while its ACKs wait unseen in the front-end's receive
    /// ring (the daemon's batching pause), so the board still has most of its window to send into
    /// when the relay comes late.</summary>
    public const long AssumedWindowBytes = Atcp.Wire.Atcp.AtcpServiceAck.GrowthReportFloor;

    /// <summary>Largest reported board window the pause allowance believes (half of it may wait).</summary>
    public const long MaxReportedWindowBytes = 256 * 1024;

    /// <summary>The boards' initial congestion window (RFC 3390 at MSS 1460: min(4 MSS, max(2 MSS,
    /// 4380 bytes)); firmware TcpSender).</summary>
    public const long InitialWindowBytes = 4380;

    /// <summary>The delivery rate is measured over spans of at least this long (ms).</summary>
    public const int RateSpanMs = 8;

    /// <summary>Relay after this many coalesced ACKs (K).</summary>
    public int EveryAcks { get; }

    /// <summary>A held ACK is relayed when no other ACK followed within this (T).</summary>
    public int MaxDelayMs { get; }

    /// <summary>A held ACK is relayed no later than this after it arrived (4 x T): bounds the delay the
    /// board's RTT samples see while ACKs keep coming.</summary>
    public int MaxHoldMs => 4 * MaxDelayMs;

    /// <summary>Segment size of the stream (bytes), for the byte thresholds.</summary>
    public int Mss { get; set; } = 1460;

    uint _lastRelayedAck;
    long _lastRelayedWindow;
    uint _heldAck;
    long _heldWindow;
    uint _firstAck;
    uint _lastOfferedAck;
    long _lastOfferedWindow;
    int _held;
    long _heldSince;
    long _lastAckAt;
    uint _eagerUntil;
    uint _lossAck; // the ACK of the last loss signal
    long _boardWindow = -1;   // the board's congestion window as last reported, -1 before a report
    bool _reportedSinceLoss;  // a report came after the last loss signal: the cut window is known
    bool _afterLoss;
    bool _hasRelayed;
    long _repeatAt = long.MaxValue; // when to repeat the last relay if no ACK comes (Deadline)
    long _rateSince = -1;   // start of the current rate span (ms), -1 before the first ACK
    uint _rateFromAck;      // the ACK number at its start
    long _bytesPerMs = -1;  // delivery rate of the last whole span, -1 until one ended

    /// <summary>Coalesces with K = everyAcks and T = maxDelayMs; K = 1 relays every ACK.</summary>
    public AckCoalescer(int everyAcks, int maxDelayMs)
    {
        if (everyAcks < 1) throw new ArgumentOutOfRangeException(nameof(everyAcks));
        if (maxDelayMs < 0) throw new ArgumentOutOfRangeException(nameof(maxDelayMs));
        EveryAcks = everyAcks;
        MaxDelayMs = maxDelayMs;
    }

    /// <summary>ACKs held back now.</summary>
    public int Held => _held;

    /// <summary>True in slow start or after a loss the board has not reported on yet, when ACKs are
    /// not coalesced by K and T.</summary>
    public bool Eager => InSlowStart || RelayingAllAfterLoss;

    bool InSlowStart => !_hasRelayed || _startWindow + (uint)(_lastRelayedAck - _firstAck) < InitialWindowBytes + EagerStartBytes;

    long _startWindow = InitialWindowBytes;

    /// <summary>The board's congestion window when the reply starts: the COMMAND's initial window
    /// when the reply continues its connection's (SPEC 5.1), or the RFC 3390 one. The slow-start
    /// estimates below grow from it, so a continued window is past slow start from the first ACK.</summary>
    public long StartWindow
    {
        get => _startWindow;
        set => _startWindow = Math.Max(InitialWindowBytes, value);
    }

    // Every ACK is relayed after a loss until the board reports its cut window (at most 512 KB).
    bool RelayingAllAfterLoss => _afterLoss && !_reportedSinceLoss && (int)(_lastOfferedAck - _eagerUntil) < 0;

    // No ACK may wait after a loss until the board reports its cut window (at most 128 KB).
    bool NoWaitAfterLoss => _afterLoss && !_reportedSinceLoss && (int)(_lastOfferedAck - _lossAck) < AtOnceBytesAfterLoss;

    /// <summary>True past slow start and loss recovery with a flowing rate: the board keeps this
    /// stream's data coming (see <see cref="Engine.HttpDispatcher.TolerableAckWaitUs"/>).</summary>
    public bool Steady => _bytesPerMs > 0 && !InSlowStart && !NoWaitAfterLoss;

    /// <summary>The board's congestion window (bytes) from its last report, -1 before one.</summary>
    public long BoardWindow => _boardWindow;

    /// <summary>Takes the board's congestion window from a SERVICE_ACK (SPEC 5.3). After a loss it
    /// ends the every-ACK relays: the holding is then sized by the cut window.</summary>
    public void OnBoardWindow(long bytes)
    {
        if (bytes <= 0) return;
        _boardWindow = bytes;
        if (_afterLoss) _reportedSinceLoss = true;
    }

    /// <summary>Bytes per millisecond the client acknowledged over the last whole rate span (at least
    /// <see cref="RateSpanMs"/>), or -1 before one ended.</summary>
    public long BytesPerMs => _bytesPerMs;

    /// <summary>True when the last <see cref="Offer"/> that returned true was for a loss signal
    /// (duplicate, SACK blocks, repeated ACK number): the board counts those, so each must reach it
    /// on its own rather than merged with a later relay.</summary>
    public bool LastRelayWasLossSignal { get; private set; }

    /// <summary>Index of this stream's relay waiting for the end of the loop round (the dispatcher's
    /// bookkeeping), -1 when none waits.</summary>
    internal int PendingRelay { get; set; } = -1;

    /// <summary>How long this stream's next ACKs may wait unseen (microseconds) without costing it
    /// throughput: the time it takes to deliver a share of the board's estimated window at its
    /// measured rate (<see cref="SteadyWaitShare"/>, <see cref="SlowStartWaitShare"/>). The window estimate grows like slow start from
    /// <see cref="InitialWindowBytes"/> by the bytes acknowledged, up to
    /// <see cref="AssumedWindowBytes"/>: a slow stream may wait, a fast one may not, and the wait
    /// stays a fraction of the stream's own round trip however long it gets. 0 before a flowing rate
    /// is known, and for <see cref="AtOnceBytesAfterLoss"/> past a loss signal: the board's window was
    /// just cut and stalls in its recovery make the stream look slow, so a rate-based wait would
    /// feed on itself (20 MiB at 2% loss took 36-42 s that way, 6 s with the floor).</summary>
    public long TolerableAckWaitUs => _bytesPerMs > 0 ? TolerableAckBytes * 1000 / _bytesPerMs : 0;

    /// <summary>The bytes this stream may deliver while its ACKs wait unseen: the share of the board's
    /// window behind <see cref="TolerableAckWaitUs"/>; 0 when they may not wait.</summary>
    public long TolerableAckBytes
    {
        get
        {
            if (_bytesPerMs <= 0 || !_hasRelayed || NoWaitAfterLoss) return 0;
            long window = Math.Min(AssumedWindowBytes, _startWindow + (uint)(_lastOfferedAck - _firstAck));
            bool grown = window == AssumedWindowBytes;
            if (_boardWindow > 0 && (_afterLoss || grown)) window = Math.Min(_boardWindow, MaxReportedWindowBytes);
            return window / (grown ? SteadyWaitShare : SlowStartWaitShare);
        }
    }

    /// <summary>Past slow start, ACKs may wait while the stream delivers half of the board's window:
    /// the relay then still finds half of it in flight, queued ahead of the board's link, so the link
    /// never idles (a quarter gave 25-35% more wake-ups for the same throughput).</summary>
    public const int SteadyWaitShare = 2;

    /// <summary>In slow start only a quarter: the window doubles every round trip, so the rate just
    /// measured understates what the board sends next.</summary>
    public const int SlowStartWaitShare = 4;

    /// <summary>Bytes past a loss signal during which the stream's ACKs may not wait at all (see
    /// <see cref="TolerableAckWaitUs"/>); shorter than <see cref="EagerBytesAfterLoss"/>, since a slow
    /// stream's 512 KB last long.</summary>
    public const long AtOnceBytesAfterLoss = 128 * 1024;

    /// <summary>When <see cref="Flush"/> must run, or long.MaxValue: for the held ACK, or to repeat the
    /// last relay once when no ACK followed it within T. A relay is a single frame across the switch:
    /// lost, it leaves the board waiting (its window full, the client with nothing to acknowledge)
    /// until its retransmission timer, while the copy costs one frame only when the flow went quiet.
    /// The board takes the copy as new information or, at worst, as one duplicate ACK (fewer than the
    /// three of fast retransmit; with a small window, RFC 3042 limited transmit keeps it sending).</summary>
    public long Deadline => _held > 0 ? HeldDeadline : _repeatAt;

    long HeldDeadline => Math.Min(_lastAckAt + MaxDelayMs, _heldSince + MaxHoldMs);

    /// <summary>Takes one client ACK; true when it must be relayed now (then it counts as relayed).
    /// windowBytes is the client's window in bytes (rawWindow, the field as sent, is not needed: the
    /// decision works in bytes) and replyEnd the sequence number one past the reply's last byte.</summary>
    public bool Offer(uint ack, ushort rawWindow, long windowBytes, bool duplicate, bool hasSack, bool fin,
        uint replyEnd, long now)
    {
        bool relay = Decide(ack, windowBytes, duplicate, hasSack, fin, replyEnd, now);
        _repeatAt = relay && !LastRelayWasLossSignal && ack != replyEnd ? now + MaxDelayMs : long.MaxValue;
        return relay;
    }

    bool Decide(uint ack, long windowBytes, bool duplicate, bool hasSack, bool fin, uint replyEnd, long now)
    {
        _lastAckAt = now;
        LastRelayWasLossSignal = false;
        MeasureRate(ack, now);
        uint previous = _lastOfferedAck;
        long previousWindow = _lastOfferedWindow;
        _lastOfferedAck = ack;
        _lastOfferedWindow = windowBytes;
        if (!_hasRelayed)
        {
            _firstAck = ack;
            return Relay(ack, windowBytes);
        }
        // The same ACK with the same window again is a duplicate to the board (RFC 5681 section 2)
        // even when the front-end does not flag it: without SACK it is the only loss signal the board
        // gets. With a new window it is a window update (Linux sends them while autotuning its
        // buffer): the board does not count it, and taking it for a loss held every stream of a
        // loss-free board in loss mode (every ACK relayed, no pause) for 128-512 KB each time.
        bool lossSignal = duplicate || hasSack || (ack == previous && windowBytes == previousWindow && ack != replyEnd);
        if (lossSignal) { _afterLoss = true; _reportedSinceLoss = false; _lossAck = ack; _eagerUntil = ack + (uint)EagerBytesAfterLoss; }
        LastRelayWasLossSignal = lossSignal;
        long unrelayed = (uint)(ack - _lastRelayedAck);
        if (lossSignal || fin || ack == replyEnd || RelayingAllAfterLoss || NeedsWindow(ack, windowBytes))
            return Relay(ack, windowBytes);
        if (InSlowStart)
        {
            // Slow start: the board's window is its initial window plus what was acknowledged (at
            // least); a quarter of it unrelayed leaves the board room even when the client delays ACKs.
            if (unrelayed * 4 >= _startWindow + (uint)(ack - _firstAck)) return Relay(ack, windowBytes);
        }
        else if (_held + 1 >= EveryAcks || unrelayed >= HoldLimitBytes)
            return Relay(ack, windowBytes);
        if (_held == 0) _heldSince = now;
        _held++;
        _heldAck = ack;
        _heldWindow = windowBytes;
        return false;
    }

    // Past slow start: 2K segments, or a quarter of the board's window when it reported one (after a
    // loss the window may be smaller than what K ACKs cover: the board would wait for T).
    long HoldLimitBytes => _boardWindow > 0 ? Math.Min(2L * EveryAcks * Mss, _boardWindow / 4) : 2L * EveryAcks * Mss;

    void MeasureRate(uint ack, long now)
    {
        if (_rateSince < 0)
        {
            _rateSince = now;
            _rateFromAck = ack;
            return;
        }
        long span = now - _rateSince;
        if (span < RateSpanMs) return;
        _bytesPerMs = Math.Max(0, (int)(ack - _rateFromAck)) / span; // an old (reordered) ACK counts as none
        _rateSince = now;
        _rateFromAck = ack;
    }

    // The board may send up to the edge it knows (last relayed ACK + window). It needs this ACK now
    // when that edge moved left (a shrinking or closing window: it must not send past it), or when
    // less than half the client's window is left before it, so the board could run out of window
    // before the next relay.
    bool NeedsWindow(uint ack, long windowBytes)
    {
        long advanced = (uint)(ack - _lastRelayedAck); // bytes acknowledged since the last relay
        long room = _lastRelayedWindow - advanced;     // what the board may still send beyond ack
        if (windowBytes < room) return true;           // the right edge retreated
        if (windowBytes == 0) return _lastRelayedWindow != 0; // closed: stop the board, start its persist timer
        return room < windowBytes / 2;
    }

    /// <summary>True when the latest ACK must be relayed at now: a held ACK is due, or the last relay
    /// is repeated (see <see cref="Deadline"/>); the caller relays the latest ACK offered.</summary>
    public bool Flush(long now)
    {
        if (_held > 0)
        {
            if (now < HeldDeadline) return false;
            RelayHeld(now);
            return true;
        }
        if (now < _repeatAt) return false;
        _repeatAt = long.MaxValue;
        Repeats++;
        return true;
    }

    /// <summary>True when held ACKs cover at least half of what would trigger a relay (a quarter of
    /// the window in slow start, the holding limit past it): worth a ride in a frame the board gets
    /// anyway (CLIENT_ACKS, SPEC 5.12), which then spares a frame of its own soon after.</summary>
    public bool WorthCarrying
    {
        get
        {
            if (_held == 0) return false;
            long unrelayed = (uint)(_heldAck - _lastRelayedAck);
            long trigger = InSlowStart ? (_startWindow + (uint)(_heldAck - _firstAck)) / 4 : HoldLimitBytes;
            return unrelayed * 2 >= trigger;
        }
    }

    /// <summary>Counts the held ACK as relayed now (the caller relays the latest ACK offered), as
    /// <see cref="Flush"/> does when it falls due.</summary>
    public void RelayHeld(long now)
    {
        if (_held == 0) return;
        _repeatAt = now + MaxDelayMs;
        Relay(_heldAck, _heldWindow);
    }

    /// <summary>Relays repeated because no ACK followed them within T.</summary>
    public long Repeats { get; private set; }

    /// <summary>The most recent ACK held back.</summary>
    public uint HeldAck => _heldAck;

    bool Relay(uint ack, long windowBytes)
    {
        _lastRelayedAck = ack;
        _lastRelayedWindow = windowBytes;
        _hasRelayed = true;
        _held = 0;
        return true;
    }
}
