using Atcp.Frontend.Cluster;
using Atcp.Frontend.Http;
using Atcp.Frontend.Net;
using Atcp.Frontend.Tftp;
using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Engine;

/// <summary>The cluster's files as TFTP names them, over the same catalog as HTTP: "cd/VOLUME/path"
/// is a CD file, anything else a disk object (a leading '/' is ignored). The location handed back is
/// the registry's <see cref="ObjectEntry"/>.</summary>
public sealed class RegistryTftpCatalog(RegistryCatalog catalog) : ITftpCatalog
{
    /// <inheritdoc/>
    public TftpFile? Find(string filename)
    {
        string name = filename.TrimStart('/');
        ObjectLocation location;
        if (name.StartsWith("cd/", StringComparison.Ordinal))
        {
            int slash = name.IndexOf('/', 3);
            if (slash < 0) return null;
            location = ObjectLocation.OnCd(name[3..slash], name[(slash + 1)..]);
        }
        else location = ObjectLocation.OnDisk(name);
        var info = catalog.Find(location);
        if (info == null || info.Handle is not ObjectEntry entry) return null;
        return new TftpFile(name, entry.Size, entry);
    }
}

/// <summary>TFTP on the service address: runs the <see cref="TftpServer"/> on port 69 and its
/// transfer ports, turns its delegations into COMMAND_UDPs to the best holder (SPEC 6.2), relays
/// the client's ACKs as DATAGRAM_ACKs and feeds the boards' SERVICE_ACK, DONE and ABORT back.</summary>
public sealed class TftpDispatcher : IUdpHandler
{
    /// <summary>How long a delegation waits for the client's next-hop MAC (ARP) before giving up.</summary>
    const int MacWaitMs = 1000, MacRetryMs = 20;

    /// <summary>Each client ACK goes to the board this many times. A lost relay costs the board a
    /// retransmit timeout, and a client that acknowledges a resent window only once (atftp sends one
    /// "extra ACK", then waits 5 s of silence) turns a second loss into a stall of seconds; the copy
    /// (a 60-byte frame per window) makes the relay leg as good as lossless. The board ignores the
    /// copy as a duplicate (RFC 1123 4.2.3.1: duplicates never trigger resends).</summary>
    public const int AckRelayCopies = 2;

    sealed class Stream
    {
        public required TftpTransfer Transfer;
        public readonly AtcpCommandUdpRepr Command = new();
        public readonly HashSet<ushort> Tried = [];
        public ushort Board;
        public bool Running;    // the board accepted
        public bool Commanded;  // a COMMAND_UDP is out
        public int Attempts;
        public long RetryAt = long.MaxValue;
        public long MacDeadline;
    }

    readonly FrontendOptions _options;
    readonly TftpServerOptions _serverOptions;
    readonly Dictionary<uint, Stream> _streams = new();

    /// <summary>The protocol logic.</summary>
    public TftpServer Server { get; }
    /// <summary>Set by the engine.</summary>
    internal NetStack Stack { get; set; } = null!;
    /// <summary>Set by the engine.</summary>
    internal BoardChannel Channel { get; set; } = null!;
    /// <summary>Transfers that ended because no board could serve them, or the board failed.</summary>
    public long BoardFailures { get; private set; }
    /// <summary>COMMAND_UDPs sent (first sends and retries).</summary>
    public long CommandsSent { get; private set; }
    /// <summary>DATAGRAM_ACK frames sent to boards (<see cref="AckRelayCopies"/> per client ACK relayed).</summary>
    public long RelayedAcks { get; private set; }
    /// <summary>Datagrams to ports TFTP does not use.</summary>
    public long OtherPortDatagrams { get; private set; }

    internal TftpDispatcher(FrontendOptions options, RegistryCatalog catalog, Func<uint> streamIds)
    {
        _options = options;
        _serverOptions = new TftpServerOptions
        {
            ServiceIp = options.Net.Address,
            PathMtu = options.Net.Mtu,
            BlockSizeMultiple = options.BoardChunkSize,
            StreamIds = streamIds,
        };
        Server = new TftpServer(new RegistryTftpCatalog(catalog), _serverOptions);
    }

