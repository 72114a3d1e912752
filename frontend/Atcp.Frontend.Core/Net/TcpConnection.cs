using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

/// <summary>One client connection (RFC 9293 TCB) on the front-end, with the ATCP bookkeeping of
/// delegated reply ranges. Split by concern: this file holds the state, the one place that changes
/// it, and the upper-layer notifications; <c>TcpConnection.Receive.cs</c> the segment arrival
/// path; <c>TcpConnection.Send.cs</c> the sending path and timers; <c>TcpConnection.Delegation.cs</c>
/// the delegated ranges and the ACK classification; <c>TcpConnection.Relay.cs</c> the queue of
/// relays to the ranges' owners; <c>TcpConnection.TimerCache.cs</c> the timer fields the server's
/// timer heap follows.</summary>
/// <remarks>
/// Sequence numbers are kept as 64-bit offsets from the ISN on each side (send: offset 0 is our
/// SYN, 1 the first reply byte; receive: 0 is the client's SYN), so comparisons never wrap; wire
/// values are converted at the edge with signed 32-bit differences (RFC 9293 section 3.4).
/// The send stream is a list of items in sequence order: bytes the front-end made itself (kept
/// until acknowledged, retransmitted by us) and delegated ranges a board sends.
/// </remarks>
public sealed partial class TcpConnection
{
    readonly TcpServer _server;
    readonly NetStackOptions _options;
    readonly NetCounters _counters;

    /// <summary>The client's IP address.</summary>
    public uint ClientAddress { get; }
    /// <summary>The client's port.</summary>
    public ushort ClientPort { get; }
    /// <summary>Our port (the listening port the client connected to).</summary>
    public ushort LocalPort { get; }
    /// <summary>The service address (ours).</summary>
    public uint LocalAddress => _options.Address;
    /// <summary>Where the connection is (RFC 9293 states).</summary>
    public TcpState State { get; private set; }
    /// <summary>Free for the upper layer: its per-connection record (parser state, reply queue).</summary>
    public object? UserState { get; set; }

    // Negotiated at the handshake.
    readonly uint _iss, _irs;
    int _clientMss;
    readonly int _clientShift, _ourShift; // both 0 unless both sides sent Window Scale (RFC 7323 2.2)
    readonly bool _sackPermitted;
    readonly bool _windowScaleOn;
    int _pathMtu;

    /// <summary>Our initial sequence number.</summary>
    public uint InitialSendSequence => _iss;
    /// <summary>The client's initial sequence number.</summary>
    public uint InitialReceiveSequence => _irs;
    /// <summary>The client's window scale shift (0 when scaling is off).</summary>
    public int ClientWindowScale => _clientShift;
    /// <summary>Our window scale shift (0 when scaling is off).</summary>
    public int WindowScale => _ourShift;
    /// <summary>Whether SACK was negotiated (RFC 2018).</summary>
    public bool SackPermitted => _sackPermitted;
    /// <summary>The MSS the client announced (536 when it sent none, RFC 9293 section 3.7.1).</summary>
    public int ClientMss => _clientMss;
    /// <summary>The path MTU toward the client (our MTU, lowered by fragmentation-needed).</summary>
    public int PathMtu => _pathMtu;
    /// <summary>Payload per segment toward the client: the smallest of its MSS, our MSS and path MTU - 40.</summary>
    public int SendMss => Math.Min(_clientMss, Math.Min(_options.Mss, _pathMtu - 40));

    readonly ReceiveBuffer _rx;
    readonly RtoEstimator _rto = new();

    bool _everConnected;        // OnConnected was delivered (so OnClosed is owed)
    CloseReason _closeReason = CloseReason.Normal;
    bool _notifyConnected, _notifyData, _notifyPeerClosed, _notifyClosed;
    bool _flushing;
    // Made on first use: most connections never need them, and Flush (run for every segment) then
    // checks a field rather than two more objects.
    List<(IDelegatedReplyOwner Owner, uint Start)>? _cancelled;
    List<(IDelegatedReplyOwner? Owner, int Mtu)>? _mtuReports;

