using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED: RST and SYN handling hardened per RFC 5961.</summary>
public class EstablishedResetTests
{
    [Fact]
    public void Rst_AtExactSequence_ClosesAndReportsResetByClient()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendRst();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Null(client.Connection);
        Assert.Equal((c, CloseReason.ResetByClient), h.Events.Closed.Single());
        Assert.Empty(h.Segments()); // never answer a RST with a RST
    }

    [Fact]
    public void Rst_InWindowButNotExact_GetsChallengeAckAndConnectionStays()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendRst(client.Seq + 100);
        Assert.Equal(TcpState.Established, c.State);
        var challenge = h.Segments().Single();
        Assert.True(challenge.IsPureAck);
        Assert.Equal(client.Seq, challenge.Tcp!.AcknowledgmentNumber);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpChallengeAcks]);
    }

    [Fact]
    public void Rst_OutsideWindow_IsDroppedSilently()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendRst(client.Seq - 100);
        Assert.Equal(TcpState.Established, c.State);
        Assert.Empty(h.Segments());
    }

    [Fact]
    public void Syn_OnEstablishedConnection_GetsChallengeAckNotReset()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        h.Feed(client.Frame(TcpFlags.Syn, client.Seq + 5, 0, configure: TestClient.DefaultSynOptions));
        Assert.Equal(TcpState.Established, c.State);
        Assert.True(h.Segments().Single().IsPureAck);
    }

    [Fact]
    public void Abort_SendsRstAndReportsAborted()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Abort(h.Now);
        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, rst.Tcp!.Flags);
        Assert.Equal(client.ServerSeq(1), rst.Tcp.SequenceNumber);
        Assert.Equal(CloseReason.Aborted, h.Events.Closed.Single().Reason);
    }

    [Fact]
    public void Segment_AfterConnectionGone_GetsRstAtItsAck()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Abort(h.Now);
        h.Segments();
        client.SendAck(client.ServerSeq(77));
        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst, rst.Tcp!.Flags);
        Assert.Equal(client.ServerSeq(77), rst.Tcp.SequenceNumber);
    }

    [Fact]
    public void Ack_FarBelowUnacknowledged_IsDroppedWithChallengeAck()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendAck(client.ServerSeq(1) - 20_000_000);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpAckTooOld]);
        Assert.True(h.Segments().Single().IsPureAck);
    }
}
