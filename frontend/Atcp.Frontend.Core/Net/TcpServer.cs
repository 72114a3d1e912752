using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

/// <summary>The TCP server side of the stack: listening ports (RFC 9293 LISTEN processing), the
/// connection table with its limits (total, per client, SYN backlog), SYN cookies when the backlog
/// is full, RSTs for segments nobody owns, and the timers of every connection.</summary>
public sealed class TcpServer
{
    readonly NetStack _stack;
    readonly SequenceSecrets _secrets;
    readonly HashSet<ushort> _listening = new();
    // Keyed by client address, client port and our port packed in 64 bits (our address is the one
    // service address): the lookup runs for every segment, and a ulong key hashes and compares in a
    // few instructions.
    readonly Dictionary<ulong, TcpConnection> _connections = new();
    readonly Dictionary<uint, int> _perClient = new();
    readonly LinkedList<TcpConnection> _timeWait = new();
    readonly Dictionary<TcpConnection, LinkedListNode<TcpConnection>> _timeWaitNodes = new();
    long _lastCookieAt = long.MinValue;

    internal NetStackOptions Options { get; }
    internal NetCounters Counters { get; }
    internal ITcpEvents Events { get; }
    internal TcpRepr TxHeader { get; } = new();

    internal TcpServer(NetStack stack, NetStackOptions options, NetCounters counters, ITcpEvents events)
    {
        _stack = stack;
        Options = options;
        Counters = counters;
        Events = events;
        _secrets = new SequenceSecrets(options.Secret);
    }

    /// <summary>Accepts connections on port.</summary>
    public void Listen(ushort port) => _listening.Add(port);

    /// <summary>Stops accepting new connections on port (existing ones go on).</summary>
    public void StopListening(ushort port) => _listening.Remove(port);

    /// <summary>Connections in the table, TIME-WAIT included.</summary>
    public int ConnectionCount => _connections.Count;
    /// <summary>Connections in SYN-RECEIVED (the SYN backlog).</summary>
    public int SynReceivedCount { get; private set; }
    /// <summary>Connections in TIME-WAIT.</summary>
    public int TimeWaitCount => _timeWait.Count;
    /// <summary>Every connection in the table.</summary>
    public IEnumerable<TcpConnection> Connections => _connections.Values;

    /// <summary>The connection of a client address and port on our port, or null.</summary>
    public TcpConnection? Find(uint clientAddress, ushort clientPort, ushort localPort) =>
        _connections.GetValueOrDefault(Key(clientAddress, clientPort, localPort));

    static ulong Key(uint clientAddress, ushort clientPort, ushort localPort) =>
        (ulong)clientAddress << 32 | (uint)clientPort << 16 | localPort;

    /// <summary>Live connections (not TIME-WAIT) from a client address.</summary>
    public int ConnectionsFrom(uint clientAddress) => _perClient.GetValueOrDefault(clientAddress);

    /// <summary>Runs the timers of the connections that are due.</summary>
    internal void Poll(long now)
    {
        // Collected first (timers may remove connections from the table); most polls find none.
        _due.Clear();
        _due.AddRange(Timers.CollectDue(now));
        foreach (var connection in _due) connection.OnTimer(now);
        _due.Clear();
    }

    readonly List<TcpConnection> _due = new();

    /// <summary>Every connection's next deadline, cached (see <see cref="ConnectionTimers"/>).</summary>
    internal ConnectionTimers Timers { get; } = new();

    /// <summary>Numbers connections in creation order.</summary>
    internal long NextConnectionOrder;

    /// <summary>The earliest deadline among the connections.</summary>
    internal long NextDeadline() => Timers.NextDeadline();

    /// <summary>True when some connection is sending bytes the front-end made (see
    /// <see cref="TcpConnection.SendingOwnBytes"/>).</summary>
    internal bool AnySendingOwnBytes() => Timers.AnySendingOwnBytes();

    /// <summary>A checked TCP segment from source to our address.</summary>
    internal void OnSegment(uint source, TcpRepr segment, ReadOnlySpan<byte> payload, long now)
    {
        ulong key = Key(source, segment.SourcePort, segment.DestinationPort);
        byte flags = segment.Flags;
        if (_connections.TryGetValue(key, out TcpConnection? connection))
        {
            // RFC 9293 3.10.7.4 / RFC 6191: a new SYN may take over a TIME-WAIT connection when
            // its sequence number is beyond the old one's.
            bool newSyn = (flags & (TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Rst)) == TcpFlags.Syn;
            if (!(newSyn && connection.State == TcpState.TimeWait && unchecked((int)(segment.SequenceNumber - connection.ReceiveNext)) > 0))
            {
                connection.OnSegment(segment, payload, now);
                return;
            }
            connection.ForceClose(now);
        }
        if (!_listening.Contains(segment.DestinationPort))
        {
            RefuseUnknown(source, segment, payload.Length);
            return;
        }
        OnListenSegment(source, segment, payload, now);
    }

