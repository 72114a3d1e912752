using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Tftp;

/// <summary>The front-end's TFTP read service, apart from I/O (SPEC.md section 6.2). Read requests
/// arrive on port 69; the server negotiates options (RFC 2347/2348/2349/7440) itself from a transfer
/// port it picks per session, then delegates the DATA to a board (COMMAND_UDP) and relays each client
/// ACK as DATAGRAM_ACK, unwrapping block numbers. Datagram I/O, board messages and time come from the
/// caller; every method returns the actions to carry out, in order. Choices: netascii and mail are
/// refused with ERROR 0 (boards send file bytes unchanged, so only octet is exact); WRQ gets ERROR 2
/// (read-only); malformed requests ERROR 4; bad options ERROR 8; errors about a request are sent from
/// port 69. Malformed datagrams on a transfer port are ignored; well-formed packets of the wrong kind
/// there end the session with ERROR 4. ERROR packets are never answered.</summary>
public sealed class TftpServer
{
    readonly ITftpCatalog _catalog;
    readonly TftpServerOptions _options;
    readonly Random _random;
    readonly Func<uint> _streamIds;
    uint _nextStreamId = 1;
    readonly Dictionary<ushort, TftpSession> _byPort = new();
    readonly Dictionary<(uint, ushort), TftpSession> _byClient = new();
    readonly Dictionary<uint, TftpSession> _byStream = new();

    /// <summary>A server over catalog with the given options.</summary>
    public TftpServer(ITftpCatalog catalog, TftpServerOptions? options = null)
    {
        _catalog = catalog;
        _options = options ?? TftpServerOptions.Default;
        if (_options.FirstTransferPort > _options.LastTransferPort) throw new ArgumentException("empty transfer port range");
        if (_options.MaxRetransmissions is < 0 or > 255) throw new ArgumentException("MaxRetransmissions must be 0..255");
        if (_options.DefaultTimeoutMs is < 1 or > ushort.MaxValue) throw new ArgumentException("DefaultTimeoutMs must be 1..65535");
        if (_options.PathMtu is < 68 or > 65535) throw new ArgumentException("PathMtu must be 68..65535 (RFC 791)");
        if (_options.MaxWindowSize is < 1 or > 65535) throw new ArgumentException("MaxWindowSize must be 1..65535");
        if (_options.BlockSizeMultiple < 0) throw new ArgumentException("BlockSizeMultiple must not be negative");
        _random = _options.Random ?? Random.Shared;
        _streamIds = _options.StreamIds ?? NextOwnStreamId;
    }

    /// <summary>What happened so far.</summary>
    public TftpServerCounters Counters { get; } = new();

    /// <summary>Sessions in progress.</summary>
    public int SessionCount => _byPort.Count;

    /// <summary>The session of a stream id, or null.</summary>
    public TftpSession? FindSession(uint streamId) => _byStream.GetValueOrDefault(streamId);

    /// <summary>The session on a transfer port, or null.</summary>
    public TftpSession? FindSessionByPort(ushort transferPort) => _byPort.GetValueOrDefault(transferPort);

    /// <summary>The earliest session deadline, or long.MaxValue: call <see cref="OnTimer"/> then.</summary>
    public long NextDeadline
    {
        get
        {
            long next = long.MaxValue;
            foreach (var s in _byPort.Values) if (s.Deadline < next) next = s.Deadline;
            return next;
        }
    }

    /// <summary>Takes one datagram the service address received on localPort (69 or a transfer port)
    /// from clientIp:clientPort.</summary>
    public IReadOnlyList<TftpAction> Receive(uint clientIp, ushort clientPort, ushort localPort, ReadOnlySpan<byte> payload, long now)
    {
        var actions = new List<TftpAction>();
        Counters.DatagramsReceived++;
        if (clientPort == 0) { Counters.Ignored++; return actions; } // no way to answer
        if (localPort == _options.ListenPort) OnRequestPort(clientIp, clientPort, payload, now, actions);
        else if (_byPort.TryGetValue(localPort, out var session)) OnTransferPort(session, clientIp, clientPort, payload, now, actions);
        else Counters.Ignored++;
        return actions;
    }