    /// <summary>True when streamId is a TFTP stream (board messages for it come here).</summary>
    public bool Owns(uint streamId) => _streams.ContainsKey(streamId) || Server.FindSession(streamId) != null;

    /// <summary>TFTP streams delegated to boards.</summary>
    public int ActiveStreams => _streams.Count;

    /// <inheritdoc/>
    public void OnDatagram(uint source, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, long now)
    {
        if (destinationPort != _serverOptions.ListenPort && Server.FindSessionByPort(destinationPort) == null) { OtherPortDatagrams++; return; }
        Run(Server.Receive(source, sourcePort, destinationPort, payload, now), now);
    }

    void Run(IReadOnlyList<TftpAction> actions, long now)
    {
        foreach (var a in actions)
        {
            switch (a)
            {
                case TftpSendDatagram d:
                    Stack.SendUdp(d.FromPort, d.ClientIp, d.ClientPort, d.Payload);
                    break;
                case TftpDelegate g:
                    Delegate(g.Transfer, now);
                    break;
                case TftpRelayAck r:
                    if (_streams.TryGetValue(r.StreamId, out var rs) && rs.Commanded)
                    {
                        var relay = new AtcpDatagramAckRepr { StreamId = r.StreamId, Block = r.Block };
                        for (int i = 0; i < AckRelayCopies; i++) Channel.Send(rs.Board, relay);
                        RelayedAcks += AckRelayCopies;
                    }
                    break;
                case TftpAbortStream x:
                    if (_streams.Remove(x.StreamId, out var xs) && xs.Commanded)
                    {
                        var abort = new AtcpAbortRepr { StreamId = x.StreamId, Reason = x.Reason };
                        for (int i = 0; i < 3; i++) Channel.Send(xs.Board, abort); // SPEC 6.5: three times
                    }
                    break;
                case TftpSessionEnded e:
                    _streams.Remove(e.StreamId);
                    break;
            }
        }
    }

    void Delegate(TftpTransfer transfer, long now)
    {
        var s = new Stream { Transfer = transfer, MacDeadline = now + MacWaitMs };
        transfer.FillCommand(s.Command);
        s.Command.Ttl = _options.Net.Ttl;
        var entry = (ObjectEntry)transfer.File.Location!;
        s.Command.Opcode = entry.IsCd ? AtcpServiceOpcode.SendCdFile : AtcpServiceOpcode.SendDiskObject;
        s.Command.Name.SetText(entry.Name);
        _streams[transfer.StreamId] = s;
        TryStart(s, now);
    }

    // Needs the client's next-hop MAC (the board addresses its datagrams to it), then a board.
    void TryStart(Stream s, long now)
    {
        Span<byte> mac = stackalloc byte[6];
        if (!Stack.TryGetNextHopMac(s.Transfer.ClientIp, mac))
        {
            if (now >= s.MacDeadline) { Fail(s, AtcpServiceStatus.Busy, now); return; }
            s.RetryAt = now + MacRetryMs;
            return;
        }
        mac.CopyTo(s.Command.NextHopMac);
        mac.CopyTo(s.Command.ClientMac);
        if (!SendToNextBoard(s, now)) Fail(s, AtcpServiceStatus.Busy, now);
    }

    bool SendToNextBoard(Stream s, long now)
    {
        var entry = (ObjectEntry)s.Transfer.File.Location!;
        var board = Channel.Registry.Choose(entry.Key, s.Tried);
        if (board == null) return false;
        s.Command.Volume = board.Inventory.TryGetValue(entry.Key, out var e) ? e.Volume : entry.Volume;
        s.Board = board.Id;
        s.Tried.Add(board.Id);
        s.Attempts = 1;
        s.Commanded = true;
        s.RetryAt = now + _options.CommandRetryMs;
        Channel.Send(board.Id, s.Command);
        CommandsSent++;
        return true;
    }

