using Atcp.Frontend.Net;
using Atcp.Wire.Arp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ARP: answering, announcing, resolving with queue and retries, expiry, conflicts.</summary>
public class ArpTests
{
    static readonly byte[] Broadcast = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    static readonly byte[] ClientMac = [0x02, 0, 0, 0, 1, 10];
    static readonly uint ClientIp = IPv4Address.FromOctets(198, 18, 0, 10);

    static byte[] Request(byte[] senderMac, uint senderIp, uint targetIp) =>
        new PacketBuilder().Ethernet(senderMac, Broadcast).Arp(ArpOperation.Request, senderMac, senderIp, new byte[6], targetIp).Build();

    static byte[] Reply(byte[] senderMac, uint senderIp) =>
        new PacketBuilder().Ethernet(senderMac, NetHarness.ServiceMac)
            .Arp(ArpOperation.Reply, senderMac, senderIp, NetHarness.ServiceMac, NetHarness.ServiceIp).Build();

    [Fact]
    public void Request_ForServiceAddress_IsAnsweredUnicastAndSenderLearned()
    {
        var h = new NetHarness();
        h.Feed(Request(ClientMac, ClientIp, NetHarness.ServiceIp));
        var reply = h.Link.Take().Single();
        Assert.Equal(ArpOperation.Reply, reply.Arp!.Operation);
        Assert.Equal(ClientMac, reply.Ethernet.Destination);
        Assert.Equal(NetHarness.ServiceMac, reply.Arp.SenderHardwareAddress);
        Assert.Equal(NetHarness.ServiceIp, reply.Arp.SenderProtocolAddress);
        Assert.Equal(ClientIp, reply.Arp.TargetProtocolAddress);
        Assert.True(h.Stack.Arp.TryGet(ClientIp, h.Now, new byte[6]));
    }

    [Fact]
    public void Request_ForAnotherAddress_IsIgnoredAndNotLearned()
    {
        var h = new NetHarness();
        h.Feed(Request(ClientMac, ClientIp, IPv4Address.FromOctets(198, 18, 0, 99)));
        Assert.Equal(0, h.Link.Count);
        Assert.False(h.Stack.Arp.Contains(ClientIp));
    }

    [Fact]
    public void Probe_FromZeroSender_IsAnsweredButNothingLearned()
    {
        var h = new NetHarness();
        h.Feed(Request(ClientMac, 0, NetHarness.ServiceIp));
        Assert.Equal(ArpOperation.Reply, h.Link.Take().Single().Arp!.Operation);
        Assert.Equal(0, h.Stack.Arp.Count);
    }

    [Fact]
    public void Start_SendsTwoGratuitousAnnouncementsTwoSecondsApart()
    {
        var h = new NetHarness();
        h.Stack.Start(h.Now);
        var first = h.Link.Take().Single();
        Assert.Equal(Broadcast, first.Ethernet.Destination);
        Assert.Equal(ArpOperation.Request, first.Arp!.Operation);
        Assert.Equal(NetHarness.ServiceIp, first.Arp.SenderProtocolAddress);
        Assert.Equal(NetHarness.ServiceIp, first.Arp.TargetProtocolAddress);
        h.Advance(1999);
        Assert.Equal(0, h.Link.Count);
        h.Advance(1);
        Assert.Single(h.Link.Take());
        h.Advance(10_000);
        Assert.Equal(0, h.Link.Count);
    }

    [Fact]
    public void Send_ToUnresolvedClient_QueuesAsksAndFlushesOnReply()
    {
        var h = new NetHarness();
        var client = h.Client(learnArp: false);
        client.Syn(); // the SYN-ACK needs the client's MAC
        var ask = h.Link.Take().Single();
        Assert.Equal(ArpOperation.Request, ask.Arp!.Operation);
        Assert.Equal(ClientIp, ask.Arp.TargetProtocolAddress);
        Assert.Equal(Broadcast, ask.Ethernet.Destination);

        h.Feed(Reply(ClientMac, ClientIp));
        var synAck = h.Link.Take().Single();
        Assert.True(synAck.Has(TcpFlags.Syn));
        Assert.Equal(ClientMac, synAck.Ethernet.Destination);
        Assert.Equal(1, h.Stack.Counters[NetCounter.ArpRepliesReceived]);
    }

    [Fact]
    public void Resolution_Unanswered_RetriesThenDropsQueuedFrames()
    {
        var h = new NetHarness(o => o with { SynAckRetries = 0 });
        var client = h.Client(learnArp: false);
        client.Syn();
        Assert.Single(h.Link.Take());
        h.Advance(1000);
        Assert.Single(h.Link.Take(), f => f.Arp != null);
        h.Advance(1000);
        Assert.Single(h.Link.Take(), f => f.Arp != null);
        h.Advance(1000);
        Assert.Equal(3, h.Stack.Counters[NetCounter.ArpRequestsSent]);
        Assert.Equal(1, h.Stack.Counters[NetCounter.ArpResolutionFailed]);
        Assert.Equal(0, h.Stack.Arp.PendingCount);
    }

