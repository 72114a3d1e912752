using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED, delegation: replies a board sends with our sequence numbers, and the
/// relay of client ACKs (seed [0028]-[0031], Figs. 8 and 9).</summary>
public class EstablishedDelegationTests
{
    static (NetHarness H, TestClient Client, TcpConnection C) Open(Func<NetStackOptions, NetStackOptions>? configure = null)
    {
        var h = new NetHarness(configure);
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET /big HTTP/1.1\r\n\r\n");
        c.Consume(c.Available, h.Now);
        h.Segments();
        return (h, client, c);
    }

    static DelegatedReplyStart Begin(TcpConnection c, NetHarness h, IDelegatedReplyOwner owner)
    {
        Assert.True(c.TryBeginDelegatedReply(owner, h.Now, out var start));
        return start;
    }

    [Fact]
    public void Begin_ReturnsEverythingTheCommandNeeds()
    {
        var (h, client, c) = Open();
        var start = Begin(c, h, new RecordingOwner());
        Assert.Equal(client.ServerSeq(1), start.Sequence);
        Assert.Equal(client.Seq, start.AckNumber);
        Assert.Equal(c.ReceiveNext, start.AckNumber);
        Assert.Equal(65535, start.ClientWindowField);
        Assert.Equal(7, start.ClientWindowScale);
        Assert.Equal(65535L << 7, start.ClientWindowFromStart);
        Assert.Equal(1460, start.Mss);
        Assert.True(start.SackPermitted);
        // Our free space shifted by 7, less the request bytes the SWS rule keeps on the edge.
        Assert.InRange(start.WindowField << 7, h.Options.ReceiveBufferBytes - 1460, h.Options.ReceiveBufferBytes);
        Assert.Equal(client.Mac, start.NextHopMac);
        Assert.Empty(h.Segments()); // the front-end itself sends nothing for a delegated reply
    }

    [Fact]
    public void Begin_AfterFrontEndBytes_StartsWhereThoseEnd()
    {
        var (h, client, c) = Open();
        c.Send("HTTP/1.1 100 Continue\r\n\r\n"u8, h.Now);
        var start = Begin(c, h, new RecordingOwner());
        Assert.Equal(client.ServerSeq(1 + 25), start.Sequence);
    }

    [Fact]
    public void ClientAck_WithinRange_IsRelayedToTheOwner()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        c.SetDelegatedSize(start.Sequence, 10_000, h.Now);

        client.SendAck(start.Sequence + 4000);
        var ack = owner.Acks.Single();
        Assert.Equal(start.Sequence + 4000, ack.AckNumber);
        Assert.Equal(4000, ack.AcknowledgedInRange);
        Assert.False(ack.RangeFullyAcknowledged);
        Assert.Equal(start.Sequence, ack.ReplyStart);
        Assert.Equal(65535L << 7, ack.WindowBytes);
        Assert.False(ack.IsDuplicate);
        Assert.False(ack.WasHeld);
        Assert.Equal(client.Seq, ack.ReceiveNext);
        Assert.Same(c, ack.Connection);

