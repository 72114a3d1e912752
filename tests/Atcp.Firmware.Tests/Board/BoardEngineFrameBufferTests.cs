using Atcp.Firmware.Board;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>The board has one frame buffer: a segment the NIC refused waits in it, and while it
/// waits nothing else is received or built there, so it goes out intact; a segment refused for too
/// long is given up as lost and TCP sends it again.</summary>
public class BoardEngine_FrameBuffer
{
    [Fact]
    public void FramesArrivingWhileASegmentWaits_AreHandledAfterIt_AndNothingIsCorrupted()
    {
        var h = new BoardEngineHarness(("a.bin", 60_000));
        h.Send(h.Command(3, "a.bin", seq: 0, window: 2920)); // two segments' worth
        h.Nic.Full = true;
        h.Poll();
        // While the first segment waits: a HELLO_REQUEST and an INVENTORY_REQUEST arrive.
        h.Send(new AtcpHelloRequestRepr { HeartbeatIntervalSeconds = 0, ReplySpreadMs = 0 });
        h.Send(new AtcpInventoryRequestRepr { Volume = 0, FirstIndex = 0, MaxEntries = 0 });
        h.Poll(3);
        Assert.Equal(2, h.Nic.Inbound.Count); // not read while the buffer is taken
        h.Nic.Full = false;
        h.Poll(2);
        var (atcp, segments) = h.Take(); // Take checks every segment's checksum
        Assert.Empty(h.Nic.Inbound);
        Assert.Equal(0u, segments[0].Tcp!.SequenceNumber);
        Assert.Equal(h.Objects["a.bin"].Take(segments[0].Payload.Length), segments[0].Payload);
        Assert.Contains(atcp, m => m.Type == AtcpMessageType.Hello);
        Assert.Contains(atcp, m => m.Type == AtcpMessageType.Inventory);
        uint next = (uint)segments.Sum(s => s.Payload.Length);
        h.Ack(3, next, window: 65535);
        var rest = h.Transfer(3, next);
        Assert.Equal(h.Objects["a.bin"], segments.SelectMany(s => s.Payload).Concat(rest).ToArray());
    }

    [Fact]
    public void SegmentRefusedForLong_IsGivenUpAsLost_AndTheReplyStillArrivesWhole()
    {
        var h = new BoardEngineHarness(("a.bin", 20_000));
        h.Send(h.Command(4, "a.bin", seq: 0));
        h.Nic.Full = true;
        h.Poll();
        long dropsBefore = h.Engine.Counters.Drops[(int)DropReason.TransmitBusy];
        h.Now += 150;
        h.Poll();
        Assert.Equal(dropsBefore + 1, h.Engine.Counters.Drops[(int)DropReason.TransmitBusy]);
        h.Nic.Full = false;
        var bytes = h.Transfer(4, 0);
        Assert.Equal(h.Objects["a.bin"], bytes);
        Assert.True(h.Engine.Counters.Retransmissions > 0);
    }
}