    // RFC 9293 3.10.7.2, LISTEN.
    void OnListenSegment(uint source, TcpRepr segment, ReadOnlySpan<byte> payload, long now)
    {
        byte flags = segment.Flags;
        if ((flags & TcpFlags.Rst) != 0) return;
        if ((flags & TcpFlags.Ack) != 0)
        {
            if ((flags & TcpFlags.Syn) == 0 && TryCookie(source, segment, payload, now)) return;
            RefuseUnknown(source, segment, payload.Length);
            return;
        }
        if ((flags & TcpFlags.Syn) == 0) { Counters.Increment(NetCounter.TcpNoConnection); return; }
        if (payload.Length > 0) Counters.Increment(NetCounter.TcpSynDataIgnored);

        if (ConnectionsFrom(source) >= Options.MaxConnectionsPerClient)
        {
            // Dropped silently, like a full accept queue: a RST would let one client probe our limits for free.
            Counters.Increment(NetCounter.TcpPerClientLimit);
            return;
        }
        int mss = segment.HasMaxSegmentSize ? segment.MaxSegmentSize : 536; // RFC 9293 3.7.1 default
        if (SynReceivedCount >= Options.SynBacklog)
        {
            SendCookieSynAck(source, segment, mss, now);
            return;
        }
        if (!MakeRoom())
        {
            Counters.Increment(NetCounter.TcpTableFull);
            return;
        }
        uint iss = _secrets.InitialSequence(Options.Address, segment.DestinationPort, source, segment.SourcePort, now);
        var connection = new TcpConnection(this, source, segment.SourcePort, segment.DestinationPort, iss,
            segment.SequenceNumber, Math.Max(mss, 64), segment.HasWindowScale, segment.WindowScale, segment.SackPermitted, now);
        Add(connection);
        connection.StartHandshake(now);
    }

    void SendCookieSynAck(uint source, TcpRepr syn, int mss, long now)
    {
        var options = new SynCookieOptions(mss, syn.SackPermitted, syn.HasWindowScale, syn.WindowScale);
        uint cookie = _secrets.MakeCookie(Options.Address, syn.DestinationPort, source, syn.SourcePort, syn.SequenceNumber, options, now);
        _lastCookieAt = now;
        Counters.Increment(NetCounter.TcpSynCookiesSent);
        TcpRepr h = TxHeader;
        ushort clientPort = syn.SourcePort, localPort = syn.DestinationPort;
        uint ack = unchecked(syn.SequenceNumber + 1);
        bool windowScale = syn.HasWindowScale, sack = syn.SackPermitted;
        h.Reset();
        h.SourcePort = localPort;
        h.DestinationPort = clientPort;
        h.SequenceNumber = cookie;
        h.AcknowledgmentNumber = ack;
        h.Flags = TcpFlags.Syn | TcpFlags.Ack;
        h.Window = (ushort)Math.Min(Options.ReceiveBufferBytes, 65535);
        h.HasMaxSegmentSize = true;
        h.MaxSegmentSize = (ushort)Options.Mss;
        if (windowScale) { h.HasWindowScale = true; h.WindowScale = (byte)Options.WindowScale; }
        h.SackPermitted = sack;
        Transmit(source, h, default);
    }

    // An ACK at a listener may complete a cookie handshake (RFC 4987 3.6). Cookies are checked
    // only while we have sent some recently, so outside a flood a guessed cookie is worth nothing.
    bool TryCookie(uint source, TcpRepr segment, ReadOnlySpan<byte> payload, long now)
    {
        if (_lastCookieAt == long.MinValue || now - _lastCookieAt > 2 * SequenceSecrets.CookiePeriodMs) return false;
        uint cookie = unchecked(segment.AcknowledgmentNumber - 1);
        uint clientIsn = unchecked(segment.SequenceNumber - 1);
        if (!_secrets.CheckCookie(Options.Address, segment.DestinationPort, source, segment.SourcePort, clientIsn, cookie, now, out var options))
        {
            Counters.Increment(NetCounter.TcpSynCookiesRejected);
            return false;
        }
        if (ConnectionsFrom(source) >= Options.MaxConnectionsPerClient || !MakeRoom())
        {
            Counters.Increment(ConnectionsFrom(source) >= Options.MaxConnectionsPerClient ? NetCounter.TcpPerClientLimit : NetCounter.TcpTableFull);
            return false;
        }
        Counters.Increment(NetCounter.TcpSynCookiesAccepted);
        var connection = new TcpConnection(this, source, segment.SourcePort, segment.DestinationPort, cookie, clientIsn,
            options.Mss, options.HasWindowScale, options.WindowScale, options.SackPermitted, now);
        Add(connection);
        connection.OnSegment(segment, payload, now);
        return true;
    }