    /// <summary>The board reported DONE for streamId: the transfer is complete.</summary>
    public IReadOnlyList<TftpAction> OnBoardDone(uint streamId, long now)
    {
        var actions = new List<TftpAction>();
        if (_byStream.TryGetValue(streamId, out var session)) End(session, TftpEndReason.Completed, actions);
        return actions;
    }

    /// <summary>The board aborted streamId: the client is told with an ERROR 0 (it may still be
    /// waiting) unless the board gave up because the client went silent.</summary>
    public IReadOnlyList<TftpAction> OnBoardAbort(uint streamId, AtcpAbortReason reason, long now)
    {
        var actions = new List<TftpAction>();
        if (!_byStream.TryGetValue(streamId, out var session)) return actions;
        string message = reason switch
        {
            AtcpAbortReason.Timeout => "transfer timed out",
            AtcpAbortReason.IoError => "storage read error",
            AtcpAbortReason.Shutdown => "server shutting down",
            _ => "transfer aborted",
        };
        SendError(session.TransferPort, session, TftpErrorCode.NotDefined, message, actions);
        End(session, TftpEndReason.BoardAborted, actions);
        return actions;
    }

    /// <summary>The board refused the COMMAND_UDP of streamId with status (and the dispatcher has no
    /// other board to try): the client gets the matching ERROR.</summary>
    public IReadOnlyList<TftpAction> OnBoardRejected(uint streamId, AtcpServiceStatus status, long now)
    {
        var actions = new List<TftpAction>();
        if (!_byStream.TryGetValue(streamId, out var session)) return actions;
        if (status == AtcpServiceStatus.NotFound) SendError(session.TransferPort, session, TftpErrorCode.FileNotFound, "File not found", actions);
        else if (status == AtcpServiceStatus.Busy) SendError(session.TransferPort, session, TftpErrorCode.NotDefined, "server busy, try again later", actions);
        else if (status == AtcpServiceStatus.IoError) SendError(session.TransferPort, session, TftpErrorCode.NotDefined, "storage read error", actions);
        else SendError(session.TransferPort, session, TftpErrorCode.NotDefined, "transfer refused by storage", actions);
        End(session, TftpEndReason.BoardRejected, actions);
        return actions;
    }

    /// <summary>Runs expired session timers: OACK retransmission and give-up, and the backstops for
    /// a client (or board) that went silent.</summary>
    public IReadOnlyList<TftpAction> OnTimer(long now)
    {
        var actions = new List<TftpAction>();
        var due = _byPort.Values.Where(s => s.Deadline <= now).ToList();
        foreach (var session in due)
        {
            switch (session.State)
            {
                case TftpSessionState.WaitingForOptionAck:
                    // No ACK 0 and no repeated request for (MaxRetransmissions + 1) timeouts: gone.
                    End(session, TftpEndReason.Timeout, actions);
                    break;
                case TftpSessionState.Delegated:
                    // The board should have given up first (ABORT(Timeout)); this is the backstop.
                    actions.Add(new TftpAbortStream(session.StreamId, AtcpAbortReason.Timeout));
                    End(session, TftpEndReason.Timeout, actions);
                    break;
                case TftpSessionState.Completing:
                    // The client has everything; DONE was lost or the board is finishing.
                    End(session, TftpEndReason.Completed, actions);
                    break;
            }
        }
        return actions;
    }

