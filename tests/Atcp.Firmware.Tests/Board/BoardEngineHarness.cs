using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Store;
using Atcp.Firmware.Tests.Store;
using Atcp.TestSupport;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Link;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>A NIC as two queues: frames the test puts in, frames the board sent.</summary>
sealed class QueueFrameDevice : IFrameDevice
{
    public readonly Queue<byte[]> Inbound = new();
    public readonly List<byte[]> Outbound = new();
    public bool Full;
    /// <summary>Frames the NIC still takes before it is full (a slow link draining it).</summary>
    public int Room = int.MaxValue;
    public int Headroom => 3;
    public int MaxFrameLength => 1514;

    public int Receive(byte[] buffer, int offset, int capacity)
    {
        if (Inbound.Count == 0) return 0;
        var f = Inbound.Dequeue();
        Array.Copy(f, 0, buffer, offset, f.Length);
        return f.Length;
    }

    public bool Transmit(byte[] buffer, int offset, int length)
    {
        if (Full || Room <= 0) return false;
        Room--;
        Outbound.Add(buffer.AsSpan(offset, length).ToArray());
        return true;
    }
}

/// <summary>A board engine over a RAM disk with objects, and a test front-end that seals frames
/// with the cluster key and reads the board's.</summary>
sealed class BoardEngineHarness
{
    public static readonly byte[] Key = Enumerable.Range(0, 16).Select(i => (byte)(0x40 + i)).ToArray();
    public static readonly byte[] FrontEndMac = [0x02, 0xA7, 0xC9, 0, 0, 0];
    public static readonly byte[] ClientMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    public const uint ClusterId = 0xA7C90001;
    public const uint ServiceIp = 0xC6120001, ClientIp = 0xC6120064;

    public readonly QueueFrameDevice Nic = new();
    public readonly BoardConfig Config = new() { BoardId = 3 };
    public readonly ObjectStore Store;
    public readonly BoardEngine Engine;
    public readonly BoardLog Log = new();
    public readonly Dictionary<string, byte[]> Objects = new();
    public long Now = 1000;
    readonly AtcpFrameWriter _frontEnd;
    readonly AtcpFrameReader _reader;
    readonly byte[] _frame = new byte[1514];

    public BoardEngineHarness(params (string Name, int Size)[] objects) : this(1u, objects) { }

