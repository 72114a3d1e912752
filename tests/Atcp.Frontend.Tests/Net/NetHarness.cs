using Atcp.Frontend.Net;
using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>A frame the stack sent, decoded.</summary>
public sealed class SentFrame
{
    public required byte[] Bytes { get; init; }
    public required EthernetRepr Ethernet { get; init; }
    public ArpRepr? Arp { get; init; }
    public IPv4Repr? IPv4 { get; init; }
    public TcpRepr? Tcp { get; init; }
    public IcmpRepr? Icmp { get; init; }
    public Atcp.Wire.Udp.UdpRepr? Udp { get; init; }
    public byte[] Payload { get; init; } = [];

    public bool Has(byte flag) => Tcp != null && (Tcp.Flags & flag) != 0;
    public bool IsPureAck => Tcp != null && Tcp.Flags == TcpFlags.Ack && Payload.Length == 0;
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
    public override string ToString() => Tcp != null
        ? $"TCP {TcpFlags.Format(Tcp.Flags)} seq={Tcp.SequenceNumber} ack={Tcp.AcknowledgmentNumber} win={Tcp.Window} len={Payload.Length}"
        : Arp != null ? $"ARP op={Arp.Operation} {IPv4Address.Format(Arp.SenderProtocolAddress)}->{IPv4Address.Format(Arp.TargetProtocolAddress)}"
        : Icmp != null ? $"ICMP type={Icmp.Type}" : "frame";

    /// <summary>Decodes a frame, checking every checksum on the way (a test fails on a bad one).</summary>
    public static SentFrame Decode(byte[] bytes)
    {
        var eth = new EthernetRepr();
        Assert.Equal(ParseStatus.Ok, eth.Parse(bytes, 0, bytes.Length));
        Assert.True(bytes.Length >= EthernetHeader.MinFrameLength, "frames are padded to 60 bytes");
        if (eth.EtherType == EtherType.Arp)
        {
            var arp = new ArpRepr();
            Assert.Equal(ParseStatus.Ok, arp.Parse(bytes, 14, bytes.Length - 14));
            return new SentFrame { Bytes = bytes, Ethernet = eth, Arp = arp };
        }
        var ip = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, ip.Parse(bytes, 14, bytes.Length - 14));
        int t = 14 + ip.Length;
        if (ip.Protocol == IpProtocol.Tcp)
        {
            var tcp = new TcpRepr();
            Assert.Equal(ParseStatus.Ok, tcp.Parse(bytes, t, ip.PayloadLength, ip.Source, ip.Destination));
            return new SentFrame { Bytes = bytes, Ethernet = eth, IPv4 = ip, Tcp = tcp, Payload = bytes.AsSpan(tcp.PayloadOffset, tcp.PayloadLength).ToArray() };
        }
        if (ip.Protocol == IpProtocol.Udp)
        {
            var udp = new Atcp.Wire.Udp.UdpRepr();
            Assert.Equal(ParseStatus.Ok, udp.Parse(bytes, t, ip.PayloadLength, ip.Source, ip.Destination));
            Assert.True(udp.HasChecksum, "UDP is sent with a checksum");
            return new SentFrame { Bytes = bytes, Ethernet = eth, IPv4 = ip, Udp = udp, Payload = bytes.AsSpan(udp.PayloadOffset, udp.PayloadLength).ToArray() };
        }
        var icmp = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, icmp.Parse(bytes, t, ip.PayloadLength));
        return new SentFrame { Bytes = bytes, Ethernet = eth, IPv4 = ip, Icmp = icmp, Payload = icmp.Data.AsSpan(icmp.DataOffset, icmp.DataLength).ToArray() };
    }
}

/// <summary>A fake link: records every frame the stack sends.</summary>
public sealed class FakeLink : IFrameOutput
{
    readonly List<byte[]> _frames = new();

    public void SendFrame(ReadOnlySpan<byte> frame) => _frames.Add(frame.ToArray());

    /// <summary>Frames sent since the last take, decoded, and forgets them.</summary>
    public List<SentFrame> Take()
    {
        var list = _frames.Select(SentFrame.Decode).ToList();
        _frames.Clear();
        return list;
    }

    public int Count => _frames.Count;
}