    void OnRequestPort(uint clientIp, ushort clientPort, ReadOnlySpan<byte> payload, long now, List<TftpAction> actions)
    {
        var parsed = TftpPacketParser.Parse(payload);
        if (!parsed.IsOk)
        {
            Counters.Malformed++;
            // Never answer an ERROR (no error loops), nor a datagram too short to be TFTP at all.
            if (payload.Length < 2 || parsed.RawOpcode == (ushort)TftpOpcode.Error) return;
            if (parsed.Status == TftpParseStatus.BadFilename) ReplyError(clientIp, clientPort, TftpErrorCode.FileNotFound, "File not found", actions);
            else if (parsed.Status == TftpParseStatus.OptionWithoutValue || parsed.Status == TftpParseStatus.EmptyOptionName)
                ReplyError(clientIp, clientPort, TftpErrorCode.OptionNegotiation, "malformed option list", actions);
            else ReplyError(clientIp, clientPort, TftpErrorCode.IllegalOperation, "Illegal TFTP operation: " + Describe(parsed.Status), actions);
            return;
        }
        switch (parsed.Packet)
        {
            case TftpRequest { Kind: TftpOpcode.ReadRequest } request:
                OnReadRequest(clientIp, clientPort, request, now, actions);
                break;
            case TftpRequest:
                Counters.Refused++;
                ReplyError(clientIp, clientPort, TftpErrorCode.AccessViolation, "Access violation: read-only server", actions);
                break;
            case TftpError:
                Counters.Ignored++;
                break;
            default:
                Counters.Malformed++;
                ReplyError(clientIp, clientPort, TftpErrorCode.IllegalOperation, "Illegal TFTP operation: expected a request", actions);
                break;
        }
    }

    void OnReadRequest(uint clientIp, ushort clientPort, TftpRequest request, long now, List<TftpAction> actions)
    {
        if (_byClient.TryGetValue((clientIp, clientPort), out var existing))
        {
            // The client repeated its request: our OACK was lost. Later on, the DATA answers it.
            Counters.RepeatedRequests++;
            if (existing.State == TftpSessionState.WaitingForOptionAck)
            {
                existing.OptionAckResends++;
                Counters.OptionAckResends++;
                existing.Deadline = now + OptionAckWaitMs(existing);
                actions.Add(new TftpSendDatagram(existing.TransferPort, clientIp, clientPort, existing.OptionAck!));
            }
            return;
        }
        Counters.ReadRequests++;
        string mode = request.Mode.ToLowerInvariant();
        if (mode is "netascii" or "mail")
        {
            Counters.Refused++;
            ReplyError(clientIp, clientPort, TftpErrorCode.NotDefined, mode + " not supported, use octet", actions);
            return;
        }
        if (mode != "octet")
        {
            Counters.Refused++;
            ReplyError(clientIp, clientPort, TftpErrorCode.IllegalOperation, "Illegal TFTP operation: unknown mode", actions);
            return;
        }
        var file = _catalog.Find(request.Filename);
        if (file == null)
        {
            Counters.NotFound++;
            ReplyError(clientIp, clientPort, TftpErrorCode.FileNotFound, "File not found", actions);
            return;
        }
        var negotiation = TftpNegotiation.Negotiate(request.Options, file.Size,
            Math.Min(TftpNegotiation.BlockSizeLimit(_options.PathMtu), AtcpCommandUdp.MaxDatagramPayload - AtcpCommandUdp.TftpDataHeaderLength),
            _options.BlockSizeMultiple, _options.MaxWindowSize);
        if (!negotiation.IsOk)
        {
            Counters.Refused++;
            ReplyError(clientIp, clientPort, TftpErrorCode.OptionNegotiation, negotiation.Error!, actions);
            return;
        }
        var agreement = negotiation.Agreement!;
        // DATAGRAM_ACK numbers are 32 bits (SPEC.md 5.5).
        if (file.Size / agreement.BlockSize + 1 > uint.MaxValue)
        {
            Counters.Refused++;
            ReplyError(clientIp, clientPort, TftpErrorCode.DiskFull, "file too large for this block size", actions);
            return;
        }
        if (_byPort.Count >= _options.MaxSessions || !TryPickPort(out ushort port))
        {
            Counters.Refused++;
            ReplyError(clientIp, clientPort, TftpErrorCode.NotDefined, "server busy, try again later", actions);
            return;
        }
        uint streamId = _streamIds();
        int timeoutMs = agreement.TimeoutSeconds is int seconds ? Math.Min(seconds * 1000, ushort.MaxValue) : _options.DefaultTimeoutMs;
        var session = new TftpSession(streamId, clientIp, clientPort, port, request.Filename, file, agreement, timeoutMs);
        _byPort[port] = session;
        _byClient[(clientIp, clientPort)] = session;
        _byStream[streamId] = session;
        Counters.SessionsStarted++;
        actions.Add(new TftpSessionStarted(streamId, port, clientIp, clientPort, request.Filename));

        if (agreement.Accepted.Count > 0)
        {
            session.State = TftpSessionState.WaitingForOptionAck;
            session.OptionAck = new TftpOptionAck(agreement.Accepted).ToBytes();
            session.Deadline = now + OptionAckWaitMs(session);
            actions.Add(new TftpSendDatagram(port, clientIp, clientPort, session.OptionAck));
        }
        else Delegate(session, now, actions); // RFC 2347: no options accepted, DATA answers the request
    }

