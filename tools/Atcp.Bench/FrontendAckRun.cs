using System.Runtime.InteropServices;
using Atcp.Frontend.Engine;
using Atcp.Frontend.Net;
using Atcp.TestSupport;
using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Tcp;

namespace Atcp.Bench;

/// <summary>What the front-end's managed code costs per client ACK and per loop round.</summary>
public sealed record FrontendAckCost(int Connections, long Acks, double NsPerAck, double BytesPerAck, long Relays,
    long Rounds, double NsPerRound, double BytesPerRound, double NsStackDeadline, double NsDispatcherDeadline, double NsPerColdAck,
    int Batch, double NsPerAckInRounds);

/// <summary>A real <see cref="FrontendEngine"/> with one delegated reply in progress on each of
/// several client connections, played from this thread: a fake board (HELLO, INVENTORY,
/// SERVICE_ACK with a huge size, so the reply never ends) and fake clients (handshake, GET). Then
/// synthetic pure client ACKs (valid checksums, ACK numbers advancing two segments at a time) are
/// fed through <see cref="FrontendEngine.OnFrame"/>, as the daemon's receive loop does, and
/// separately the per-round timer queries (<see cref="FrontendEngine.NextDeadline"/> and
/// <see cref="FrontendEngine.Poll"/> when nothing is due) are timed, in this thread's CPU time.
/// Frames are built before the timing starts; the engine's output is discarded.</summary>
public sealed class FrontendAckRun
{
    const uint ServiceAddress = 0xC6120001; // 198.18.0.1
    const uint FirstClient = 0xC6120100;    // 198.18.1.0 + i
    const ushort BoardId = 1;
    static readonly byte[] FrontEndMac = [0x02, 0xA7, 0xC9, 0x00, 0x00, 0xFE];
    static readonly byte[] BoardMac = [0x02, 0xA7, 0xC9, 0x00, 0x00, 0x01];
    static readonly byte[] Key = BenchImages.Payload(16, 16);
    const long HugeObject = 1L << 40; // the reply never completes within a run

    sealed class Sink : IFrameOutput
    {
        public bool Keep = true;
        public readonly List<byte[]> Frames = new();
        public void SendFrame(ReadOnlySpan<byte> frame) { if (Keep) Frames.Add(frame.ToArray()); }
    }

    sealed class Client
    {
        public uint Ip;
        public ushort Port;
        public byte[] Mac = new byte[6];
        public uint Seq, Ack, ReplyStart;
    }

    readonly Sink _out = new();
    readonly FrontendEngine _engine;
    readonly AtcpFrameWriter _boardWriter;
    readonly AtcpFrameReader _boardReader;
    readonly byte[] _frame = new byte[AtcpFrame.MaxFrameLength];
    readonly List<Client> _clients = new();
    long _now = 10_000;

    /// <summary>Sets up the engine with a delegated reply running on each of connections clients.</summary>
    public FrontendAckRun(int connections)
    {
        var options = new FrontendOptions
        {
            Net = new NetStackOptions { Address = ServiceAddress, PrefixLength = 16, MacAddress = FrontEndMac },
            ClusterKey = Key,
            TftpEnabled = false,
        };
        _engine = new FrontendEngine(options, _out);
        _boardWriter = new AtcpFrameWriter(options.ClusterId, Key, 0, BoardId, BoardMac, 0, 1);
        _boardReader = new AtcpFrameReader(options.ClusterId, Key, 0, BoardId, 4);
        _engine.Start(_now);
        AnnounceBoard();
        for (int i = 0; i < connections; i++) Connect(i);
        _out.Keep = false;
        _out.Frames.Clear();
    }

    void BoardSends(IAtcpMessage message)
    {
        int n = _boardWriter.Write(_frame, 0, FrontEndMac, 0, message, 0);
        if (n <= 0) throw new InvalidOperationException("cannot seal " + message.MessageType);
        _engine.OnFrame(_frame[..n], n, _now);
    }

    // Board frames the front-end sent since the last call, of one message type, parsed by parse.
    IEnumerable<(byte[] Frame, int Body, int Length)> FromFrontEnd(AtcpMessageType type)
    {
        var frames = _out.Frames.ToList();
        _out.Frames.Clear();
        foreach (var f in frames)
        {
            if (EthernetHeader.GetEtherType(f, 0) != EtherType.Atcp || _boardReader.Read(f, 0, f.Length) != ParseStatus.Ok) continue;
            if ((AtcpMessageType)_boardReader.MessageType == type) yield return (f, _boardReader.BodyOffset, _boardReader.BodyLength);
        }
    }