    internal TcpConnection(TcpServer server, uint clientAddress, ushort clientPort, ushort localPort,
        uint iss, uint irs, int clientMss, bool hasWindowScale, int clientShift, bool sackPermitted, long now)
    {
        _server = server;
        Order = server.NextConnectionOrder++;
        _options = server.Options;
        _counters = server.Counters;
        ClientAddress = clientAddress;
        ClientPort = clientPort;
        LocalPort = localPort;
        _iss = iss;
        _irs = irs;
        _clientMss = clientMss;
        _clientShift = hasWindowScale ? Math.Min(clientShift, 14) : 0; // RFC 7323 2.3: larger than 14 means 14
        _ourShift = hasWindowScale ? Math.Clamp(_options.WindowScale, 0, 14) : 0;
        _windowScaleOn = hasWindowScale;
        _sackPermitted = sackPermitted;
        _pathMtu = _options.Mtu;
        _rx = new ReceiveBuffer(_options.ReceiveBufferBytes, _options.MaxOutOfOrderRanges);
        _rx.Reset(1);
        _sndUna = 0;
        _streamEnd = 1;
        _knownEnd = 1;
        _cwnd = InitialWindow();
        LastReceiveAt = now;
        State = TcpState.SynReceived;
    }

    /// <summary>The one place that changes <see cref="State"/>: keeps the server's tables in step
    /// and queues the upper-layer notifications the change implies.</summary>
    void SetState(TcpState next, long now, CloseReason reason = CloseReason.Normal)
    {
        TcpState previous = State;
        if (previous == next || previous == TcpState.Closed) return;
        if (reason == CloseReason.Normal) reason = _gracefulReason;
        State = next;
        TimersChanged();
        switch (next)
        {
            case TcpState.Established:
                _counters.Increment(NetCounter.TcpConnectionsEstablished);
                _everConnected = true;
                _notifyConnected = true;
                break;
            case TcpState.CloseWait:
                _notifyPeerClosed = true;
                break;
            case TcpState.TimeWait:
                RtoDeadline = long.MaxValue;
                PersistDeadline = long.MaxValue;
                DelayedAckDeadline = long.MaxValue;
                TimeWaitDeadline = now + _options.TimeWaitMs;
                CancelDelegatedRanges(CloseReason.Normal);
                if (_everConnected) { _closeReason = reason; _notifyClosed = true; }
                break;
            case TcpState.Closed:
                CancelDelegatedRanges(reason);
                if (_everConnected && previous != TcpState.TimeWait) { _closeReason = reason; _notifyClosed = true; }
                break;
        }
        _server.OnStateChanged(this, previous, next);
    }

    /// <summary>Ends the connection at once: RST to the client (unless it reset us), owners of
    /// open delegated ranges told, TCB removed.</summary>
    void Terminate(CloseReason reason, bool sendReset, long now)
    {
        if (State == TcpState.Closed) return;
        if (sendReset && State != TcpState.TimeWait) SendReset();
        SetState(TcpState.Closed, now, reason);
    }

    /// <summary>Removes the connection without a RST (a TIME-WAIT entry reused or taken over by a new SYN).</summary>
    internal void ForceClose(long now)
    {
        SetState(TcpState.Closed, now, CloseReason.Normal);
        Flush(now);
    }

