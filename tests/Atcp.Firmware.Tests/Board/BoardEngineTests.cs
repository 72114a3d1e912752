using Atcp.Firmware.Board;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;
using Atcp.TestSupport;

namespace Atcp.Firmware.Tests.Board;

public class BoardEngine_Commands
{
    [Fact]
    public void Command_ForAnObject_IsAcceptedWithTheReplySize_ThenStreamedAndDone()
    {
        var h = new BoardEngineHarness(("videos/a.bin", 300_001));
        const string prefix = "HTTP/1.1 206 Partial Content\r\nContent-Length: 100000\r\n\r\n";
        h.Send(h.Command(9, "videos/a.bin", 12_345, 100_000, prefix, seq: 0xFFFF_0000));
        h.Poll();
        var (atcp, first) = h.Take();
        var accepted = BoardEngineHarness.ServiceAck(atcp[0]);
        Assert.Equal(AtcpServiceStatus.Accepted, accepted.Status);
        Assert.Equal((ulong)(prefix.Length + 100_000), accepted.ReplySize);
        Assert.NotEmpty(first);
        // Segments look like the front-end's: service IP and port as source, to the next-hop MAC.
        Assert.Equal(BoardEngineHarness.ServiceIp, first[0].IPv4!.Source);
        Assert.Equal((ushort)80, first[0].Tcp!.SourcePort);
        Assert.Equal(BoardEngineHarness.ClientMac, first[0].Ethernet.Destination);
        Assert.Equal(h.Config.Mac, first[0].Ethernet.Source);
        Assert.Equal(0xFFFF_0000u, first[0].Tcp!.SequenceNumber);
        Assert.Equal(77u, first[0].Tcp!.AcknowledgmentNumber);

        var rest = h.Transfer(9, 0xFFFF_0000 + (uint)first.Sum(s => s.Payload.Length));
        var all = first.SelectMany(s => s.Payload).Concat(rest).ToArray();
        var expected = System.Text.Encoding.ASCII.GetBytes(prefix).Concat(h.Objects["videos/a.bin"].Skip(12_345).Take(100_000)).ToArray();
        Assert.Equal(expected, all);
        Assert.Equal(1, h.Engine.Counters.StreamsCompleted);
        Assert.Equal(0, h.Engine.ActiveStreams);
    }

    [Theory]
    [InlineData("missing.bin", 0L, -1L, AtcpServiceStatus.NotFound)]
    [InlineData(".atcp/board.conf", 0L, -1L, AtcpServiceStatus.NotFound)]
    [InlineData("a.bin", 1001L, -1L, AtcpServiceStatus.BadRange)]
    [InlineData("a.bin", 500L, 501L, AtcpServiceStatus.BadRange)]
    public void Command_ThatCannotBeServed_IsRefusedWithAStatus(string name, long offset, long length, AtcpServiceStatus expected)
    {
        var h = new BoardEngineHarness(("a.bin", 1000));
        h.Send(h.Command(5, name, offset, length));
        h.Poll();
        var (atcp, segments) = h.Take();
        Assert.Empty(segments);
        Assert.Equal(expected, BoardEngineHarness.ServiceAck(atcp.Single()).Status);
        Assert.Equal(1, h.Engine.Counters.CommandsRefused);
    }

    [Fact]
    public void Command_WhenEverySlotIsBusy_IsRefusedAsBusy()
    {
        var h = new BoardEngineHarness(("a.bin", 1_000_000));
        for (uint i = 1; i <= BoardEngine.MaxStreams + 1; i++) h.Send(h.Command(i, "a.bin", window: 0));
        h.Poll(3);
        var acks = h.Take().Atcp.Where(m => m.Type == AtcpMessageType.ServiceAck).Select(BoardEngineHarness.ServiceAck).ToList();
        Assert.Equal(BoardEngine.MaxStreams, acks.Count(a => a.Status == AtcpServiceStatus.Accepted));
        Assert.Equal(17u, acks.Single(a => a.Status == AtcpServiceStatus.Busy).StreamId);
    }

    [Fact]
    public void RepeatedCommand_GetsProgress_AndAfterDone_Complete()
    {
        var h = new BoardEngineHarness(("a.bin", 5000));
        var c = h.Command(7, "a.bin");
        h.Send(c); h.Poll(); h.Take();
        h.Send(c, AtcpHeaderFlags.Retransmission); h.Poll();
        Assert.Equal(AtcpServiceStatus.InProgress, BoardEngineHarness.ServiceAck(h.Take().Atcp.First()).Status);
        h.Ack(7, 1000 + 4380); h.Poll(); // the initial window was three segments
        h.Ack(7, 1000 + 5000); h.Poll();
        Assert.Contains(h.Take().Atcp, m => m.Type == AtcpMessageType.Done);
        h.Send(c, AtcpHeaderFlags.Retransmission); h.Poll();
        Assert.Equal(AtcpServiceStatus.Complete, BoardEngineHarness.ServiceAck(h.Take().Atcp.Single()).Status);
        Assert.Equal(1, h.Engine.Counters.StreamsStarted);
    }