    void OnTransferPort(TftpSession session, uint clientIp, ushort clientPort, ReadOnlySpan<byte> payload, long now, List<TftpAction> actions)
    {
        var parsed = TftpPacketParser.Parse(payload);
        if (clientIp != session.ClientIp || clientPort != session.ClientPort)
        {
            // RFC 1350 section 4: tell the stranger, leave the transfer alone.
            Counters.UnknownTransferIds++;
            if (parsed.RawOpcode != (ushort)TftpOpcode.Error)
                actions.Add(new TftpSendDatagram(session.TransferPort, clientIp, clientPort,
                    new TftpError(TftpErrorCode.UnknownTransferId, "Unknown transfer ID").ToBytes()));
            return;
        }
        if (!parsed.IsOk) { Counters.Malformed++; return; }
        switch (parsed.Packet)
        {
            case TftpAck ack:
                OnAck(session, ack.Block, now, actions);
                break;
            case TftpError:
                Counters.ClientErrors++;
                if (session.State != TftpSessionState.WaitingForOptionAck)
                    actions.Add(new TftpAbortStream(session.StreamId, AtcpAbortReason.ClientReset));
                End(session, TftpEndReason.ClientError, actions);
                break;
            default:
                Counters.Malformed++;
                SendError(session.TransferPort, session, TftpErrorCode.IllegalOperation, "Illegal TFTP operation", actions);
                if (session.State != TftpSessionState.WaitingForOptionAck)
                    actions.Add(new TftpAbortStream(session.StreamId, AtcpAbortReason.ProtocolError));
                End(session, TftpEndReason.IllegalOperation, actions);
                break;
        }
    }

    void OnAck(TftpSession session, ushort block, long now, List<TftpAction> actions)
    {
        if (session.State == TftpSessionState.WaitingForOptionAck)
        {
            if (block == 0) Delegate(session, now, actions);
            else Counters.AcksDropped++;
            return;
        }
        long unwrapped = session.Unwrap(block);
        // Older than what was relayed, or beyond the last block: nothing the board could use.
        if (unwrapped < session.HighestAck || unwrapped > session.LastBlock) { Counters.AcksDropped++; return; }
        // Duplicates are relayed too: if the previous relay was lost, the client's repeated ACK
        // (after the board resent the window) is how the board learns of it.
        session.HighestAck = unwrapped;
        session.AcksRelayed++;
        Counters.AcksRelayed++;
        actions.Add(new TftpRelayAck(session.StreamId, (uint)unwrapped));
        // After the last block the session lingers, still relaying, until DONE or the backstop.
        if (unwrapped == session.LastBlock) session.State = TftpSessionState.Completing;
        session.Deadline = now + BackstopMs(session);
    }