    [Fact]
    public void Queue_PerAddress_IsBounded()
    {
        var h = new NetHarness(o => o with { ArpMaxQueuedPerAddress = 2 });
        for (ushort p = 0; p < 4; p++) h.Client(10, (ushort)(40000 + p), learnArp: false).Syn();
        Assert.Equal(2, h.Stack.Counters[NetCounter.ArpQueueFull]);
    }

    [Fact]
    public void Pending_Resolutions_AreBounded()
    {
        var h = new NetHarness(o => o with { ArpMaxPending = 3 });
        for (byte i = 0; i < 5; i++) h.Client((byte)(20 + i), learnArp: false).Syn();
        Assert.Equal(3, h.Stack.Arp.PendingCount);
        Assert.Equal(2, h.Stack.Counters[NetCounter.ArpTooManyPending]);
    }

    [Fact]
    public void Entry_Expires_AndIsResolvedAgainOnNextUse()
    {
        var h = new NetHarness(o => o with { ArpEntryLifetimeMs = 10_000, IdleTimeoutMs = 0 });
        var client = h.Client();
        var c = client.Connect();
        h.Advance(10_000);
        Assert.False(h.Stack.Arp.Contains(client.Ip));
        Assert.Equal(1, h.Stack.Counters[NetCounter.ArpEntriesExpired]);
        c.Send("x"u8, h.Now);
        var ask = h.Link.Take().Single();
        Assert.Equal(ArpOperation.Request, ask.Arp!.Operation);
        h.Feed(Reply(client.Mac, client.Ip));
        Assert.Equal("x", h.Link.Take().Single().Text);
    }

    [Fact]
    public void Reply_FromKnownHost_UpdatesItsMac()
    {
        var h = new NetHarness();
        h.Client();
        byte[] moved = [0x02, 0, 0, 0, 9, 9];
        h.Feed(Reply(moved, ClientIp));
        var mac = new byte[6];
        Assert.True(h.Stack.Arp.TryGet(ClientIp, h.Now, mac));
        Assert.Equal(moved, mac);
    }

    [Fact]
    public void Conflict_SomeoneClaimsOurAddress_IsCountedAndDefendedOncePerTenSeconds()
    {
        var h = new NetHarness();
        byte[] intruder = [0x02, 0, 0, 0, 6, 6];
        h.Feed(Request(intruder, NetHarness.ServiceIp, NetHarness.ServiceIp));
        h.Feed(Request(intruder, NetHarness.ServiceIp, NetHarness.ServiceIp));
        Assert.Equal(2, h.Stack.Counters[NetCounter.ArpAddressConflict]);
        var defence = h.Link.Take().Single();
        Assert.Equal(NetHarness.ServiceIp, defence.Arp!.SenderProtocolAddress);
        Assert.Equal(NetHarness.ServiceMac, defence.Arp.SenderHardwareAddress);
    }

    [Fact]
    public void OffLinkClient_IsReachedThroughTheGatewaysMac()
    {
        var h = new NetHarness();
        h.Feed(Request(NetHarness.GatewayMac, NetHarness.GatewayIp, NetHarness.ServiceIp));
        h.Link.Take();
        uint remote = IPv4Address.FromOctets(198, 19, 7, 7);
        h.Feed(new PacketBuilder().Ethernet(NetHarness.GatewayMac, NetHarness.ServiceMac).IPv4(remote, NetHarness.ServiceIp)
            .Tcp(50000, NetHarness.Port, 1, 0, TcpFlags.Syn, TestClient.DefaultSynOptions).Build());
        var synAck = h.Link.Take().Single();
        Assert.Equal(NetHarness.GatewayMac, synAck.Ethernet.Destination);
        Assert.Equal(remote, synAck.IPv4!.Destination);
    }

    [Fact]
    public void Cache_Full_EvictsTheEntryClosestToExpiry()
    {
        var h = new NetHarness(o => o with { ArpMaxEntries = 2 });
        h.Feed(Request([2, 0, 0, 0, 1, 1], IPv4Address.FromOctets(198, 18, 0, 11), NetHarness.ServiceIp));
        h.Advance(10);
        h.Feed(Request([2, 0, 0, 0, 1, 2], IPv4Address.FromOctets(198, 18, 0, 12), NetHarness.ServiceIp));
        h.Feed(Request([2, 0, 0, 0, 1, 3], IPv4Address.FromOctets(198, 18, 0, 13), NetHarness.ServiceIp));
        Assert.Equal(2, h.Stack.Arp.Count);
        Assert.False(h.Stack.Arp.Contains(IPv4Address.FromOctets(198, 18, 0, 11)));
    }
}