    void Fail(Stream s, AtcpServiceStatus status, long now)
    {
        _streams.Remove(s.Transfer.StreamId);
        BoardFailures++;
        Run(Server.OnBoardRejected(s.Transfer.StreamId, status, now), now);
    }

    /// <summary>A SERVICE_ACK for a TFTP stream.</summary>
    internal void OnServiceAck(ushort board, AtcpServiceAckRepr ack, long now)
    {
        if (!_streams.TryGetValue(ack.StreamId, out var s) || s.Board != board || !s.Commanded) return;
        switch (ack.Status)
        {
            case AtcpServiceStatus.Accepted:
            case AtcpServiceStatus.InProgress:
                s.Running = true;
                s.RetryAt = long.MaxValue;
                break;
            case AtcpServiceStatus.Complete:
                _streams.Remove(ack.StreamId);
                Run(Server.OnBoardDone(ack.StreamId, now), now);
                break;
            default:
                if (s.Running) { OnAbort(board, ack.StreamId, AtcpAbortReason.ProtocolError, now); break; }
                // Refused before sending: another holder, or the client hears why.
                if (ack.Status == AtcpServiceStatus.NotFound || ack.Status == AtcpServiceStatus.Busy || ack.Status == AtcpServiceStatus.NoSuchVolume)
                    if (SendToNextBoard(s, now)) break;
                Fail(s, ack.Status, now);
                break;
        }
    }

    /// <summary>A DONE for a TFTP stream.</summary>
    internal void OnDone(ushort board, uint streamId, long now)
    {
        if (_streams.TryGetValue(streamId, out var s) && s.Board != board) return;
        _streams.Remove(streamId);
        Run(Server.OnBoardDone(streamId, now), now);
    }

    /// <summary>An ABORT from a board (stream id 0: all of that board's).</summary>
    internal void OnAbort(ushort board, uint streamId, AtcpAbortReason reason, long now)
    {
        foreach (var s in _streams.Values.Where(x => x.Commanded && x.Board == board && (streamId == 0 || x.Transfer.StreamId == streamId)).ToList())
        {
            _streams.Remove(s.Transfer.StreamId);
            BoardFailures++;
            Run(Server.OnBoardAbort(s.Transfer.StreamId, reason, now), now);
        }
    }

    /// <summary>A board went down or restarted: its transfers not yet running go elsewhere, the rest end.</summary>
    internal void OnBoardLost(ushort board, long now)
    {
        foreach (var s in _streams.Values.Where(x => x.Commanded && x.Board == board).ToList())
        {
            if (!s.Running && SendToNextBoard(s, now)) continue;
            if (!s.Running) { Fail(s, AtcpServiceStatus.Busy, now); continue; }
            _streams.Remove(s.Transfer.StreamId);
            BoardFailures++;
            Run(Server.OnBoardAbort(s.Transfer.StreamId, AtcpAbortReason.Shutdown, now), now);
        }
    }

    /// <summary>TFTP timers, COMMAND_UDP retries and ARP waits.</summary>
    public void Poll(long now)
    {
        foreach (var s in _streams.Values.Where(x => now >= x.RetryAt).ToList())
        {
            if (!s.Commanded) { TryStart(s, now); continue; }
            if (s.Running) { s.RetryAt = long.MaxValue; continue; }
            if (s.Attempts <= _options.CommandRetries)
            {
                s.Attempts++;
                s.RetryAt = now + (_options.CommandRetryMs << (s.Attempts - 1));
                Channel.Send(s.Board, s.Command, AtcpHeaderFlags.Retransmission);
                CommandsSent++;
            }
            else if (!SendToNextBoard(s, now)) Fail(s, AtcpServiceStatus.Busy, now);
        }
        if (now >= Server.NextDeadline) Run(Server.OnTimer(now), now);
    }

    /// <summary>Earliest timer.</summary>
    public long NextDeadline
    {
        get
        {
            long next = Server.NextDeadline;
            foreach (var s in _streams.Values) next = Math.Min(next, s.RetryAt);
            return next;
        }
    }
}