    // Frees a table slot by reusing the oldest TIME-WAIT connection when the table is full.
    bool MakeRoom()
    {
        if (_connections.Count < Options.MaxConnections) return true;
        if (_timeWait.First is null) return false;
        Counters.Increment(NetCounter.TcpTimeWaitReused);
        _timeWait.First.Value.ForceClose(0);
        return _connections.Count < Options.MaxConnections;
    }

    void Add(TcpConnection connection)
    {
        _connections[Key(connection.ClientAddress, connection.ClientPort, connection.LocalPort)] = connection;
        _perClient[connection.ClientAddress] = ConnectionsFrom(connection.ClientAddress) + 1;
        SynReceivedCount++;
    }

    /// <summary>Kept in step by <see cref="TcpConnection"/>'s SetState.</summary>
    internal void OnStateChanged(TcpConnection connection, TcpState from, TcpState to)
    {
        if (from == TcpState.SynReceived) SynReceivedCount--;
        bool wasLive = from != TcpState.TimeWait;
        bool isLive = to is not (TcpState.TimeWait or TcpState.Closed);
        if (wasLive && !isLive)
        {
            int n = ConnectionsFrom(connection.ClientAddress) - 1;
            if (n <= 0) _perClient.Remove(connection.ClientAddress);
            else _perClient[connection.ClientAddress] = n;
        }
        if (to == TcpState.TimeWait) _timeWaitNodes[connection] = _timeWait.AddLast(connection);
        if (to == TcpState.Closed)
        {
            if (_timeWaitNodes.Remove(connection, out var node)) _timeWait.Remove(node);
            ulong key = Key(connection.ClientAddress, connection.ClientPort, connection.LocalPort);
            if (_connections.TryGetValue(key, out var current) && current == connection) _connections.Remove(key);
        }
    }

    /// <summary>RFC 9293 3.10.7.1: a segment for no connection gets a RST, never one for a RST:
    /// with ACK, &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;; otherwise
    /// &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;.</summary>
    void RefuseUnknown(uint source, TcpRepr segment, int payloadLength)
    {
        Counters.Increment(NetCounter.TcpNoConnection);
        if (!Options.ResetUnknownSegments || (segment.Flags & TcpFlags.Rst) != 0) return;
        if ((segment.Flags & TcpFlags.Ack) != 0)
        {
            SendReset(source, segment.SourcePort, segment.DestinationPort, segment.AcknowledgmentNumber, 0, false);
            return;
        }
        int length = payloadLength + ((segment.Flags & TcpFlags.Syn) != 0 ? 1 : 0) + ((segment.Flags & TcpFlags.Fin) != 0 ? 1 : 0);
        SendReset(source, segment.SourcePort, segment.DestinationPort, 0, unchecked(segment.SequenceNumber + (uint)length), true);
    }

    internal void SendReset(uint destination, ushort clientPort, ushort localPort, uint sequence, uint ack, bool withAck)
    {
        TcpRepr h = TxHeader;
        h.Reset();
        h.SourcePort = localPort;
        h.DestinationPort = clientPort;
        h.SequenceNumber = sequence;
        h.AcknowledgmentNumber = ack;
        h.Flags = (byte)(TcpFlags.Rst | (withAck ? TcpFlags.Ack : 0));
        Transmit(destination, h, default);
        Counters.Increment(NetCounter.TcpResetsSent);
    }

    /// <summary>ICMP fragmentation-needed about a segment we (or a board) sent to client:clientPort.</summary>
    internal void OnFragmentationNeeded(uint client, ushort localPort, ushort clientPort, uint quotedSequence, int mtu, long now)
    {
        TcpConnection? connection = Find(client, clientPort, localPort);
        if (connection is null)
        {
            Counters.Increment(NetCounter.IcmpFragmentationNeededIgnored);
            return;
        }
        connection.OnFragmentationNeeded(quotedSequence, mtu, now);
    }

    /// <summary>The next hop's MAC for a client, or null while it is being resolved.</summary>
    internal byte[]? NextHopMac(uint client)
    {
        var mac = new byte[6];
        return _stack.TryGetNextHopMac(client, mac) ? mac : null;
    }

    /// <summary>Lets the stack know the time when the upper layer calls in from outside a frame or poll.</summary>
    internal void Touch(long now) => _stack.Now = now;

    internal void Transmit(uint destination, TcpRepr header, ReadOnlySpan<byte> payload)
    {
        Counters.Increment(NetCounter.TcpSegmentsSent);
        _stack.SendTcp(destination, header, payload);
    }
}