    void Delegate(TftpSession session, long now, List<TftpAction> actions)
    {
        session.State = TftpSessionState.Delegated;
        session.OptionAck = null;
        session.Deadline = now + BackstopMs(session);
        session.Transfer = new TftpTransfer(session.StreamId, session.ClientIp, session.ClientPort, _options.ServiceIp,
            session.TransferPort, session.File, session.Agreement.BlockSize, session.Agreement.WindowSize, session.TimeoutMs,
            _options.MaxRetransmissions);
        Counters.Delegations++;
        actions.Add(new TftpDelegate(session.Transfer));
    }

    // The OACK is sent once per request: a lost OACK is repaired by the client repeating its request,
    // a lost ACK 0 by the client repeating it (RFC 1350: the side that waits retransmits). A second
    // OACK on our own timer would not help and makes clients such as atftp abort ("unexpected OACK").
    // The session ends after this much silence.
    int OptionAckWaitMs(TftpSession session) => session.TimeoutMs * (_options.MaxRetransmissions + 1);

    // Silence this long after the last client ACK means the board has given up (it resends a window
    // MaxRetransmissions times with doubling waits, each at most MaxBackoffFactor timeouts, see
    // firmware/Atcp.Firmware/Udp/DatagramSender.cs) and its ABORT did not reach us.
    long BackstopMs(TftpSession session)
    {
        long total = session.TimeoutMs, cap = (long)session.TimeoutMs * MaxBackoffFactor;
        for (int k = 0; k <= _options.MaxRetransmissions; k++) total += Math.Min((long)session.TimeoutMs << Math.Min(k, 20), cap);
        return total;
    }

    /// <summary>The board's retransmit wait doubles per timeout in a row up to this many timeouts
    /// (firmware DatagramSender.MaxBackoffFactor).</summary>
    public const int MaxBackoffFactor = 8;

    void End(TftpSession session, TftpEndReason reason, List<TftpAction> actions)
    {
        _byPort.Remove(session.TransferPort);
        _byClient.Remove((session.ClientIp, session.ClientPort));
        _byStream.Remove(session.StreamId);
        Counters.CountEnd(reason);
        actions.Add(new TftpSessionEnded(session.StreamId, session.TransferPort, reason));
    }

    bool TryPickPort(out ushort port)
    {
        int first = _options.FirstTransferPort, count = _options.LastTransferPort - first + 1;
        int start = _random.Next(count);
        for (int i = 0; i < count; i++)
        {
            port = (ushort)(first + (start + i) % count);
            if (port != _options.ListenPort && port != 0 && !_byPort.ContainsKey(port)) return true;
        }
        port = 0;
        return false;
    }

    uint NextOwnStreamId()
    {
        uint id;
        do { id = _nextStreamId++; } while (id == AtcpStream.AllStreams || _byStream.ContainsKey(id));
        return id;
    }

    void SendError(ushort fromPort, TftpSession session, TftpErrorCode code, string message, List<TftpAction> actions) =>
        actions.Add(new TftpSendDatagram(fromPort, session.ClientIp, session.ClientPort, new TftpError(code, message).ToBytes()));

    void ReplyError(uint clientIp, ushort clientPort, TftpErrorCode code, string message, List<TftpAction> actions) =>
        actions.Add(new TftpSendDatagram(_options.ListenPort, clientIp, clientPort, new TftpError(code, message).ToBytes()));

    static string Describe(TftpParseStatus status) => status switch
    {
        TftpParseStatus.Truncated => "truncated packet",
        TftpParseStatus.UnknownOpcode => "unknown opcode",
        TftpParseStatus.Unterminated => "string without NUL",
        TftpParseStatus.EmptyFilename => "empty file name",
        TftpParseStatus.EmptyMode => "empty mode",
        TftpParseStatus.TooLong => "request longer than 512 bytes",
        TftpParseStatus.TrailingBytes => "bytes after the packet",
        _ => "malformed packet",
    };
}