    void AnnounceBoard()
    {
        var hello = new AtcpHelloRepr { BoardId = BoardId, BootEpoch = 1, InventoryGeneration = 1, MaxStreams = 64, HeartbeatIntervalSeconds = 3600 };
        BoardMac.CopyTo(hello.Mac, 0);
        hello.SetVolumeCount(1);
        hello.Volumes[0].Id = 0;
        hello.Volumes[0].Kind = AtcpVolumeKind.Disk;
        hello.Volumes[0].Label.SetText("bench");
        hello.Volumes[0].ObjectCount = 1;
        _out.Frames.Clear();
        BoardSends(hello);
        if (!FromFrontEnd(AtcpMessageType.InventoryRequest).Any()) throw new InvalidOperationException("no INVENTORY_REQUEST after HELLO");
        var page = new AtcpInventoryRepr { Volume = 0, Generation = 1, TotalEntries = 1, FirstIndex = 0, Flags = AtcpInventoryFlags.LastPage };
        byte[] name = "big.bin"u8.ToArray(), type = "application/octet-stream"u8.ToArray(), etag = "\"bench\""u8.ToArray();
        page.Add(AtcpObjectKind.File, HugeObject, name, 0, name.Length, type, 0, type.Length, etag, 0, etag.Length);
        BoardSends(page);
        if (_engine.Dispatcher.Catalog.Count != 1) throw new InvalidOperationException("the inventory did not reach the catalog");
    }

    byte[] Tcp(Client c, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload, Action<TcpRepr>? configure = null) =>
        new PacketBuilder().Ethernet(c.Mac, FrontEndMac).IPv4(c.Ip, ServiceAddress)
            .Tcp(c.Port, 80, seq, ack, flags, t => { t.Window = 2048; configure?.Invoke(t); }).Payload(payload).Build();

