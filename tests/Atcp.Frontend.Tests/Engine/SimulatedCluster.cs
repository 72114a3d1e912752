using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;
using Atcp.Frontend.Cluster;
using Atcp.Frontend.Engine;
using Atcp.Frontend.Net;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Link;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>A whole cluster in one process on a virtual clock: a switch that delivers frames by
/// destination MAC (with optional loss), the front-end engine, board engines over RAM cards, and
/// simulated TCP clients. Every frame crosses the switch, so tests can count what went where.</summary>
sealed class SimulatedCluster
{
    public static readonly byte[] Key = Enumerable.Range(0, 16).Select(i => (byte)(0x90 + i)).ToArray();
    public static readonly byte[] FrontEndMac = [0x02, 0xA7, 0xC9, 0, 0, 0xFE];
    public const uint ServiceIp = 0xC6120001;

    public long Now = 10_000;
    public readonly FrontendEngine FrontEnd;
    public readonly List<SimBoard> Boards = new();
    public readonly List<SimClient> Clients = new();
    public readonly List<SimTftpClient> TftpClients = new();
    readonly Queue<(long Due, byte[] Frame)> _wire = new();
    public double Loss;
    /// <summary>Frames this returns true for are lost (chosen losses, besides the random ones).</summary>
    public Func<byte[], bool>? Drop;
    /// <summary>One-way delay of every frame across the switch (0: delivered within the same millisecond).</summary>
    public int LinkDelayMs;
    /// <summary>Each board's link rate in bytes per millisecond (0: unlimited); a board's NIC refuses
    /// frames beyond it, as a full W5500 TX buffer does.</summary>
    public int BoardBytesPerMs;
    public Random Rng = new(1);
    /// <summary>Bytes of frames by source MAC (last byte) that crossed the switch.</summary>
    public readonly Dictionary<string, long> BytesFrom = new();
    public long FramesLost;

    sealed class Output(SimulatedCluster c) : IFrameOutput
    {
        public void SendFrame(ReadOnlySpan<byte> frame)
        {
            // The switch's copy is the simulation's garbage, not the front-end's.
            long before = GC.GetAllocatedBytesForCurrentThread();
            c.Put(frame.ToArray());
            c._outputAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    public SimulatedCluster(int boards, IEnumerable<(string Name, byte[] Data)> objects, int copies = 2)
    {
        var opts = new FrontendOptions
        {
            Net = new NetStackOptions { Address = ServiceIp, PrefixLength = 24, MacAddress = FrontEndMac },
            ClusterKey = Key,
            HeartbeatSeconds = 1,
        };
        FrontEnd = new FrontendEngine(opts, new Output(this));
        var list = objects.ToList();
        var ids = Enumerable.Range(1, boards).Select(i => (ushort)i).ToArray();
        foreach (var id in ids)
        {
            var mine = list.Where(o => Rendezvous.Choose(ids, o.Name, Math.Min(copies, boards)).Contains(id)).ToList();
            Boards.Add(new SimBoard(this, id, mine));
        }
        FrontEnd.Start(Now);
    }

    public void Put(byte[] frame)
    {
        string src = MacName(frame, 6);
        BytesFrom[src] = BytesFrom.GetValueOrDefault(src) + frame.Length;
        if (Loss > 0 && Rng.NextDouble() < Loss) { FramesLost++; return; }
        if (Drop != null && Drop(frame)) { FramesLost++; return; }
        _wire.Enqueue((Now + LinkDelayMs, frame));
    }

    static string MacName(byte[] f, int at) => Convert.ToHexString(f, at, 6);

    public SimClient AddClient(uint ip, ushort port)
    {
        var c = new SimClient(this, ip, port);
        Clients.Add(c);
        return c;
    }

    public SimTftpClient AddTftpClient(uint ip, ushort port, int timeoutMs = 200)
    {
        var c = new SimTftpClient(this, ip, port, timeoutMs);
        TftpClients.Add(c);
        return c;
    }

    /// <summary>Advances ms milliseconds, delivering frames and running every node each millisecond.</summary>
    public void Run(int ms, Func<bool>? until = null)
    {
        for (int t = 0; t < ms; t++)
        {
            for (int round = 0; round < 64 && _wire.Count > 0 && _wire.Peek().Due <= Now; round++)
            {
                int n = _wire.Count;
                for (int i = 0; i < n && _wire.Peek().Due <= Now; i++) Deliver(_wire.Dequeue().Frame);
                DeliverClientFrames();
                foreach (var b in Boards) b.Poll(Now);
                PollFrontEnd();
            }
            foreach (var b in Boards) b.Poll(Now);
            PollFrontEnd();
            foreach (var c in Clients) c.Poll(Now);
            foreach (var c in TftpClients) c.Poll(Now);
            if (until != null && until()) return;
            Now++;
        }
    }

    /// <summary>Managed bytes the front-end engine allocated on this thread handling clients'
    /// frames and in Poll, apart from the switch's copies of the frames it sent.</summary>
    public long FrontEndAllocatedBytes;
    long _outputAllocatedBytes;
    long _pollQueries;

    void PollFrontEnd()
    {
        long before = GC.GetAllocatedBytesForCurrentThread(), output = _outputAllocatedBytes;
        FrontEnd.Poll(Now);
        // What the daemon's loop asks every round (FrontendLoop): counted with the poll.
        _pollQueries += FrontEnd.NextDeadline + FrontEnd.TolerableAckWaitUs;
        FrontEndAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before - (_outputAllocatedBytes - output);
    }

    /// <summary>Sees every frame the switch delivers, before its receivers do.</summary>
    public Action<byte[]>? Tap;

    readonly List<byte[]> _toFrontEnd = new();
    readonly List<int> _toFrontEndLengths = new();

    void DeliverClientFrames()
    {
        if (_toFrontEnd.Count == 0) return;
        _toFrontEndLengths.Clear();
        foreach (var f in _toFrontEnd) _toFrontEndLengths.Add(f.Length);
        // Clients' frames only: boards' HELLO heartbeats are the control plane (once a second).
        long before = GC.GetAllocatedBytesForCurrentThread(), output = _outputAllocatedBytes;
        FrontEnd.OnFrames(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_toFrontEnd),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_toFrontEndLengths), Now);
        FrontEndAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before - (_outputAllocatedBytes - output);
        _toFrontEnd.Clear();
    }

