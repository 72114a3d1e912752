using Atcp.Frontend.Cluster;
using Atcp.Frontend.Http;
using Atcp.Frontend.Net;
using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Engine;

/// <summary>The seed's front-end routine (Figs. 3, 5, 8, 9): reads each request on a client
/// connection, answers it itself when it can (errors, 304, listings) or picks a board and sends it a
/// COMMAND; relays the client's ACKs as CLIENT_ACKs; ends the reply on DONE or ABORT.</summary>
public sealed class HttpDispatcher : ITcpEvents, IStreamMessages
{
    readonly FrontendOptions _options;
    readonly HttpParserOptions _parserOptions;
    readonly RegistryCatalog _catalog;
    readonly HttpRequestHandler _handler;
    readonly HttpResponseBuilder _builder;
    readonly Dictionary<uint, DelegatedStream> _streams = new();
    uint _nextStreamId;

    /// <summary>Set by the engine once the channel exists (they refer to each other).</summary>
    internal BoardChannel Channel { get; set; } = null!;

    /// <summary>Counters for management and tests.</summary>
    public FrontendCounters Counters { get; } = new();

    /// <summary>The catalog the handler consults.</summary>
    public RegistryCatalog Catalog => _catalog;

    internal HttpDispatcher(FrontendOptions options, RegistryCatalog catalog)
    {
        _options = options;
        _catalog = catalog;
        _parserOptions = new HttpParserOptions { ServiceHosts = [.. options.ServiceHosts] };
        _handler = new HttpRequestHandler(catalog, options.Http);
        _builder = new HttpResponseBuilder(options.Http.ServerName);
        _nextStreamId = (uint)Random.Shared.Next(1, int.MaxValue);
    }

    /// <summary>Streams in progress.</summary>
    public IReadOnlyCollection<DelegatedStream> Streams => _streams.Values;

    // ---- TCP events -------------------------------------------------------------------------

    /// <inheritdoc/>
    public void OnConnected(TcpConnection connection, long now)
    {
        connection.UserState = new HttpSession(connection, _parserOptions);
        Counters.Connections++;
    }

    /// <inheritdoc/>
    public void OnData(TcpConnection connection, long now)
    {
        if (connection.UserState is not HttpSession s) return;
        Span<byte> chunk = stackalloc byte[4096];
        int n;
        while ((n = connection.Read(chunk, now)) > 0)
            if (!s.Closing) s.Append(chunk[..n]); // after a closing answer, bytes are read and dropped
        Pump(s, now);
    }

    /// <inheritdoc/>
    public void OnPeerClosed(TcpConnection connection, long now)
    {
        if (connection.UserState is not HttpSession s) return;
        // Finish what was asked, then close our side.
        s.Closing = true;
        if (s.Active == null && s.Answers.Count == 0) connection.Close(now);
        else Pump(s, now);
    }

    /// <inheritdoc/>
    public void OnClosed(TcpConnection connection, CloseReason reason, long now)
    {
        connection.UserState = null;
    }

    /// <inheritdoc/>
    public void OnPathMtuReduced(TcpConnection connection, int mtu, IDelegatedReplyOwner? owner, long now)
    {
        if (owner is not DelegatedStream d || d.Phase == StreamPhase.Ended) return;
        Channel.Send(d.Board, new AtcpPathMtuRepr { StreamId = d.Id, Mtu = (ushort)mtu });
        Counters.PathMtuRelayed++;
    }

    // ---- requests ---------------------------------------------------------------------------

    void Pump(HttpSession s, long now)
    {
        var c = s.Connection;
        while (s.Active == null)
        {
            if (s.Answers.Count == 0 && !s.Closing && !ParseNext(s, now)) break;
            if (s.Answers.Count == 0) break;
            if (!c.CanSend) break; // a reply without a size blocks everything after it
            var d = s.Answers.Dequeue();
            s.Requests++;
            if (d.Kind == HttpDecisionKind.DelegateToBoard) { StartStream(s, d, now); break; }
            SendLocal(s, d.Bytes, d.StatusCode, now);
            if (d.CloseAfter) { s.Closing = true; s.Answers.Clear(); }
        }
        if (s.Active == null && s.Answers.Count == 0 && s.Closing) c.Close(now);
    }

