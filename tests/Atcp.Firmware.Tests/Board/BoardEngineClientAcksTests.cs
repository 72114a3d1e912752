using Atcp.Firmware.Board;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>CLIENT_ACKS (SPEC 5.12): the front-end's relays for several of a board's streams in one
/// frame act exactly as that many CLIENT_ACKs.</summary>
public class BoardEngine_ClientAcks
{
    static BoardEngineHarness TwoStreams()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000), ("b.bin", 100_000));
        h.Send(h.Command(1, "a.bin", seq: 1000));
        h.Send(h.Command(2, "b.bin", seq: 50_000));
        h.Poll(3);
        h.Take();
        Assert.True(h.Engine.StreamAt(1).Sender.HighestSent >= 2920, "stream 2 sent its initial window");
        return h;
    }

    // Stream 1 acknowledges its initial window, stream 2 two segments, each with its own service ack.
    static AtcpClientAcksRepr BothStreamsAcked()
    {
        var bundle = new AtcpClientAcksRepr();
        Add(bundle, 1, 1000 + 4380, 111);
        Add(bundle, 2, 50_000 + 2920, 222);
        return bundle;
    }

    static byte[] Body(AtcpClientAcksRepr bundle)
    {
        var body = new byte[bundle.Length];
        bundle.Emit(body, 0);
        return body;
    }

    static void Add(AtcpClientAcksRepr bundle, uint stream, uint ack, uint serviceAck)
    {
        var e = bundle.Add()!;
        e.StreamId = stream; e.AckNumber = ack; e.ServiceAckNumber = serviceAck; e.Window = 65535; e.ServiceWindow = 4096;
    }

    [Fact]
    public void Bundle_ForTwoStreams_AdvancesEachAndCarriesItsServiceAck()
    {
        var h = TwoStreams();
        h.Send(BothStreamsAcked());
        h.Poll(3);

        Assert.Equal(4380, h.Engine.StreamAt(0).Sender.Acknowledged);
        Assert.Equal(2920, h.Engine.StreamAt(1).Sender.Acknowledged);
        var segments = h.Take().Segments;
        Assert.Contains(segments, s => s.Tcp!.SequenceNumber >= 1000 + 4380 && s.Tcp.SequenceNumber < 50_000 && s.Tcp.AcknowledgmentNumber == 111);
        Assert.Contains(segments, s => s.Tcp!.SequenceNumber >= 50_000 + 2920 && s.Tcp.AcknowledgmentNumber == 222);
        Assert.Equal(0, h.Engine.Counters.Drops[(int)DropReason.BadField]);
    }

    [Fact]
    public void Bundle_WithOneBadEntry_DropsThatEntryAndAppliesTheOthers()
    {
        var h = TwoStreams();
        var body = Body(BothStreamsAcked());
        Array.Clear(body, AtcpClientAcks.EntryOffset(0), 4); // entry 1: stream id 0 (BadField)
        h.SendBody(AtcpMessageType.ClientAcks, body);
        h.Poll(3);

        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.BadField]);
        Assert.Equal(0, h.Engine.StreamAt(0).Sender.Acknowledged);
        Assert.Equal(2920, h.Engine.StreamAt(1).Sender.Acknowledged);
    }

    [Fact]
    public void Bundle_WhoseLengthDisagreesWithItsCount_IsDroppedWhole()
    {
        var h = TwoStreams();
        var body = Body(BothStreamsAcked());
        body[AtcpClientAcks.CountOffset] = 3;
        h.SendBody(AtcpMessageType.ClientAcks, body);
        h.Poll(3);

        Assert.Equal(1, h.Engine.Counters.Drops[(int)DropReason.BadField]);
        Assert.Equal(0, h.Engine.StreamAt(0).Sender.Acknowledged);
        Assert.Equal(0, h.Engine.StreamAt(1).Sender.Acknowledged);
    }
}
