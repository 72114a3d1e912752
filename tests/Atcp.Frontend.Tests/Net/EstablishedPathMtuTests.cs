using Atcp.Frontend.Net;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED, path MTU: ICMP fragmentation-needed (RFC 1191) for a connection.</summary>
public class EstablishedPathMtuTests
{
    // The quoted datagram: what we (or a board) sent the client, header and first 8 bytes of TCP.
    static byte[] Quote(TestClient client, uint sequence, int totalLength = 1500)
    {
        var sent = new PacketBuilder().IPv4(NetHarness.ServiceIp, client.Ip, ip => ip.DontFragment = true)
            .Tcp(NetHarness.Port, client.Port, sequence, client.Seq, TcpFlags.Ack).Build();
        IPv4Header.SetTotalLength(sent, 0, (ushort)totalLength);
        return sent[..28];
    }

    static byte[] FragNeeded(TestClient client, uint sequence, ushort mtu, int totalLength = 1500) =>
        new PacketBuilder().Ethernet(NetHarness.GatewayMac, NetHarness.ServiceMac).IPv4(NetHarness.GatewayIp, NetHarness.ServiceIp)
            .Icmp(IcmpType.DestinationUnreachable, IcmpUnreachableCode.FragmentationNeeded, i => i.NextHopMtu = mtu)
            .Payload(Quote(client, sequence, totalLength)).Build();

    [Fact]
    public void FragNeeded_ForBoardBytes_IsReportedWithTheRangeOwnerAndLowersMss()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        var owner = new RecordingOwner();
        c.TryBeginDelegatedReply(owner, h.Now, out var start);
        c.SetDelegatedSize(start.Sequence, 100_000, h.Now);

        h.Feed(FragNeeded(client, start.Sequence + 2920, 1400));
        var report = h.Events.PathMtu.Single();
        Assert.Same(c, report.Connection);
        Assert.Equal(1400, report.Mtu);
        Assert.Same(owner, report.Owner);
        Assert.Equal(1360, c.SendMss);
        Assert.Equal(1, h.Stack.Counters[NetCounter.IcmpFragmentationNeeded]);
    }

    [Fact]
    public void FragNeeded_ForOurBytes_ResendsThemInSmallerSegments()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send(new byte[1460], h.Now);
        h.Segments();
        h.Feed(FragNeeded(client, client.ServerSeq(1), 1000));
        var resent = h.Segments().Single();
        Assert.Equal(960, resent.Payload.Length);
        Assert.Null(h.Events.PathMtu.Single().Owner);
    }

    [Fact]
    public void FragNeeded_QuotingSequenceNotInFlight_IsIgnored()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        h.Feed(FragNeeded(client, client.ServerSeq(1) + 5_000_000, 1000));
        Assert.Empty(h.Events.PathMtu);
        Assert.Equal(1460, c.SendMss);
        Assert.Equal(1, h.Stack.Counters[NetCounter.IcmpFragmentationNeededIgnored]);
    }

    [Fact]
    public void FragNeeded_WithoutNextHopMtu_UsesThePlateauBelowTheQuotedLength()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send(new byte[1460], h.Now);
        h.Feed(FragNeeded(client, client.ServerSeq(1), 0, 1500));
        Assert.Equal(1492, h.Events.PathMtu.Single().Mtu);
    }

    [Fact]
    public void FragNeeded_BelowIpv4Minimum_IsClampedTo576()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send(new byte[1460], h.Now);
        h.Feed(FragNeeded(client, client.ServerSeq(1), 300));
        Assert.Equal(536, c.SendMss);
    }

    [Fact]
    public void FragNeeded_ForUnknownConnection_IsIgnored()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(FragNeeded(client, 1234, 1000));
        Assert.Equal(1, h.Stack.Counters[NetCounter.IcmpFragmentationNeededIgnored]);
    }
}