    [Fact]
    public void LostSegments_AreResentFromTheMedium_AndTheReplyArrivesWhole()
    {
        var h = new BoardEngineHarness(("a.bin", 400_000));
        h.Send(h.Command(11, "a.bin", seq: 5));
        var rng = new Random(3);
        var bytes = h.Transfer(11, 5, i => rng.NextDouble() < 0.05);
        Assert.Equal(h.Objects["a.bin"], bytes);
        Assert.True(h.Engine.Counters.Retransmissions > 0);
    }

    [Fact]
    public void NicWithoutRoom_SegmentIsKept_AndSentFirstWhenRoomReturns()
    {
        var h = new BoardEngineHarness(("a.bin", 50_000));
        h.Send(h.Command(13, "a.bin", seq: 0));
        h.Nic.Full = true;
        h.Poll();             // the SERVICE_ACK is dropped (counted); the first segment waits
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.TransmitBusy]);
        h.Nic.Full = false;
        var bytes = h.Transfer(13, 0);
        Assert.Equal(h.Objects["a.bin"], bytes);
    }

    [Fact]
    public void EmptyObject_IsAcceptedAndDoneAtOnce()
    {
        var h = new BoardEngineHarness(("empty", 0));
        h.Send(h.Command(12, "empty"));
        h.Poll();
        var (atcp, segments) = h.Take();
        Assert.Empty(segments);
        Assert.Equal(new[] { AtcpMessageType.ServiceAck, AtcpMessageType.Done }, atcp.Select(m => m.Type));
    }
}

public class BoardEngine_Checks
{
    [Fact]
    public void ClientAck_BeyondWhatWasSent_IsDroppedAndCounted()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        h.Send(h.Command(1, "a.bin", seq: 0)); h.Poll(); h.Take();
        h.Ack(1, 90_000); h.Poll();
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.AckBeyondSent]);
        Assert.Equal(1, h.Engine.ActiveStreams);
    }

    [Fact]
    public void ClientAck_ForAnUnknownStream_IsAnsweredUnknownStream()
    {
        var h = new BoardEngineHarness(("a.bin", 10));
        h.Ack(99, 5); h.Poll();
        Assert.Equal(AtcpServiceStatus.UnknownStream, BoardEngineHarness.ServiceAck(h.Take().Atcp.Single()).Status);
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.UnknownStream]);
    }

    [Fact]
    public void ForgedFrame_IsDroppedAsBadTag_AndChangesNothing()
    {
        var h = new BoardEngineHarness(("a.bin", 10_000));
        h.Send(h.Command(1, "a.bin"));
        var forged = h.Nic.Inbound.Dequeue();
        forged[40] ^= 1;
        h.Nic.Inbound.Enqueue(forged);
        h.Poll();
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.BadTag]);
        Assert.Equal(0, h.Engine.ActiveStreams);
    }

    [Fact]
    public void ReplayedFrame_IsDropped()
    {
        var h = new BoardEngineHarness(("a.bin", 10_000));
        h.Send(h.Command(1, "a.bin"));
        var frame = h.Nic.Inbound.Peek().ToArray();
        h.Poll();
        h.Nic.Inbound.Enqueue(frame);
        h.Poll();
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.Replayed]);
    }

    [Fact]
    public void NonAtcpFrames_AreCountedAndIgnored()
    {
        var h = new BoardEngineHarness();
        var arp = new PacketBuilder().Ethernet([2, 0, 0, 0, 0, 9], EthernetRepr_Broadcast(), EtherType.Arp).Payload(new byte[28]).Build();
        h.Nic.Inbound.Enqueue(arp);
        h.Poll();
        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.NotAtcp]);
    }

    static byte[] EthernetRepr_Broadcast() => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    [Fact]
    public void FrontEndRestart_DropsEveryStream()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        h.Send(h.Command(1, "a.bin", window: 0)); h.Poll();
        Assert.Equal(1, h.Engine.ActiveStreams);
        // Same key and cluster, new epoch: feed a frame sealed by a restarted front-end.
        var writer = new AtcpFrameWriter(BoardEngineHarness.ClusterId, BoardEngineHarness.Key, 0, 0, BoardEngineHarness.FrontEndMac, 0, 2);
        var buf = new byte[1514];
        int n = writer.Write(buf, 0, h.Config.Mac, 0, new AtcpHelloRequestRepr { ReplySpreadMs = 0 }, 0);
        h.Nic.Inbound.Enqueue(buf[..n]);
        h.Poll();
        Assert.Equal(0, h.Engine.ActiveStreams);
    }

    [Fact]
    public void ClientStopsAcknowledging_StreamIsAbortedWithTimeout()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        h.Send(h.Command(4, "a.bin"));
        for (int i = 0; i < 2000 && h.Engine.ActiveStreams + (i == 0 ? 1 : 0) > 0; i++) { h.Poll(); h.Now += 1000; }
        var aborts = h.Take().Atcp.Where(m => m.Type == AtcpMessageType.Abort).ToList();
        Assert.NotEmpty(aborts);
        var abort = new AtcpAbortRepr();
        Assert.Equal(ParseStatus.Ok, abort.Parse(aborts[0].Frame, aborts[0].Body, aborts[0].Length));
        Assert.Equal(AtcpAbortReason.Timeout, abort.Reason);
        Assert.Equal(1, h.Engine.Counters.StreamsFailed);
    }
}