    bool ParseNext(HttpSession s, long now)
    {
        if (s.PendingLength == 0) return false;
        var result = s.Parser.Parse(s.Pending.AsSpan(0, s.PendingLength));
        if (result.Outcome == HttpParseOutcome.Incomplete) return false;
        s.ConsumePending(result.Consumed, _parserOptions);
        s.Connection.RequestComplete(now);
        var decision = _handler.Decide(result, DateTimeOffset.FromUnixTimeMilliseconds(WallClock(now)));
        Counters.Count(decision.StatusCode);
        s.Answers.Enqueue(decision);
        if (decision.CloseAfter) { s.Closing = true; s.PendingLength = 0; }
        return true;
    }

    /// <summary>Why the last reply a board was meant to send was answered by the front-end instead.</summary>
    public string? LastFailure { get; private set; }

    byte[] ErrorBytes(int status, bool close, long now) =>
        _builder.BuildError(status, DateTimeOffset.FromUnixTimeMilliseconds(WallClock(now)), keepAlive: !close, headOnly: false);

    /// <summary>Wall-clock milliseconds for Date headers; protocol timing uses the monotonic now.</summary>
    public Func<long, long> WallClock { get; set; } = _ => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    void SendLocal(HttpSession s, byte[] bytes, int status, long now)
    {
        int sent = s.Connection.Send(bytes, now);
        Counters.LocalReplies++;
        Counters.LocalBytes += sent;
        if (sent < bytes.Length) { Counters.LocalTruncated++; s.Connection.Abort(now); }
    }

    void StartStream(HttpSession s, HttpDecision d, long now)
    {
        var c = s.Connection;
        uint id = NextStreamId();
        var stream = new DelegatedStream(this, id, s, d, new AckCoalescer(_options.AckEvery, _options.AckDelayMs)) { StartedMs = now };
        if (!c.TryBeginDelegatedReply(stream, now, out var start))
        {
            // Cannot happen after CanSend; answer with an error rather than hang.
            SendLocal(s, ErrorBytes(503, d.CloseAfter, now), 503, now);
            return;
        }
        stream.Start = start.Sequence;
        var cmd = stream.Command;
        cmd.StreamId = id;
        Array.Copy(start.NextHopMac ?? new byte[6], cmd.NextHopMac, 6);
        Array.Copy(start.NextHopMac ?? new byte[6], cmd.ClientMac, 6);
        cmd.ClientAddress = c.ClientAddress;
        cmd.ServiceAddress = c.LocalAddress;
        cmd.ClientPort = c.ClientPort;
        cmd.ServicePort = c.LocalPort;
        cmd.SequenceNumber = start.Sequence;
        cmd.AckNumber = start.AckNumber;
        cmd.ClientWindow = start.ClientWindowField;
        cmd.WindowScale = (byte)start.ClientWindowScale;
        cmd.Ttl = _options.Net.Ttl;
        cmd.ServiceWindow = start.WindowField;
        cmd.Mss = (ushort)Math.Clamp(start.Mss, AtcpCommand.MinMss, AtcpCommand.MaxMss);
        stream.Coalescer.Mss = cmd.Mss;
        cmd.Flags = start.SackPermitted ? AtcpCommandFlags.SackPermitted : (ushort)0;
        cmd.SmoothedRttMs = (ushort)Math.Clamp(start.SmoothedRttMs, 0, ushort.MaxValue);
        cmd.RttVariationMs = (ushort)Math.Clamp(start.SmoothedRttMs / 2, 0, ushort.MaxValue);
        var obj = d.Object!;
        var entry = _catalog.EntryOf(obj);
        cmd.Opcode = entry.IsCd ? AtcpServiceOpcode.SendCdFile : AtcpServiceOpcode.SendDiskObject;
        cmd.Name.SetText(entry.Name);
        cmd.Prefix.Set(d.Bytes, 0, d.Bytes.Length);
        cmd.RangeOffset = (ulong)d.Offset;
        cmd.RangeLength = (ulong)d.Length;
        _streams[id] = stream;
        s.Active = stream;
        Counters.Delegated++;
        if (!SendToNextBoard(stream, now)) FailBeforeStart(stream, 503, "no storage board holding this object is available", now);
    }

