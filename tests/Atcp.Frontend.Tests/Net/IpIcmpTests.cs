using Atcp.Frontend.Net;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>IPv4 input checks and ICMP: echo, fragmentation-needed.</summary>
public class IpIcmpTests
{
    static PacketBuilder FromClient(TestClient c) => new PacketBuilder().Ethernet(c.Mac, NetHarness.ServiceMac).IPv4(c.Ip, NetHarness.ServiceIp);

    [Fact]
    public void EchoRequest_IsAnsweredWithSameIdSequenceAndData()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FromClient(client).Icmp(IcmpType.EchoRequest, 0, i => { i.Identifier = 0x1234; i.SequenceNumber = 7; }).Payload("ping data").Build());
        var reply = h.Link.Take().Single();
        Assert.Equal(IcmpType.EchoReply, reply.Icmp!.Type);
        Assert.Equal(0x1234, reply.Icmp.Identifier);
        Assert.Equal(7, reply.Icmp.SequenceNumber);
        Assert.Equal("ping data", reply.Text);
        Assert.Equal(client.Ip, reply.IPv4!.Destination);
        Assert.Equal(NetHarness.ServiceIp, reply.IPv4.Source);
        Assert.Equal(64, reply.IPv4.Ttl);
    }

    [Fact]
    public void EchoRequest_WithBadChecksum_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FromClient(client).Icmp(IcmpType.EchoRequest, 0).Payload("x").CorruptChecksum().Build());
        Assert.Equal(0, h.Link.Count);
        Assert.Equal(1, h.Stack.Counters[NetCounter.IcmpBadChecksum]);
    }

    [Fact]
    public void Packet_WithBadHeaderChecksum_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FromClient(client).Icmp(IcmpType.EchoRequest, 0).CorruptIPv4Checksum().Build());
        Assert.Equal(0, h.Link.Count);
        Assert.Equal(1, h.Stack.Counters[NetCounter.IPv4BadChecksum]);
    }

    [Fact]
    public void Fragment_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(client.Ip, NetHarness.ServiceIp, ip => ip.MoreFragments = true)
            .Icmp(IcmpType.EchoRequest, 0).Build());
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(client.Ip, NetHarness.ServiceIp, ip => ip.FragmentOffset = 1480)
            .Icmp(IcmpType.EchoRequest, 0).Build());
        Assert.Equal(2, h.Stack.Counters[NetCounter.IPv4Fragment]);
        Assert.Equal(0, h.Link.Count);
    }

    [Fact]
    public void Packet_ForAnotherAddress_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(client.Ip, IPv4Address.FromOctets(198, 18, 0, 2))
            .Icmp(IcmpType.EchoRequest, 0).Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.IPv4OtherDestination]);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.18.0.255")]
    public void Packet_FromImpossibleSource_IsDroppedAndCounted(string source)
    {
        var h = new NetHarness();
        var client = h.Client();
        IPv4Address.TryParse(source, out uint src);
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(src, NetHarness.ServiceIp)
            .Tcp(1, NetHarness.Port, 1, 0, TcpFlags.Syn).Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.IPv4BadSource]);
        Assert.Equal(0, h.Link.Count);
    }

    [Fact]
    public void Ipv4_InBroadcastFrame_IsDropped()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(new PacketBuilder().Ethernet(client.Mac, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).IPv4(client.Ip, NetHarness.ServiceIp)
            .Icmp(IcmpType.EchoRequest, 0).Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.IPv4LinkBroadcast]);
    }

    [Fact]
    public void Frame_ForAnotherMac_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(new PacketBuilder().Ethernet(client.Mac, [0x02, 9, 9, 9, 9, 9]).IPv4(client.Ip, NetHarness.ServiceIp)
            .Icmp(IcmpType.EchoRequest, 0).Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.EthernetOtherDestination]);
    }

    [Fact]
    public void Tcp_WithBadChecksum_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FromClient(client).Tcp(client.Port, NetHarness.Port, 1, 0, TcpFlags.Syn).CorruptChecksum().Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpBadChecksum]);
        Assert.Equal(0, h.Link.Count);
    }

    [Fact]
    public void UnknownProtocol_IsCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FromClient(client).IPv4(client.Ip, NetHarness.ServiceIp, ip => ip.Protocol = 47).Payload("gre").Build());
        Assert.Equal(1, h.Stack.Counters[NetCounter.IPv4UnknownProtocol]);
    }
}