    /// <summary>Delivers queued relays and notifications to the owners and the upper layer, after
    /// the stack is done with the event that caused them (callbacks may call back in).</summary>
    void Flush(long now)
    {
        if (_flushing) return;
        _flushing = true;
        try
        {
            ITcpEvents events = _server.Events;
            bool again = true;
            while (again)
            {
                again = false;
                if (_relays.Count > 0)
                {
                    DeliverRelays(now);
                    again = true;
                }
                if (_mtuReports is { Count: > 0 })
                {
                    var reports = _mtuReports.ToArray();
                    _mtuReports.Clear();
                    foreach (var (owner, mtu) in reports) events.OnPathMtuReduced(this, mtu, owner, now);
                    again = true;
                }
                if (_cancelled is { Count: > 0 })
                {
                    var cancelled = _cancelled.ToArray();
                    _cancelled.Clear();
                    foreach (var (owner, start) in cancelled) owner.OnCancelled(this, start, _closeReason, now);
                    again = true;
                }
                if (_notifyConnected) { _notifyConnected = false; events.OnConnected(this, now); again = true; }
                if (_notifyData && State != TcpState.Closed)
                {
                    _notifyData = false;
                    if (_rx.Count > 0) events.OnData(this, now);
                    again = true;
                }
                if (_notifyPeerClosed) { _notifyPeerClosed = false; events.OnPeerClosed(this, now); again = true; }
                if (_notifyClosed) { _notifyClosed = false; events.OnClosed(this, _closeReason, now); again = true; }
                if (again && State != TcpState.Closed) Output(now);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>For logs: "198.18.0.10:40000 -> :80 ESTABLISHED".</summary>
    public override string ToString() =>
        Atcp.Wire.IPv4.IPv4Address.Format(ClientAddress) + ":" + ClientPort + " -> :" + LocalPort + " " + TcpStateNames.Name(State);

    // ---- The upper layer's side: request bytes and closing ----

    /// <summary>In-order request bytes ready to read.</summary>
    public int Available => _rx.Count;

    /// <summary>Copies up to destination.Length request bytes without consuming them.</summary>
    public int Peek(Span<byte> destination) => _rx.Peek(destination);

    /// <summary>Reads and consumes up to destination.Length request bytes.</summary>
    public int Read(Span<byte> destination, long now)
    {
        int n = _rx.Peek(destination);
        Consume(n, now);
        return n;
    }

    /// <summary>Consumes n request bytes (parsed elsewhere). The window reopens; a window update
    /// goes out when it grew by at least min(buffer/2, MSS) (RFC 9293 3.8.6.2.2).</summary>
    public void Consume(int n, long now)
    {
        _server.Touch(now);
        _rx.Consume(n);
        if (State == TcpState.Closed) return;
        if (WindowGrowthWorthAnnouncing()) _ackNow = true;
        Output(now);
        Flush(now);
    }

    /// <summary>Tells the connection a whole request has been read: the slow-request timer stops,
    /// or restarts now when bytes of the next request are already waiting. Beginning a reply
    /// (<see cref="Send"/>, <see cref="TryBeginDelegatedReply"/>) does the same, so a dispatcher
    /// only needs this for a request it answers later.</summary>
    public void RequestComplete(long now)
    {
        RequestStartedAt = _rx.Count > 0 || _rx.RangeCount > 0 ? now : -1;
    }

    /// <summary>True once <see cref="Close"/> was called (FIN pending or sent).</summary>
    public bool CloseRequested => _closeRequested;

    /// <summary>Graceful close: our FIN goes out after every reply queued so far (front-end bytes
    /// sent, delegated ranges sized and completed). Request bytes arriving afterwards are
    /// acknowledged and discarded (lingering close, so a late request cannot turn into a RST that
    /// destroys the reply in flight).</summary>
    public void Close(long now)
    {
        _server.Touch(now);
        if (State is TcpState.Closed or TcpState.SynReceived) { Abort(now); return; }
        if (_closeRequested) return;
        _closeRequested = true;
        _rx.Consume(_rx.Count);
        RequestStartedAt = -1;
        Output(now);
        Flush(now);
    }

    /// <summary>Resets the connection now (RST to the client); open delegated ranges are cancelled.</summary>
    public void Abort(long now)
    {
        _server.Touch(now);
        Terminate(CloseReason.Aborted, true, now);
        Flush(now);
    }
}