    /// <summary>Other owners of stream ids (TFTP): ids they hold are skipped.</summary>
    internal Func<uint, bool>? IdHeldElsewhere { get; set; }

    /// <summary>The cluster-wide stream id allocator, shared by HTTP and TFTP: never 0, never an id in use.</summary>
    internal uint NextStreamId()
    {
        do { _nextStreamId++; }
        while (_nextStreamId == 0 || _streams.ContainsKey(_nextStreamId) || (IdHeldElsewhere?.Invoke(_nextStreamId) ?? false));
        return _nextStreamId;
    }

    // Picks the best eligible holder not tried yet and sends it the COMMAND.
    bool SendToNextBoard(DelegatedStream stream, long now)
    {
        var entry = _catalog.EntryOf(stream.Decision.Object!);
        var board = Channel.Registry.Choose(entry.Key, stream.Tried);
        if (board == null) return false;
        var volume = board.Inventory.TryGetValue(entry.Key, out var e) ? e.Volume : entry.Volume;
        stream.Command.Volume = volume;
        stream.Command.InitialWindow = InitialWindow(stream.Session, now);
        stream.Coalescer.StartWindow = stream.Command.InitialWindow;
        stream.Board = board.Id;
        stream.Tried.Add(board.Id);
        stream.WaitingForSlot = false;
        stream.Attempts = 1;
        stream.Phase = StreamPhase.Commanded;
        stream.RetryAt = now + _options.CommandRetryMs;
        Channel.Send(board.Id, stream.Command);
        return true;
    }

    /// <summary>Longest idle spell after which a connection's window still carries over to its next
    /// reply (RFC 5681 section 4.1 restarts it after an RTO; RFC 6298's least RTO is 1 s).</summary>
    public const int WindowCarryMs = 1000;

    // SPEC 5.1: a reply continuing its connection soon after the previous one starts from the window
    // the previous reply's board last reported, whichever board sends it: the path to the client,
    // which that window measured, is the same, and a board's own link paces it (its NIC takes no
    // more than the link drains). After an idle spell the window is stale: the reply starts afresh.
    static uint InitialWindow(HttpSession s, long now) =>
        s.LastReplyWindow > 0 && now - s.LastReplyEndedMs <= WindowCarryMs
            ? (uint)Math.Min(s.LastReplyWindow, AtcpCommand.MaxInitialWindow) : 0;

    // The board will not send (refused, unreachable): end the empty range and answer ourselves.
    void FailBeforeStart(DelegatedStream stream, int status, string detail, long now)
    {
        var s = stream.Session;
        var c = s.Connection;
        EndStream(stream);
        c.SetDelegatedSize(stream.Start, 0, now);
        c.CompleteDelegatedReply(stream.Start, now);
        Counters.Count(status);
        Counters.BoardFailures++;
        LastFailure = detail;
        SendLocal(s, ErrorBytes(status, stream.Decision.CloseAfter, now), status, now);
        if (stream.Decision.CloseAfter) s.Closing = true;
        Pump(s, now);
    }

    void EndStream(DelegatedStream stream)
    {
        stream.Phase = StreamPhase.Ended;
        stream.RetryAt = long.MaxValue;
        _streams.Remove(stream.Id);
        if (stream.Session.Active == stream) stream.Session.Active = null;
    }

    // ---- board messages ---------------------------------------------------------------------