/// <summary>Records upper-layer events; optional handlers act on them (e.g. a fixed reply).</summary>
public sealed class RecordingEvents : ITcpEvents
{
    public List<TcpConnection> Connected { get; } = new();
    public List<TcpConnection> DataEvents { get; } = new();
    public List<TcpConnection> PeerClosed { get; } = new();
    public List<(TcpConnection Connection, CloseReason Reason)> Closed { get; } = new();
    public List<(TcpConnection Connection, int Mtu, IDelegatedReplyOwner? Owner)> PathMtu { get; } = new();
    public Action<TcpConnection, long>? OnDataHandler { get; set; }
    public Action<TcpConnection, long>? OnConnectedHandler { get; set; }

    public void OnConnected(TcpConnection connection, long now) { Connected.Add(connection); OnConnectedHandler?.Invoke(connection, now); }
    public void OnData(TcpConnection connection, long now) { DataEvents.Add(connection); OnDataHandler?.Invoke(connection, now); }
    public void OnPeerClosed(TcpConnection connection, long now) => PeerClosed.Add(connection);
    public void OnClosed(TcpConnection connection, CloseReason reason, long now) => Closed.Add((connection, reason));
    public void OnPathMtuReduced(TcpConnection connection, int mtu, IDelegatedReplyOwner? owner, long now) => PathMtu.Add((connection, mtu, owner));
}

/// <summary>A delegated reply owner that records what it is told.</summary>
public sealed class RecordingOwner : IDelegatedReplyOwner
{
    public List<DelegatedAck> Acks { get; } = new();
    public List<CloseReason> Cancelled { get; } = new();
    public Action<DelegatedAck, long>? OnAck { get; set; }

    public void OnClientAck(in DelegatedAck ack, long now) { Acks.Add(ack); OnAck?.Invoke(ack, now); }
    public void OnCancelled(TcpConnection connection, uint replyStart, CloseReason reason, long now) => Cancelled.Add(reason);
}

/// <summary>The stack on a virtual clock and a fake link, with its service address 198.18.0.1/24,
/// gateway 198.18.0.254, listening on port 80.</summary>
public sealed class NetHarness
{
    public static readonly uint ServiceIp = IPv4Address.FromOctets(198, 18, 0, 1);
    public static readonly uint GatewayIp = IPv4Address.FromOctets(198, 18, 0, 254);
    public static readonly byte[] ServiceMac = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] GatewayMac = [0x02, 0, 0, 0, 0, 0xFE];
    public const ushort Port = 80;

    public NetStack Stack { get; }
    public FakeLink Link { get; } = new();
    public RecordingEvents Events { get; } = new();
    public NetStackOptions Options { get; }
    public long Now { get; private set; } = 1_000_000;

    public NetHarness(Func<NetStackOptions, NetStackOptions>? configure = null)
    {
        var options = new NetStackOptions
        {
            Address = ServiceIp, PrefixLength = 24, Gateway = GatewayIp, MacAddress = ServiceMac,
            Secret = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(), DelayedAckMs = 0,
        };
        Options = configure != null ? configure(options) : options;
        Stack = new NetStack(Options, Link, Events);
        Stack.Tcp.Listen(Port);
    }

    /// <summary>Feeds a frame at the current time.</summary>
    public void Feed(byte[] frame) => Stack.OnFrame(frame, frame.Length, Now);

    /// <summary>Moves the clock and runs the timers.</summary>
    public void Advance(long ms)
    {
        Now += ms;
        Stack.Poll(Now);
    }

    /// <summary>A client on the local network (ARP already resolved, as when it asked for us first).</summary>
    public TestClient Client(byte lastOctet = 10, ushort port = 40000, bool learnArp = true)
    {
        var client = new TestClient(this, IPv4Address.FromOctets(198, 18, 0, lastOctet), [0x02, 0, 0, 0, 1, lastOctet], port);
        if (learnArp)
        {
            Feed(new PacketBuilder().Ethernet(client.Mac, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
                .Arp(ArpOperation.Request, client.Mac, client.Ip, new byte[6], ServiceIp).Build());
            Link.Take();
        }
        return client;
    }

    /// <summary>The TCP segments sent since the last take.</summary>
    public List<SentFrame> Segments() => Link.Take().Where(f => f.Tcp != null).ToList();
}