public class BoardEngine_Control
{
    [Fact]
    public void Boot_SendsHelloToBroadcast_ThenToTheFrontEndOnceHeard()
    {
        var h = new BoardEngineHarness(("a.bin", 10));
        var hello = h.BootFrames.Single();
        Assert.Equal(AtcpMessageType.Hello, hello.Type);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, hello.Frame[..6]);
        h.Send(new AtcpHelloRequestRepr { ReplySpreadMs = 10 });
        h.Poll();
        h.Now += 10; h.Poll();
        var reply = h.Take().Atcp.Single();
        Assert.Equal(BoardEngineHarness.FrontEndMac, reply.Frame[..6]);
        var r = new AtcpHelloRepr();
        Assert.Equal(ParseStatus.Ok, r.Parse(reply.Frame, reply.Body, reply.Length));
        Assert.Equal(AtcpHelloFlags.Reply, r.Flags);
        Assert.Equal((ushort)3, r.BoardId);
        Assert.Equal(1, r.VolumeCount);
        Assert.Equal(1u, r.Volumes[0].ObjectCount);
    }

    [Fact]
    public void HelloRequestWithShorterInterval_NextHeartbeatFollowsTheNewInterval()
    {
        // Booted with the default 10 s; the front-end asks for 2 s beats (and counts a board
        // missing 3 of them as down): the board must not stay silent until the old 10 s beat.
        var h = new BoardEngineHarness(("a.bin", 10));
        h.Send(new AtcpHelloRequestRepr { ReplySpreadMs = 0, HeartbeatIntervalSeconds = 2 });
        h.Poll();
        var hellos = new List<long>();
        for (int step = 0; step < 100; step++)
        {
            h.Now += 100; h.Poll();
            if (h.Take().Atcp.Any(m => m.Type == AtcpMessageType.Hello)) hellos.Add(h.Now);
        }
        Assert.True(hellos.Count >= 4, "HELLOs at " + string.Join(", ", hellos));
        Assert.All(hellos.Zip(hellos.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 1900, 2100));
    }

    [Fact]
    public void HelloRequest_WithShorterHeartbeat_NextHeartbeatComesWithinTheNewInterval()
    {
        var h = new BoardEngineHarness(("a.bin", 10));
        Assert.Equal(10, h.Config.HeartbeatSeconds); // the boot HELLO scheduled the next one 10 s on
        h.Send(new AtcpHelloRequestRepr { ReplySpreadMs = 0, HeartbeatIntervalSeconds = 2 });
        h.Poll();
        Assert.Single(h.Take().Atcp, m => m.Type == AtcpMessageType.Hello); // the reply
        h.Now += 1999; h.Poll();
        Assert.DoesNotContain(h.Take().Atcp, m => m.Type == AtcpMessageType.Hello);
        h.Now += 1; h.Poll();
        var beat = h.Take().Atcp.Single(m => m.Type == AtcpMessageType.Hello);
        var r = new AtcpHelloRepr();
        Assert.Equal(ParseStatus.Ok, r.Parse(beat.Frame, beat.Body, beat.Length));
        Assert.Equal(0, r.Flags & AtcpHelloFlags.Reply);
        Assert.Equal((ushort)2, r.HeartbeatIntervalSeconds);
    }

    [Fact]
    public void InventoryRequests_PageThroughEveryObject()
    {
        var objects = Enumerable.Range(0, 150).Select(i => ($"dir/object-with-a-longish-name-{i:D4}.bin", i)).ToArray();
        var h = new BoardEngineHarness(objects);
        var names = new List<string>();
        uint first = 0;
        for (int page = 0; page < 20; page++)
        {
            h.Send(new AtcpInventoryRequestRepr { Volume = 0, FirstIndex = first });
            h.Poll();
            var m = h.Take().Atcp.Single(x => x.Type == AtcpMessageType.Inventory);
            var inv = new AtcpInventoryRepr();
            Assert.Equal(ParseStatus.Ok, inv.Parse(m.Frame, m.Body, m.Length));
            Assert.Equal(first, inv.FirstIndex);
            for (int i = 0; i < inv.EntryCount; i++) names.Add(inv.NameText(i));
            first += (uint)inv.EntryCount;
            if ((inv.Flags & AtcpInventoryFlags.LastPage) != 0) { Assert.Equal(150u, inv.TotalEntries); break; }
        }
        Assert.Equal(objects.Select(o => o.Item1).OrderBy(n => n), names.OrderBy(n => n));
    }
}