        client.SendAck(start.Sequence + 10_000);
        Assert.True(owner.Acks[^1].RangeFullyAcknowledged);
        Assert.Equal(2, h.Stack.Counters[NetCounter.TcpAcksRelayed]);
        Assert.Empty(h.Segments()); // ACKs of board data need no answer from us
    }

    [Fact]
    public void ClientAck_BeyondTheKnownSendPoint_IsDroppedAndCounted()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        c.SetDelegatedSize(start.Sequence, 1000, h.Now);
        client.SendAck(start.Sequence + 1001);
        Assert.Empty(owner.Acks);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAckBeyondSent]);
        Assert.Equal(start.Sequence, c.SendUnacknowledged);
        Assert.Empty(h.Segments());
    }

    [Fact]
    public void DuplicateAckAtRangeStart_WithSack_IsRelayedAsDuplicate()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        c.SetDelegatedSize(start.Sequence, 10_000, h.Now);
        client.SendAck(start.Sequence); // window update only: not a duplicate yet (RFC 5681 needs the same window)
        client.SendAck(start.Sequence, t => { t.SackBlockCount = 1; t.SackLeft[0] = start.Sequence + 1460; t.SackRight[0] = start.Sequence + 2920; });
        var dup = owner.Acks[^1];
        Assert.True(dup.IsDuplicate);
        Assert.Equal(0, dup.AcknowledgedInRange);
        Assert.Equal(1, dup.SackBlockCount);
        Assert.Equal(new SackBlock(start.Sequence + 1460, start.Sequence + 2920), dup.SackBlocks[0]);
    }

    [Fact]
    public void ClientAck_BeforeSizeKnown_IsHeldThenDeliveredWhenSizeArrives()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        // The board started sending before its size report reached us; the client acknowledges it.
        client.SendAck(start.Sequence + 2920);
        Assert.Empty(owner.Acks);
        Assert.Equal(1, c.HeldAckCount);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAcksHeld]);
        Assert.Equal(0, h.Stack.Counters[NetCounter.TcpAckBeyondSent]);

        c.SetDelegatedSize(start.Sequence, 5000, h.Now);
        var ack = owner.Acks.Single();
        Assert.True(ack.WasHeld);
        Assert.Equal(2920, ack.AcknowledgedInRange);
        Assert.Equal(start.Sequence + 2920, c.SendUnacknowledged);
        Assert.Equal(0, c.HeldAckCount);
    }

    [Fact]
    public void ClientAck_BeforeSizeKnown_WithRequestData_StillAcknowledgesTheData()
    {
        var (h, client, c) = Open();
        var start = Begin(c, h, new RecordingOwner());
        client.Ack = start.Sequence + 1460;
        client.Send("GET /next HTTP/1.1\r\n\r\n");
        Assert.Equal(22, c.Available);
        var ack = h.Segments().Single();
        Assert.Equal(client.Seq, ack.Tcp!.AcknowledgmentNumber);
        Assert.Equal(start.Sequence, ack.Tcp.SequenceNumber); // nothing acknowledged yet as far as we know
    }

    [Fact]
    public void HeldAck_LargerThanTheReportedSize_IsDroppedAtRelease()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        client.SendAck(start.Sequence + 3000);
        c.SetDelegatedSize(start.Sequence, 1000, h.Now);
        Assert.Empty(owner.Acks);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAckBeyondSent]);
    }

    [Fact]
    public void ClientAck_BeforeSizeKnown_BeyondAnyWindow_IsDroppedNotHeld()
    {
        var (h, client, c) = Open();
        var start = Begin(c, h, new RecordingOwner());
        client.SendAck(start.Sequence + (65535u << 7) + 1);
        Assert.Equal(0, c.HeldAckCount);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAckBeyondSent]);
    }

    [Fact]
    public void HeldAcks_OverTheLimit_KeepTheNewest()
    {
        var (h, client, c) = Open(o => o with { MaxHeldAcks = 4 });
        var owner = new RecordingOwner();
        var start = Begin(c, h, owner);
        for (uint i = 1; i <= 6; i++) client.SendAck(start.Sequence + i * 1000);
        Assert.Equal(4, c.HeldAckCount);
        Assert.Equal(2, h.Stack.Counters[NetCounter.TcpHeldAckOverflow]);
        c.SetDelegatedSize(start.Sequence, 10_000, h.Now);
        Assert.Equal(new long[] { 3000, 4000, 5000, 6000 }, owner.Acks.Select(a => a.AcknowledgedInRange));
    }

    [Fact]
    public void KeepAlive_SecondReplyStartsAtSPlusSizeAsSoonAsSizeIsKnown()
    {
        var (h, client, c) = Open();
        var first = new RecordingOwner();
        var second = new RecordingOwner();
        var s1 = Begin(c, h, first);
        Assert.False(c.TryBeginDelegatedReply(second, h.Now, out _)); // size unknown: nowhere to start yet
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        var s2 = Begin(c, h, second);
        Assert.Equal(s1.Sequence + 3000, s2.Sequence);
        c.SetDelegatedSize(s2.Sequence, 2000, h.Now);

        client.SendAck(s1.Sequence + 3000);
        Assert.True(first.Acks.Single().RangeFullyAcknowledged);
        Assert.Equal(0, second.Acks.Single().AcknowledgedInRange); // at its start: relayed too
        client.SendAck(s2.Sequence + 1500);
        Assert.Single(first.Acks);
        Assert.Equal(1500, second.Acks[^1].AcknowledgedInRange);
    }

    [Fact]
    public void KeepAlive_CompletedRangeGetsNoMoreRelays()
    {
        var (h, client, c) = Open();
        var first = new RecordingOwner();
        var s1 = Begin(c, h, first);
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        client.SendAck(s1.Sequence + 3000);
        Assert.True(c.CompleteDelegatedReply(s1.Sequence, h.Now));
        client.SendAck(s1.Sequence + 3000);
        Assert.Single(first.Acks);
        Assert.False(c.HasOpenDelegatedReply);
    }

    [Fact]
    public void FrontEndReply_AfterDelegatedOne_GoesRightAfterItsEnd()
    {
        var (h, client, c) = Open();
        var s1 = Begin(c, h, new RecordingOwner());
        Assert.Equal(0, c.Send("too early"u8, h.Now));
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        Assert.Equal(26, c.Send("HTTP/1.1 404 Not Found\r\n\r\n"u8, h.Now));
        var seg = h.Segments().Single();
        Assert.Equal(s1.Sequence + 3000, seg.Tcp!.SequenceNumber);
        Assert.Equal("HTTP/1.1 404 Not Found\r\n\r\n", seg.Text);

        client.SendAck(s1.Sequence + 3026);
        Assert.Equal(s1.Sequence + 3026, c.SendUnacknowledged);
    }

    [Fact]
    public void FrontEndReply_AfterDelegatedOne_IsNotRetransmittedWhileTheBoardsBytesAreUnacknowledged()
    {
        var (h, client, c) = Open(o => o with { IdleTimeoutMs = 0 });
        var s1 = Begin(c, h, new RecordingOwner());
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        c.Send("tail"u8, h.Now);
        h.Segments();
        for (int i = 0; i < 50; i++) h.Advance(1000);
        var leaked = h.Segments();
        Assert.True(leaked.Count == 0, string.Join("; ", leaked));
        Assert.Equal(TcpState.Established, c.State); // no give-up: the board owns the oldest bytes
        client.SendAck(s1.Sequence + 3000);
        h.Advance(c.RetransmissionTimeoutMs);
        Assert.Equal("tail", h.Segments().Single().Text);
    }

    [Fact]
    public void Close_AfterLastReply_SendsFinOnlyOnceTheRangeIsComplete()
    {
        var (h, client, c) = Open();
        var s1 = Begin(c, h, new RecordingOwner());
        c.Close(h.Now);
        Assert.Empty(h.Segments());
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        client.SendAck(s1.Sequence + 3000);
        Assert.Empty(h.Segments());
        Assert.Equal(TcpState.Established, c.State);

        c.CompleteDelegatedReply(s1.Sequence, h.Now);
        var fin = h.Segments().Single();
        Assert.Equal(TcpFlags.Fin | TcpFlags.Ack, fin.Tcp!.Flags);
        Assert.Equal(s1.Sequence + 3000, fin.Tcp.SequenceNumber);
        Assert.Equal(TcpState.FinWait1, c.State);
        client.SendAck(s1.Sequence + 3001);
        Assert.Equal(TcpState.FinWait2, c.State);
    }

    [Fact]
    public void PipelinedRequest_WhileBoardSends_IsAcknowledgedAtTheClientsLatestAck()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var s1 = Begin(c, h, owner);
        c.SetDelegatedSize(s1.Sequence, 100_000, h.Now);
        client.Ack = s1.Sequence + 20_000;
        client.Send("GET /second HTTP/1.1\r\n\r\n");

        var ack = h.Segments().Single();
        Assert.True(ack.IsPureAck);
        Assert.Equal(s1.Sequence + 20_000, ack.Tcp!.SequenceNumber); // SND.UNA, not S + size
        Assert.Equal(client.Seq, ack.Tcp.AcknowledgmentNumber);
        Assert.Equal(client.Seq, c.ReceiveNext);
        Assert.Equal(client.Seq, owner.Acks[^1].ReceiveNext); // the board learns the new ACK number
    }

    [Fact]
    public void AbortDelegatedReply_ResetsAtSndUnaAndCancelsTheOtherRanges()
    {
        var (h, client, c) = Open();
        var failed = new RecordingOwner();
        var next = new RecordingOwner();
        var s1 = Begin(c, h, failed);
        c.SetDelegatedSize(s1.Sequence, 10_000, h.Now);
        Begin(c, h, next);
        client.SendAck(s1.Sequence + 4000);

        Assert.True(c.AbortDelegatedReply(s1.Sequence, h.Now));
        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, rst.Tcp!.Flags);
        Assert.Equal(s1.Sequence + 4000, rst.Tcp.SequenceNumber);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Empty(failed.Cancelled);
        Assert.Equal(CloseReason.Aborted, next.Cancelled.Single());
        Assert.Equal(CloseReason.Aborted, h.Events.Closed.Single().Reason);

        // The client had received more from the board: it answers with a challenge ACK, which now
        // meets no connection and gets a RST at exactly its ACK number.
        client.SendAck(s1.Sequence + 7000);
        var exact = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst, exact.Tcp!.Flags);
        Assert.Equal(s1.Sequence + 7000, exact.Tcp.SequenceNumber);
    }

    [Fact]
    public void ClientReset_WhileBoardSends_CancelsTheRange()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var s1 = Begin(c, h, owner);
        c.SetDelegatedSize(s1.Sequence, 10_000, h.Now);
        client.SendRst();
        Assert.Equal(CloseReason.ResetByClient, owner.Cancelled.Single());
    }

    [Fact]
    public void ClientFin_WhileBoardSends_IsRelayedAndReplyStillCompletes()
    {
        var (h, client, c) = Open();
        var owner = new RecordingOwner();
        var s1 = Begin(c, h, owner);
        c.SetDelegatedSize(s1.Sequence, 3000, h.Now);
        client.Ack = s1.Sequence + 1000;
        client.SendFin();
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.True(owner.Acks[^1].FinSeen);
        Assert.Equal(client.Seq, owner.Acks[^1].ReceiveNext);

        client.SendAck(s1.Sequence + 3000);
        c.CompleteDelegatedReply(s1.Sequence, h.Now);
        c.Close(h.Now);
        Assert.True(h.Segments().Last().Has(TcpFlags.Fin));
        Assert.Equal(TcpState.LastAck, c.State);
    }

    [Fact]
    public void Api_MisuseAndStaleCalls_ReturnFalseInsteadOfCorruptingState()
    {
        var (h, client, c) = Open();
        var s1 = Begin(c, h, new RecordingOwner());
        Assert.False(c.CompleteDelegatedReply(s1.Sequence, h.Now));       // size not known
        Assert.False(c.SetDelegatedSize(s1.Sequence + 1, 10, h.Now));      // no such range
        Assert.True(c.SetDelegatedSize(s1.Sequence, 10, h.Now));
        Assert.False(c.SetDelegatedSize(s1.Sequence, 20, h.Now));          // already sized
        Assert.True(c.CompleteDelegatedReply(s1.Sequence, h.Now));
        Assert.False(c.CompleteDelegatedReply(s1.Sequence, h.Now));
        Assert.False(c.AbortDelegatedReply(s1.Sequence, h.Now));
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact]
    public void ZeroSizedReply_CompletesAndLetsTheNextStartAtTheSamePoint()
    {
        var (h, client, c) = Open();
        var s1 = Begin(c, h, new RecordingOwner());
        c.SetDelegatedSize(s1.Sequence, 0, h.Now);
        var s2 = Begin(c, h, new RecordingOwner());
        Assert.Equal(s1.Sequence, s2.Sequence);
    }

    [Fact]
    public void BeginReply_OnClosingConnection_IsRefused()
    {
        var (h, client, c) = Open();
        c.Close(h.Now);
        Assert.False(c.TryBeginDelegatedReply(new RecordingOwner(), h.Now, out _));
    }

    [Fact]
    public void Begin_ForOffLinkClient_GivesTheGatewayMacAsNextHop()
    {
        var h = new NetHarness();
        h.Feed(new PacketBuilder().Ethernet(NetHarness.GatewayMac, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
            .Arp(Atcp.Wire.Arp.ArpOperation.Request, NetHarness.GatewayMac, NetHarness.GatewayIp, new byte[6], NetHarness.ServiceIp).Build());
        uint remote = Atcp.Wire.IPv4.IPv4Address.FromOctets(198, 19, 1, 2);
        h.Feed(new PacketBuilder().Ethernet(NetHarness.GatewayMac, NetHarness.ServiceMac).IPv4(remote, NetHarness.ServiceIp)
            .Tcp(50000, NetHarness.Port, 1, 0, TcpFlags.Syn, TestClient.DefaultSynOptions).Build());
        uint iss = h.Segments().Single().Tcp!.SequenceNumber;
        h.Feed(new PacketBuilder().Ethernet(NetHarness.GatewayMac, NetHarness.ServiceMac).IPv4(remote, NetHarness.ServiceIp)
            .Tcp(50000, NetHarness.Port, 2, iss + 1, TcpFlags.Ack).Build());
        var c = h.Stack.Tcp.Find(remote, 50000, NetHarness.Port)!;
        Assert.True(c.TryBeginDelegatedReply(new RecordingOwner(), h.Now, out var start));
        Assert.Equal(NetHarness.GatewayMac, start.NextHopMac);
    }

    [Fact]
    public void NextHopMac_Unresolved_StartsArpAndReportsItLater()
    {
        var h = new NetHarness();
        var mac = new byte[6];
        uint other = Atcp.Wire.IPv4.IPv4Address.FromOctets(198, 18, 0, 77);
        Assert.False(h.Stack.TryGetNextHopMac(other, mac));
        Assert.Equal(other, h.Link.Take().Single().Arp!.TargetProtocolAddress);
        byte[] otherMac = [2, 0, 0, 0, 0, 77];
        h.Feed(new PacketBuilder().Ethernet(otherMac, NetHarness.ServiceMac)
            .Arp(Atcp.Wire.Arp.ArpOperation.Reply, otherMac, other, NetHarness.ServiceMac, NetHarness.ServiceIp).Build());
        Assert.True(h.Stack.TryGetNextHopMac(other, mac));
        Assert.Equal(otherMac, mac);
    }

    [Fact]
    public void ClientAck_OnRequestDataWhileOurWindowIsZero_IsStillRelayed()
    {
        var (h, client, c) = Open(o => o with { ReceiveBufferBytes = 1024 });
        var owner = new RecordingOwner();
        var s1 = Begin(c, h, owner);
        c.SetDelegatedSize(s1.Sequence, 100_000, h.Now);
        client.Send(new string('p', 1024)); // pipelined requests fill the buffer; nobody reads them yet
        client.Ack = s1.Sequence + 5000;
        client.Send("more");
        Assert.Equal(5000, owner.Acks[^1].AcknowledgedInRange);
        Assert.Equal(1024, c.Available);
        var ack = h.Segments().Last();
        Assert.Equal(0, ack.Tcp!.Window);
        Assert.Equal(client.Seq - 4, ack.Tcp.AcknowledgmentNumber); // "more" was not taken
    }
}