    public BoardEngineHarness(uint frontEndEpoch, params (string Name, int Size)[] objects)
    {
        Array.Copy(Key, Config.ClusterKey, 16);
        BoardConfig.DefaultMac(Config.BoardId, Config.Mac);
        var device = new RamBlockDevice(64 * 1024);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "test-disk", 292));
        Store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, Store.Mount());
        var rng = new Random(42);
        foreach (var (name, size) in objects)
        {
            var data = new byte[size];
            rng.NextBytes(data);
            Objects[name] = data;
            var w = Store.Writer;
            Assert.Equal(StoreStatus.Ok, w.Begin(name, size, "application/octet-stream"));
            Assert.Equal(StoreStatus.Ok, w.Append(data, 0, size));
            Assert.Equal(StoreStatus.Ok, w.Commit());
        }
        var disk = new DiskVolume(BoardRuntime.DiskVolumeId, Store, BoardEngine.PayloadSources);
        Engine = new BoardEngine(Config, Nic, [disk, null!], Log);
        _frontEnd = new AtcpFrameWriter(ClusterId, Key, 0, 0, FrontEndMac, 0, frontEndEpoch);
        _reader = new AtcpFrameReader(ClusterId, Key, 0, 0, 8);
        Poll(); // boot: the first HELLO goes out
        BootFrames = Take().Atcp;
    }

    /// <summary>What the board sent on its first turn (its boot HELLO).</summary>
    public readonly List<(AtcpMessageType Type, byte[] Frame, int Body, int Length)> BootFrames;

    public void Poll(int times = 1) { for (int i = 0; i < times; i++) Engine.Poll(Now); }

    public void Send(IAtcpMessage message, ushort flags = 0)
    {
        int n = _frontEnd.Write(_frame, 0, Config.Mac, 0, message, flags);
        Assert.True(n > 0);
        Nic.Inbound.Enqueue(_frame.AsSpan(0, n).ToArray());
    }

    /// <summary>Sends a sealed frame with the body as given, well formed or not.</summary>
    public void SendBody(AtcpMessageType type, byte[] body) => Send(new RawBody(type, body));

    sealed class RawBody(AtcpMessageType type, byte[] body) : IAtcpMessage
    {
        public AtcpMessageType MessageType => type;
        public int Length => body.Length;
        public ParseStatus Parse(byte[] buffer, int offset, int length) => throw new NotSupportedException();
        public void Emit(byte[] buffer, int offset) => body.CopyTo(buffer, offset);
    }

    public AtcpCommandRepr Command(uint stream, string name, long offset = 0, long length = -1, string prefix = "", uint seq = 1000,
        ushort window = 65535, byte scale = 0, ushort mss = 1460)
    {
        var c = new AtcpCommandRepr
        {
            StreamId = stream, ClientAddress = ClientIp, ServiceAddress = ServiceIp, ClientPort = 40000, ServicePort = 80,
            SequenceNumber = seq, AckNumber = 77, ClientWindow = window, WindowScale = scale, Ttl = 64, ServiceWindow = 4096,
            Mss = mss, Opcode = AtcpServiceOpcode.SendDiskObject, Volume = 0, RangeOffset = (ulong)offset,
            RangeLength = length < 0 ? ulong.MaxValue : (ulong)length,
        };
        Array.Copy(ClientMac, c.ClientMac, 6);
        Array.Copy(ClientMac, c.NextHopMac, 6);
        Assert.Equal(ParseStatus.Ok, c.Name.SetText(name));
        Assert.Equal(ParseStatus.Ok, c.Prefix.SetText(prefix));
        return c;
    }

    public void Ack(uint stream, uint ack, ushort window = 65535, params (uint L, uint R)[] sacks)
    {
        var a = new AtcpClientAckRepr { StreamId = stream, AckNumber = ack, ServiceAckNumber = 77, Window = window, ServiceWindow = 4096 };
        foreach (var (l, r) in sacks) a.AddSack(l, r);
        Send(a);
    }

    /// <summary>UDP frames (datagram streams) seen by Take, oldest first; the caller clears them.</summary>
    public readonly List<byte[]> Datagrams = new();

    /// <summary>Board frames sent since the last call, split into ATCP messages and TCP segments.</summary>
    public (List<(AtcpMessageType Type, byte[] Frame, int Body, int Length)> Atcp, List<DecodedFrame> Segments) Take()
    {
        var atcp = new List<(AtcpMessageType, byte[], int, int)>();
        var segments = new List<DecodedFrame>();
        foreach (var f in Nic.Outbound)
        {
            if (EthernetHeader.GetEtherType(f, 0) == EtherType.IPv4 && f[23] == 17)
            {
                Datagrams.Add(f); // UDP: datagram streams, checked by the caller
                continue;
            }
            if (EthernetHeader.GetEtherType(f, 0) == EtherType.Atcp)
            {
                Assert.Equal(ParseStatus.Ok, _reader.Read(f, 0, f.Length));
                atcp.Add(((AtcpMessageType)_reader.MessageType, f, _reader.BodyOffset, _reader.BodyLength));
            }
            else
            {
                var d = DecodedFrame.Decode(f);
                Assert.Equal(ParseStatus.Ok, d.Status);
                Assert.True(TcpHeader.VerifyChecksum(ServiceIp, ClientIp, f, 34, f.Length - 34), "segment checksum");
                segments.Add(d);
            }
        }
        Nic.Outbound.Clear();
        return (atcp, segments);
    }

    public static AtcpServiceAckRepr ServiceAck((AtcpMessageType Type, byte[] Frame, int Body, int Length) m)
    {
        Assert.Equal(AtcpMessageType.ServiceAck, m.Type);
        var r = new AtcpServiceAckRepr();
        Assert.Equal(ParseStatus.Ok, r.Parse(m.Frame, m.Body, m.Length));
        return r;
    }

    /// <summary>Runs a stream to the end: the client receives every segment (dropping those
    /// lose() picks the first time) and acknowledges cumulatively after each poll.</summary>
    public byte[] Transfer(uint stream, uint seq, Func<int, bool>? lose = null, int maxPolls = 100_000)
    {
        var received = new SortedDictionary<uint, byte[]>();
        uint next = seq;
        int index = 0;
        var seen = new HashSet<uint>();
        var bytes = new List<byte>();
        for (int p = 0; p < maxPolls; p++)
        {
            Poll();
            var (atcp, segments) = Take();
            if (atcp.Any(m => m.Type == AtcpMessageType.Done)) return bytes.ToArray();
            foreach (var s in segments)
            {
                uint sseq = s.Tcp!.SequenceNumber;
                bool first = seen.Add(sseq);
                if (first && lose != null && lose(index++)) continue;
                received[sseq] = s.Payload;
            }
            while (received.TryGetValue(next, out var data)) { received.Remove(next); bytes.AddRange(data); next += (uint)data.Length; }
            if (segments.Count > 0) Ack(stream, next);
            Now += 5;
        }
        throw new Xunit.Sdk.XunitException("transfer did not finish");
    }
}
