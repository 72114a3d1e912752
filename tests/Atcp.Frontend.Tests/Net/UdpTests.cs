using Atcp.Frontend.Net;
using Atcp.Wire.Arp;
using Atcp.Wire.IPv4;

namespace Atcp.Frontend.Tests.Net;

/// <summary>UDP on the service address: delivery to the handler, checks, and output through ARP.</summary>
public class UdpTests
{
    sealed class RecordingUdp : IUdpHandler
    {
        public readonly List<(uint Source, ushort SourcePort, ushort Port, byte[] Payload)> Datagrams = new();
        public void OnDatagram(uint source, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, long now) =>
            Datagrams.Add((source, sourcePort, destinationPort, payload.ToArray()));
    }

    static readonly byte[] ClientMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x0A];
    static readonly uint ClientIp = IPv4Address.FromOctets(198, 18, 0, 10);

    static byte[] Datagram(ushort dstPort, byte[] payload, bool withChecksum = true, bool corrupt = false)
    {
        var b = new PacketBuilder().Ethernet(ClientMac, NetHarness.ServiceMac).IPv4(ClientIp, NetHarness.ServiceIp)
            .Udp(40000, dstPort, withChecksum).Payload(payload);
        if (corrupt) b.CorruptChecksum();
        return b.Build();
    }

    [Fact]
    public void Datagram_ForTheServiceAddress_ReachesTheHandler()
    {
        var h = new NetHarness();
        var udp = new RecordingUdp();
        h.Stack.UdpHandler = udp;
        h.Feed(Datagram(69, [0, 1, (byte)'a', 0]));
        var d = udp.Datagrams.Single();
        Assert.Equal((ClientIp, (ushort)40000, (ushort)69), (d.Source, d.SourcePort, d.Port));
        Assert.Equal(new byte[] { 0, 1, (byte)'a', 0 }, d.Payload);
        Assert.Equal(1, h.Stack.Counters[NetCounter.UdpDatagramsReceived]);
    }

    [Fact]
    public void Datagram_WithoutChecksum_IsAccepted_RFC768()
    {
        var h = new NetHarness();
        var udp = new RecordingUdp();
        h.Stack.UdpHandler = udp;
        h.Feed(Datagram(69, [1, 2, 3], withChecksum: false));
        Assert.Single(udp.Datagrams);
    }

    [Fact]
    public void Datagram_WithBadChecksum_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        var udp = new RecordingUdp();
        h.Stack.UdpHandler = udp;
        h.Feed(Datagram(69, [1, 2, 3], corrupt: true));
        Assert.Empty(udp.Datagrams);
        Assert.Equal(1, h.Stack.Counters[NetCounter.UdpBadChecksum]);
    }

    [Fact]
    public void Datagram_WithNoHandler_IsDroppedAndCounted()
    {
        var h = new NetHarness();
        h.Feed(Datagram(69, [1, 2, 3]));
        Assert.Equal(1, h.Stack.Counters[NetCounter.UdpNoHandler]);
        Assert.Equal(0, h.Link.Count);
    }

    [Fact]
    public void SendUdp_ToAnUnresolvedClient_AsksArpFirst_ThenSendsWithAChecksum()
    {
        var h = new NetHarness();
        Assert.True(h.Stack.SendUdp(50000, ClientIp, 40000, [0, 6, 1, 2]));
        var arp = h.Link.Take().Single();
        Assert.Equal(ArpOperation.Request, arp.Arp!.Operation);
        Assert.Equal(ClientIp, arp.Arp.TargetProtocolAddress);
        h.Feed(new PacketBuilder().Ethernet(ClientMac, NetHarness.ServiceMac)
            .Arp(ArpOperation.Reply, ClientMac, ClientIp, NetHarness.ServiceMac, NetHarness.ServiceIp).Build());
        var sent = h.Link.Take().Single();
        Assert.Equal(ClientMac, sent.Ethernet.Destination);
        Assert.Equal((ushort)50000, sent.Udp!.SourcePort);
        Assert.Equal((ushort)40000, sent.Udp.DestinationPort);
        Assert.Equal(new byte[] { 0, 6, 1, 2 }, sent.Payload);
        Assert.True(sent.IPv4!.DontFragment);
        Assert.Equal(1, h.Stack.Counters[NetCounter.UdpDatagramsSent]);
    }

    [Fact]
    public void SendUdp_LargerThanTheMtu_IsRefusedAndCounted()
    {
        var h = new NetHarness();
        Assert.False(h.Stack.SendUdp(50000, ClientIp, 40000, new byte[1500 - 28 + 1]));
        Assert.Equal(1, h.Stack.Counters[NetCounter.UdpTooLarge]);
        Assert.Equal(0, h.Link.Count);
    }
}