    void Connect(int i)
    {
        var c = new Client { Ip = FirstClient + (uint)i, Port = (ushort)(40000 + i), Seq = 7000 };
        byte[] mac = [0x02, 0x11, 0x22, 0x33, (byte)(i >> 8), (byte)i];
        c.Mac = mac;
        _clients.Add(c);
        // A gratuitous-style request to our address teaches the front-end the client's MAC.
        Deliver(new PacketBuilder().Ethernet(c.Mac, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
            .Arp(ArpOperation.Request, c.Mac, c.Ip, new byte[6], ServiceAddress).Build());
        _out.Frames.Clear();
        Deliver(Tcp(c, c.Seq, 0, TcpFlags.Syn, default, t =>
        {
            t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; t.HasWindowScale = true; t.WindowScale = 7; t.SackPermitted = true;
        }));
        var synAck = _out.Frames.Select(DecodedFrame.Decode).First(d => d.Tcp != null && (d.Tcp.Flags & TcpFlags.Syn) != 0).Tcp!;
        c.Seq++;
        c.Ack = synAck.SequenceNumber + 1;
        Deliver(Tcp(c, c.Seq, c.Ack, TcpFlags.Ack, default));
        byte[] get = "GET /big.bin HTTP/1.1\r\nHost: storage\r\n\r\n"u8.ToArray();
        _out.Frames.Clear();
        Deliver(Tcp(c, c.Seq, c.Ack, TcpFlags.Ack | TcpFlags.Psh, get));
        c.Seq += (uint)get.Length;
        var command = new AtcpCommandRepr();
        var (f, body, length) = FromFrontEnd(AtcpMessageType.Command).First();
        if (command.Parse(f, body, length) != ParseStatus.Ok) throw new InvalidOperationException("bad COMMAND");
        c.ReplyStart = command.SequenceNumber;
        BoardSends(new AtcpServiceAckRepr
        {
            StreamId = command.StreamId, Status = AtcpServiceStatus.Accepted, ReplySize = (ulong)(command.Prefix.Length + HugeObject),
        });
        if (_engine.Dispatcher.Streams.Count(s => s.Phase == StreamPhase.Running) != i + 1)
            throw new InvalidOperationException("stream " + i + " is not running");
    }

    void Deliver(byte[] frame) => _engine.OnFrame(frame, frame.Length, _now);

    /// <summary>Builds acks pure ACK frames (round-robin over the connections, each advancing by two
    /// segments), then feeds them to the engine, advancing the clock 1 ms every acksPerMs ACKs; then
    /// times rounds loop rounds of NextDeadline and Poll with nothing due.</summary>
    public FrontendAckCost Measure(int acks, int acksPerMs, int rounds, int coldAcks = 0, int evictBytes = 0, int batch = 8)
    {
        const int Step = 2 * 1460;
        var frames = new byte[acks][];
        var advanced = new uint[_clients.Count];
        // Two ACKs per connection first: its first two relays size its two relay lists, once.
        for (int k = 0; k < 2 * _clients.Count; k++)
        {
            int i = k % _clients.Count;
            var c = _clients[i];
            advanced[i] += Step;
            Deliver(Tcp(c, c.Seq, c.ReplyStart + advanced[i], TcpFlags.Ack, default));
        }
        for (int k = 0; k < acks; k++)
        {
            int i = k % _clients.Count;
            var c = _clients[i];
            advanced[i] += Step;
            frames[k] = Tcp(c, c.Seq, c.ReplyStart + advanced[i], TcpFlags.Ack, default);
        }
        var mixedFrames = new byte[acks][];
        for (int k = 0; k < acks; k++)
        {
            int i = k % _clients.Count;
            var c = _clients[i];
            advanced[i] += Step;
            mixedFrames[k] = Tcp(c, c.Seq, c.ReplyStart + advanced[i], TcpFlags.Ack, default);
        }
        var coldFrames = new byte[coldAcks][];
        for (int k = 0; k < coldAcks; k++)
        {
            int i = k % _clients.Count;
            var c = _clients[i];
            advanced[i] += Step;
            coldFrames[k] = Tcp(c, c.Seq, c.ReplyStart + advanced[i], TcpFlags.Ack, default);
        }
        long relays0 = _engine.Dispatcher.Counters.RelayedAcks, acks0 = _engine.Dispatcher.Counters.ClientAcks;
        GC.Collect();
        long bytes0 = GC.GetAllocatedBytesForCurrentThread();
        long cpu0 = ThreadCpuNs();
        for (int k = 0; k < frames.Length; k++)
        {
            if (k % acksPerMs == 0) _now++;
            byte[] f = frames[k];
            _engine.OnFrame(f, f.Length, _now);
        }
        long ackCpuNs = ThreadCpuNs() - cpu0;
        long ackBytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
        long seen = _engine.Dispatcher.Counters.ClientAcks - acks0;
        if (seen != acks) throw new InvalidOperationException("the dispatcher saw " + seen + " of " + acks + " client ACKs");
        double nsPerAck = (double)ackCpuNs / acks;

        // Loop rounds with nothing due: the daemon asks NextDeadline after each batch and calls Poll
        // only when due; FrontendEngine.Poll itself skips parts that are not due.
        long due = _engine.NextDeadline;
        if (due <= _now) _engine.Poll(_now);
        long sink = 0;
        bytes0 = GC.GetAllocatedBytesForCurrentThread();
        cpu0 = ThreadCpuNs();
        for (int r = 0; r < rounds; r++)
        {
            sink += _engine.NextDeadline;
            _engine.Poll(_now);
        }
        long roundCpuNs = ThreadCpuNs() - cpu0;
        long roundBytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
        double nsPerRound = (double)roundCpuNs / rounds;
        // The round's two biggest parts alone: the TCP/IP stack's deadline (connections, ARP) and
        // the dispatcher's (streams: COMMAND retries, held ACKs).
        cpu0 = ThreadCpuNs();
        for (int r = 0; r < rounds; r++) sink += _engine.Stack.NextDeadline();
        double nsStack = (double)(ThreadCpuNs() - cpu0) / rounds;
        cpu0 = ThreadCpuNs();
        for (int r = 0; r < rounds; r++) sink += _engine.Dispatcher.NextDeadline;
        double nsDispatcher = (double)(ThreadCpuNs() - cpu0) / rounds;
        GC.KeepAlive(sink);
        // As the daemon's loop runs: a round handles a batch of frames, then asks for the next
        // deadline and polls when it is due, so the timer bookkeeping the ACKs caused is counted.
        cpu0 = ThreadCpuNs();
        for (int k = 0; k < mixedFrames.Length; k++)
        {
            if (k % acksPerMs == 0) _now++;
            byte[] f = mixedFrames[k];
            _engine.OnFrame(f, f.Length, _now);
            if ((k + 1) % batch == 0 && _engine.NextDeadline <= _now) _engine.Poll(_now);
        }
        double nsInRounds = (double)(ThreadCpuNs() - cpu0) / mixedFrames.Length;
        double nsCold = coldAcks > 0 ? MeasureCold(coldFrames, evictBytes) : 0;
        return new FrontendAckCost(_clients.Count, acks, nsPerAck, (double)ackBytes / acks,
            _engine.Dispatcher.Counters.RelayedAcks - relays0, rounds, nsPerRound, (double)roundBytes / rounds, nsStack, nsDispatcher, nsCold, batch, nsInRounds);
    }

    // ACKs one at a time with the caches stirred in between (evictBytes written first), as in the
    // daemon at a few thousand ACKs per second, where other work runs between two ACKs: what each
    // costs with its data no longer in the nearest caches. Timed one by one with the monotonic clock.
    double MeasureCold(byte[][] frames, int evictBytes)
    {
        var evict = new byte[Math.Max(evictBytes, 1)];
        long total = 0;
        for (int k = 0; k < frames.Length; k++)
        {
            for (int i = 0; i < evict.Length; i += 64) evict[i]++;
            _now++;
            byte[] f = frames[k];
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            _engine.OnFrame(f, f.Length, _now);
            total += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        }
        return total * (1e9 / System.Diagnostics.Stopwatch.Frequency) / frames.Length;
    }

    // The machine is shared: this thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID) leaves out the
    // time other processes held the core, which wall-clock timing would count.
    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out TimeSpec time);

    static long ThreadCpuNs()
    {
        const int ThreadCpuTimeClock = 3;
        return ClockGetTime(ThreadCpuTimeClock, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
    }
}