    /// <inheritdoc/>
    public void OnServiceAck(ushort board, AtcpServiceAckRepr ack, long now)
    {
        if (!_streams.TryGetValue(ack.StreamId, out var stream) || stream.Board != board) { Counters.StaleBoardMessages++; return; }
        var c = stream.Session.Connection;
        switch (ack.Status)
        {
            case AtcpServiceStatus.Accepted:
            case AtcpServiceStatus.InProgress:
                if (stream.Phase == StreamPhase.Commanded)
                {
                    stream.Phase = StreamPhase.Running;
                    stream.RetryAt = long.MaxValue;
                    stream.Size = (long)ack.ReplySize;
                    // Seed step (f): the ACK the front-end expects moves forward by the reply size.
                    c.SetDelegatedSize(stream.Start, stream.Size, now);
                    Pump(stream.Session, now);
                }
                stream.Acknowledged = (long)ack.BytesAcknowledged;
                if (ack.CongestionWindow > 0) stream.Coalescer.OnBoardWindow(ack.CongestionWindow);
                break;
            case AtcpServiceStatus.Complete:
                CompleteStream(stream, now);
                break;
            default:
                if (stream.Phase != StreamPhase.Commanded) { AbortStream(stream, now); break; }
                // Refused before sending anything: another holder, or an answer from us.
                Counters.Refusals++;
                if (SendToNextBoard(stream, now)) break;
                if (ack.Status == AtcpServiceStatus.Busy && now - stream.StartedMs < _options.BusyWaitMs)
                {
                    // Every holder is at its stream limit: Busy says "try later", so the request
                    // waits for a slot (Poll asks again) instead of failing with 503 under load.
                    stream.Tried.Clear();
                    stream.WaitingForSlot = true;
                    stream.RetryAt = now + _options.BusyRetryMs;
                    break;
                }
                FailBeforeStart(stream, ack.Status == AtcpServiceStatus.NotFound ? 404 : 503,
                    "storage board refused: " + ack.Status, now);
                break;
        }
    }

    /// <inheritdoc/>
    public void OnDone(ushort board, AtcpDoneRepr done, long now)
    {
        if (!_streams.TryGetValue(done.StreamId, out var stream) || stream.Board != board) { Counters.StaleBoardMessages++; return; }
        CompleteStream(stream, now);
    }

    void CompleteStream(DelegatedStream stream, long now)
    {
        var s = stream.Session;
        EndStream(stream);
        s.Connection.CompleteDelegatedReply(stream.Start, now);
        Counters.Completed++;
        s.LastReplyWindow = stream.Coalescer.BoardWindow;
        s.LastReplyEndedMs = now;
        if (stream.Decision.CloseAfter) { s.Closing = true; s.Answers.Clear(); }
        Pump(s, now);
    }

    /// <inheritdoc/>
    public void OnAbort(ushort board, AtcpAbortRepr abort, long now)
    {
        foreach (var stream in _streams.Values.Where(x => x.Board == board && (abort.StreamId == 0 || x.Id == abort.StreamId)).ToList())
            AbortStream(stream, now);
    }

    void AbortStream(DelegatedStream stream, long now)
    {
        EndStream(stream);
        Counters.Aborted++;
        // Part of the reply may have reached the client: only a reset tells it the truth.
        stream.Session.Connection.AbortDelegatedReply(stream.Start, now);
    }

    /// <inheritdoc/>
    public void OnBoardLost(ushort board, string why, long now)
    {
        foreach (var stream in _streams.Values.Where(x => x.Board == board).ToList())
        {
            if (stream.Phase == StreamPhase.Commanded && SendToNextBoard(stream, now)) continue;
            if (stream.Phase == StreamPhase.Commanded) FailBeforeStart(stream, 503, "storage board " + board + " " + why, now);
            else AbortStream(stream, now);
        }
    }

    /// <inheritdoc/>
    public void OnInventoryChanged(long now) => _catalog.Rebuild();

    // ---- ACK relay --------------------------------------------------------------------------

