using System.Text;
using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED, sending front-end-made replies: segmentation, windows, retransmission.</summary>
public class EstablishedSendTests
{
    static byte[] Bytes(int n) => Enumerable.Range(0, n).Select(i => (byte)('a' + i % 26)).ToArray();

    [Fact]
    public void Send_LargerThanMss_IsSegmentedByMssWithPshOnTheLast()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1000; });
        Assert.Equal(2500, c.Send(Bytes(2500), h.Now));
        var segments = h.Segments();
        Assert.Equal(new[] { 1000, 1000, 500 }, segments.Select(s => s.Payload.Length));
        Assert.Equal(client.ServerSeq(1), segments[0].Tcp!.SequenceNumber);
        Assert.Equal(client.ServerSeq(1001), segments[1].Tcp!.SequenceNumber);
        Assert.False(segments[1].Has(TcpFlags.Psh));
        Assert.True(segments[2].Has(TcpFlags.Psh));
        Assert.Equal(Bytes(2500), segments.SelectMany(s => s.Payload).ToArray());
    }

    [Fact]
    public void Send_BeyondInitialWindow_WaitsForAcks()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send(Bytes(20_000), h.Now);
        var first = h.Segments();
        Assert.Equal(4380, first.Sum(s => s.Payload.Length)); // RFC 3390 initial window, 3 segments
        client.SendAck(client.ServerSeq(1 + 4380));
        Assert.True(h.Segments().Sum(s => s.Payload.Length) > 4380); // slow start grew it
    }

    [Fact]
    public void Send_RespectsClientWindow_AndResumesWhenItOpens()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Window = 1000;
        var c = client.Connect(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; });
        c.Send(Bytes(3000), h.Now);
        Assert.Equal(1000, h.Segments().Sum(s => s.Payload.Length));
        client.SendAck(client.ServerSeq(1001), window: 3000);
        Assert.Equal(2000, h.Segments().Sum(s => s.Payload.Length));
    }

    [Fact]
    public void Send_Unacknowledged_IsRetransmittedAfterRtoWithBackoff()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send("reply"u8, h.Now);
        h.Segments();
        int rto = c.RetransmissionTimeoutMs;     // from the handshake's RTT sample
        h.Advance(rto - 1);
        Assert.Empty(h.Segments());
        h.Advance(1);
        var again = h.Segments().Single();
        Assert.Equal("reply", again.Text);
        Assert.Equal(client.ServerSeq(1), again.Tcp!.SequenceNumber);
        Assert.Equal(2 * rto, c.RetransmissionTimeoutMs);
        h.Advance(2 * rto - 1);
        Assert.Empty(h.Segments());
        h.Advance(1);
        Assert.Single(h.Segments());
        Assert.Equal(2, h.Stack.Counters[NetCounter.TcpRetransmissions]);
    }

    [Fact]
    public void Send_NeverAcknowledged_ResetsAfterMaxRetransmissions()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 0 });
        var client = h.Client();
        var c = client.Connect();
        c.Send("reply"u8, h.Now);
        for (int i = 0; i < 20; i++) h.Advance(RtoEstimator.MaxMs);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(CloseReason.RetransmissionTimeout, h.Events.Closed.Single().Reason);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpRetransmissionGiveUps]);
    }

    [Fact]
    public void Send_ThreeDuplicateAcks_FastRetransmitsTheHole()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1000; t.HasWindowScale = true; t.WindowScale = 7; });
        c.Send(Bytes(4000), h.Now);
        h.Segments();
        client.SendAck(client.ServerSeq(1001));
        h.Segments();
        for (int i = 0; i < 3; i++) client.SendAck(client.ServerSeq(1001));
        var resent = h.Segments().Where(s => s.Payload.Length > 0).ToList();
        Assert.Contains(resent, s => s.Tcp!.SequenceNumber == client.ServerSeq(1001));
    }

    [Fact]
    public void Rtt_SampledFromAcks_LowersTheRto()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send("x"u8, h.Now);
        h.Advance(10);
        client.SendAck(client.ServerSeq(2));
        Assert.Equal(RtoEstimator.MinMs, c.RetransmissionTimeoutMs);
    }

    [Fact]
    public void ZeroWindow_ProbesUntilTheWindowOpens()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Window = 0;
        var c = client.Connect(t => { });
        c.Send("reply"u8, h.Now);
        Assert.Empty(h.Segments());
        h.Advance(RtoEstimator.InitialMs);
        var probe = h.Segments().Single();
        Assert.Equal("r", probe.Text);
        client.SendAck(client.ServerSeq(1), window: 1000);
        Assert.Equal("eply", h.Segments().Single().Text);
    }

    [Fact]
    public void Send_OverSendBuffer_AcceptsOnlyWhatFits()
    {
        var h = new NetHarness(o => o with { SendBufferBytes = 1000 });
        var c = h.Client().Connect();
        Assert.Equal(1000, c.Send(Bytes(1500), h.Now));
        Assert.Equal(0, c.Send(Bytes(10), h.Now));
        Assert.Equal(2, h.Stack.Counters[NetCounter.TcpSendBufferFull]);
    }

    [Fact]
    public void Send_ClientAcksUnsentBytes_DropsTheAckAndCountsIt()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send("abc"u8, h.Now);
        client.SendAck(client.ServerSeq(10));
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAckBeyondSent]);
        Assert.Equal(client.ServerSeq(1), c.SendUnacknowledged);
    }

    [Fact]
    public void Send_TwoCallsBeforeAck_AreOneContiguousStream()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Send("abc"u8, h.Now);
        c.Send("def"u8, h.Now);
        var segs = h.Segments();
        Assert.Equal("abcdef", string.Concat(segs.Select(s => s.Text)));
        Assert.Equal(client.ServerSeq(7), c.SendPoint);
    }

    [Fact]
    public void Send_WhileHoldingOutOfOrderRequestBytes_ShrinksPayloadForTheSackBlocks()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendAt(client.Seq + 10, "later");
        h.Segments();
        c.Send(Bytes(3000), h.Now);
        var first = h.Segments()[0];
        Assert.Equal(1, first.Tcp!.SackBlockCount);
        Assert.Equal(1460 - 12, first.Payload.Length); // NOP NOP + SACK(10) = 12 option bytes
        Assert.True(first.IPv4!.Length + first.IPv4.PayloadLength <= 1500);
    }
}