    void Deliver(byte[] f)
    {
        Tap?.Invoke(f);
        bool broadcast = f[0] == 0xFF;
        string dst = MacName(f, 0), src = MacName(f, 6);
        bool To(byte[] mac) { string m = MacName(mac, 0); return m != src && (broadcast || dst == m); }
        if (To(FrontEndMac))
        {
            // Clients' frames reach the front-end together, as a batch of the daemon's receive ring
            // (FrontendEngine.OnFrames); boards' messages one by one.
            if (EthernetHeader.GetEtherType(f, 0) != EtherType.Atcp) _toFrontEnd.Add(f);
            else FrontEnd.OnFrame(f, f.Length, Now);
        }
        foreach (var b in Boards) if (To(b.Config.Mac)) b.Nic.Inbound.Enqueue(f);
        foreach (var c in Clients) if (To(c.Mac)) c.OnFrame(f, Now);
        foreach (var c in TftpClients) if (To(c.Mac)) c.OnFrame(f, Now);
    }
}

/// <summary>A board: the real engine over a RAM card, its NIC a pair of queues on the switch.</summary>
sealed class SimBoard
{
    public readonly BoardConfig Config = new();
    public readonly SimNic Nic;
    public readonly BoardEngine Engine;
    public readonly ObjectStore Store;

    public SimBoard(SimulatedCluster cluster, ushort id, List<(string Name, byte[] Data)> objects)
    {
        Config.BoardId = id;
        Config.HeartbeatSeconds = 1;
        Array.Copy(SimulatedCluster.Key, Config.ClusterKey, 16);
        BoardConfig.DefaultMac(id, Config.Mac);
        var device = new RamBlockDevice(Math.Max(8192, objects.Sum(o => (long)o.Data.Length) / 512 * 2 + 8192));
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "b" + id, 292));
        Store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, Store.Mount());
        foreach (var (name, data) in objects)
        {
            var w = Store.Writer;
            Assert.Equal(StoreStatus.Ok, w.Begin(name, data.Length, "application/octet-stream"));
            Assert.Equal(StoreStatus.Ok, w.Append(data, 0, data.Length));
            Assert.Equal(StoreStatus.Ok, w.Commit());
        }
        Nic = new SimNic(cluster);
        Engine = new BoardEngine(Config, Nic, [new DiskVolume(0, Store, BoardEngine.PayloadSources), null!], new BoardLog());
    }

    public void Poll(long now) => Engine.Poll(now);
}

sealed class SimNic(SimulatedCluster cluster) : IFrameDevice
{
    public readonly Queue<byte[]> Inbound = new();
    public int Headroom => 3;
    public int MaxFrameLength => 1514;
    public int Receive(byte[] buffer, int offset, int capacity)
    {
        if (Inbound.Count == 0) return 0;
        var f = Inbound.Dequeue();
        if (f.Length > capacity) return 0;
        Array.Copy(f, 0, buffer, offset, f.Length);
        return f.Length;
    }
    long _budgetAt = -1;
    int _budget;
    public bool Transmit(byte[] buffer, int offset, int length)
    {
        if (cluster.BoardBytesPerMs > 0)
        {
            if (_budgetAt != cluster.Now) { _budgetAt = cluster.Now; _budget = cluster.BoardBytesPerMs; }
            if (_budget < length) return false;
            _budget -= length;
        }
        cluster.Put(buffer.AsSpan(offset, length).ToArray());
        return true;
    }
}