    internal void OnClientAck(DelegatedStream stream, in DelegatedAck ack, long now)
    {
        if (stream.Phase == StreamPhase.Ended) return;
        stream.ClientAcks++;
        stream.LastAck = ack;
        Counters.ClientAcks++;
        uint end = (uint)(stream.Start + (ulong)Math.Max(0, stream.Size));
        if (stream.Size >= 0 && (int)(ack.AckNumber - end) >= 0) stream.FinalAcked = true;
        var coalescer = stream.Coalescer;
        if (!coalescer.Offer(ack.AckNumber, ack.WindowField, ack.WindowBytes, ack.IsDuplicate,
            ack.SackBlockCount > 0, ack.FinSeen, stream.Size >= 0 ? end : ack.AckNumber + 1, now)) return;
        if (coalescer.LastRelayWasLossSignal)
        {
            // The board counts these: each goes at once, carrying everything a waiting relay would.
            DropPendingRelay(stream);
            Relay(stream, ack);
            return;
        }
        QueueRelay(stream, ack);
    }

    void QueueRelay(DelegatedStream stream, in DelegatedAck ack)
    {
        int pending = stream.Coalescer.PendingRelay;
        if (pending >= 0) _pendingRelays[pending] = new PendingRelay(stream, ack);
        else
        {
            stream.Coalescer.PendingRelay = _pendingRelays.Count;
            _pendingRelays.Add(new PendingRelay(stream, ack));
        }
    }

    // Relays decided while a loop round's frames are handled wait for the round's end (Poll, due at
    // once while one waits): a later one for the same stream replaces an earlier one (its ACK is
    // cumulative and its window newer), so a stream costs at most one CLIENT_ACK frame per round
    // however many of its ACKs the round held. Loss signals bypass this (OnClientAck).
    readonly record struct PendingRelay(DelegatedStream? Stream, DelegatedAck Ack);

    readonly List<PendingRelay> _pendingRelays = new();

    void DropPendingRelay(DelegatedStream stream)
    {
        int pending = stream.Coalescer.PendingRelay;
        if (pending < 0) return;
        _pendingRelays[pending] = default;
        stream.Coalescer.PendingRelay = -1;
    }

    // A round's relays go as one frame per board (CLIENT_ACKS, SPEC 5.12; CLIENT_ACK when there is
    // one): a frame costs a send here and a frame read and wake-up on the board, however few bytes
    // it carries. The frame also carries the held ACK of every other stream of that board worth
    // carrying (AckCoalescer.WorthCarrying), which spares that stream a frame of its own soon after.
    void FlushPendingRelays(long now)
    {
        if (_pendingRelays.Count == 0) return;
        _bundleBoards.Clear();
        int relaying = _pendingRelays.Count; // at most this many streams are in a bundle already
        for (int i = 0; i < _pendingRelays.Count; i++)
        {
            var (stream, ack) = _pendingRelays[i];
            if (stream == null) continue;
            stream.Coalescer.PendingRelay = -1;
            if (stream.Phase == StreamPhase.Ended) continue;
            AddToBundle(stream, ack);
        }
        _pendingRelays.Clear();
        if (_bundleBoards.Count == 0) return;
        if (_streams.Count > relaying)
        {
            foreach (var s in _streams.Values)
            {
                if (s.Phase != StreamPhase.Running || !s.Coalescer.WorthCarrying) continue;
                if (!_bundles.TryGetValue(s.Board, out var b) || b.Count == 0 || IsInBundle(b, s.Id)) continue;
                s.Coalescer.RelayHeld(now);
                AddToBundle(s, s.LastAck);
            }
        }
        foreach (ushort board in _bundleBoards)
        {
            var bundle = _bundles[board];
            // One entry is a CLIENT_ACK body as it stands (SPEC 5.12).
            if (bundle.Count == 1) Channel.Send(board, bundle.Entry(0));
            else Channel.Send(board, bundle);
            Counters.RelayFrames++;
            bundle.Clear();
        }
    }

    static bool IsInBundle(AtcpClientAcksRepr bundle, uint streamId)
    {
        for (int i = 0; i < bundle.Count; i++) if (bundle.Entry(i).StreamId == streamId) return true;
        return false;
    }

    void AddToBundle(DelegatedStream stream, in DelegatedAck ack)
    {
        // SACK blocks do not fit an entry (loss signals go alone, OnClientAck); never bundled.
        if (ack.SackBlockCount > 0) { Relay(stream, ack); return; }
        if (!_bundles.TryGetValue(stream.Board, out var bundle)) _bundles[stream.Board] = bundle = new AtcpClientAcksRepr();
        if (bundle.Count == 0) _bundleBoards.Add(stream.Board);
        var entry = bundle.Add();
        if (entry == null) { Relay(stream, ack); return; } // more streams than a frame holds: a frame of its own
        Fill(entry, stream, ack);
        stream.RelayedAcks++;
        Counters.RelayedAcks++;
    }

    readonly Dictionary<ushort, AtcpClientAcksRepr> _bundles = new();
    readonly List<ushort> _bundleBoards = new();

    static void Fill(AtcpClientAckRepr m, DelegatedStream stream, in DelegatedAck ack)
    {
        m.StreamId = stream.Id;
        m.AckNumber = ack.AckNumber;
        m.ServiceAckNumber = ack.ReceiveNext;
        m.Window = ack.WindowField;
        m.ServiceWindow = ack.OurWindowField;
        m.Flags = (byte)((ack.IsDuplicate ? AtcpClientAckFlags.Duplicate : 0) | (ack.FinSeen ? AtcpClientAckFlags.FinSeen : 0));
        m.ClearSack();
        for (int i = 0; i < ack.SackBlockCount && i < AtcpClientAck.MaxSackBlocks; i++) m.AddSack(ack.SackBlocks[i].Left, ack.SackBlocks[i].Right);
    }

    void Relay(DelegatedStream stream, in DelegatedAck ack)
    {
        // One message reused for every relay: sealed into a frame at once, never kept.
        Fill(_clientAck, stream, ack);
        Channel.Send(stream.Board, _clientAck);
        stream.RelayedAcks++;
        Counters.RelayedAcks++;
        Counters.RelayFrames++;
    }

    readonly AtcpClientAckRepr _clientAck = new();

    internal void OnStreamCancelled(DelegatedStream stream, CloseReason reason, long now)
    {
        if (stream.Phase == StreamPhase.Ended) return;
        EndStream(stream);
        Counters.Cancelled++;
        var abort = new AtcpAbortRepr { StreamId = stream.Id, Reason = reason == CloseReason.ResetByClient ? AtcpAbortReason.ClientReset : AtcpAbortReason.Unspecified };
        for (int i = 0; i < 3; i++) Channel.Send(stream.Board, abort); // SPEC 6.5: sent three times
    }

    // ---- timers -----------------------------------------------------------------------------

    /// <summary>Relays waiting for the end of the round, COMMAND retries and held-ACK flushes.</summary>
    public void Poll(long now)
    {
        // A copy, since a retry may end streams; reused, so a poll allocates nothing.
        _pollStreams.Clear();
        _pollStreams.AddRange(_streams.Values);
        foreach (var stream in _pollStreams)
        {
            if (stream.Phase == StreamPhase.Commanded && now >= stream.RetryAt)
            {
                if (stream.WaitingForSlot)
                {
                    stream.WaitingForSlot = false;
                    if (!SendToNextBoard(stream, now)) FailBeforeStart(stream, 503, "no storage board holding this object is available", now);
                }
                else if (stream.Attempts <= _options.CommandRetries)
                {
                    stream.Attempts++;
                    stream.RetryAt = now + (_options.CommandRetryMs << (stream.Attempts - 1));
                    Channel.Send(stream.Board, stream.Command, AtcpHeaderFlags.Retransmission);
                    Counters.CommandRetries++;
                }
                else if (!SendToNextBoard(stream, now)) FailBeforeStart(stream, 503, "storage board did not answer", now);
            }
            if (stream.Phase == StreamPhase.Running && stream.Coalescer.Flush(now)) QueueRelay(stream, stream.LastAck);
        }
        _pollStreams.Clear();
        FlushPendingRelays(now);
    }

    readonly List<DelegatedStream> _pollStreams = new();

    /// <summary>How long client ACKs may wait unseen (microseconds) without slowing the boards: the
    /// least over the boards of the time each takes to deliver what its flowing streams (steady, or
    /// in slow start with a measured rate) may deliver unseen (the sum of their
    /// <see cref="AckCoalescer.TolerableAckBytes"/> at the sum of their rates), and of
    /// <see cref="AckCoalescer.TolerableAckWaitUs"/> (0) for the streams of a board with none. A
    /// board's link is kept busy as long as any of its streams may send, so a stream without a rate
    /// yet or recovering from a loss next to flowing ones, or one whose window is smaller than its
    /// siblings', does not shorten the wait: prompt relays would only move bandwidth between the
    /// board's streams sooner, at the cost of more wake-ups. Streams awaiting their board's answer
    /// have nothing to relay and do not count; see <see cref="AwaitsIdleBoardAnswer"/>.</summary>
    public long TolerableAckWaitUs
    {
        get
        {
            _boardAllowance.Clear();
            _boardsSending.Clear();
            foreach (var s in _streams.Values)
            {
                // A reply the client has whole no longer keeps its board busy.
                if (s.Phase != StreamPhase.Running || s.FinalAcked) continue;
                if (s.Coalescer.BytesPerMs > 0) _boardsSending.Add(s.Board);
                // Steady or in slow start with a known rate: what it may deliver unseen adds to its
                // board's (its streams often start together: each alone would allow only a few ms).
                if (s.Coalescer.TolerableAckBytes <= 0) continue;
                _boardAllowance.TryGetValue(s.Board, out var a);
                _boardAllowance[s.Board] = (a.Bytes + s.Coalescer.TolerableAckBytes, a.BytesPerMs + s.Coalescer.BytesPerMs);
            }
            long least = long.MaxValue;
            foreach (var (bytes, perMs) in _boardAllowance.Values)
                least = Math.Min(least, bytes * 1000 / perMs);
            _awaitsIdleBoardAnswer = false;
            foreach (var s in _streams.Values)
            {
                if (_boardAllowance.ContainsKey(s.Board)) continue;
                // A board with a stream in flight bounds the pause by that stream's own tolerance
                // (the floor while it starts or recovers); an idle board's answer must not wait.
                if (AwaitsBoardAnswer(s))
                {
                    if (!_boardsSending.Contains(s.Board)) _awaitsIdleBoardAnswer = true;
                    continue;
                }
                if (s.Phase == StreamPhase.Running) least = Math.Min(least, s.Coalescer.TolerableAckWaitUs);
            }
            return least;
        }
    }

    readonly Dictionary<ushort, (long Bytes, long BytesPerMs)> _boardAllowance = new();
    readonly HashSet<ushort> _boardsSending = new();
    bool _awaitsIdleBoardAnswer;

    /// <summary>True when, as of the last <see cref="TolerableAckWaitUs"/>, a SERVICE_ACK or DONE is
    /// awaited from a board with nothing in flight: the loop's pause must then end on that answer,
    /// which does not end one otherwise (the daemon's request filter).</summary>
    public bool AwaitsIdleBoardAnswer => _awaitsIdleBoardAnswer;

    // A board's SERVICE_ACK and DONE do not end a batching pause (the daemon's request filter): on a
    // board that streams steadily they wait for the next round, which costs that board nothing (its
    // link is busy), and saves two wake-ups per reply. Elsewhere the pause must end on one: the
    // COMMAND's answer starts the reply, DONE lets the connection's next request go.
    static bool AwaitsBoardAnswer(DelegatedStream s) =>
        (s.Phase == StreamPhase.Commanded && !s.WaitingForSlot) || (s.Phase == StreamPhase.Running && s.FinalAcked);

    /// <summary>Earliest timer of any stream; long.MinValue while relays wait for the end of the round.</summary>
    public long NextDeadline
    {
        get
        {
            if (_pendingRelays.Count > 0) return long.MinValue;
            long next = long.MaxValue;
            foreach (var s in _streams.Values)
            {
                next = Math.Min(next, s.RetryAt);
                next = Math.Min(next, s.Coalescer.Deadline);
            }
            return next;
        }
    }
}
