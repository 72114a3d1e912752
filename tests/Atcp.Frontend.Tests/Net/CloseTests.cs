using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>CLOSE-WAIT and LAST-ACK: the client closes first.</summary>
public class CloseWaitTests
{
    [Fact]
    public void Fin_FromClient_EntersCloseWaitAndReportsPeerClosed()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendFin();
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.True(c.PeerClosed);
        Assert.Single(h.Events.PeerClosed);
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);
    }

    [Fact]
    public void Fin_WithRequestData_DeliversDataThenPeerClosed()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        h.Feed(client.Frame(TcpFlags.Fin | TcpFlags.Ack | TcpFlags.Psh, client.Seq, client.Ack, "GET / HTTP/1.0\r\n\r\n"));
        Assert.Equal(18, c.Available);
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(client.Seq + 19, c.ReceiveNext);
    }

    [Fact]
    public void Fin_OutOfOrder_WaitsForTheMissingBytes()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        h.Feed(client.Frame(TcpFlags.Fin | TcpFlags.Ack, client.Seq + 5, client.Ack, "world"));
        Assert.Equal(TcpState.Established, c.State);
        client.SendAt(client.Seq, "hello");
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(10, c.Available);
    }

    [Fact]
    public void ReplyAndClose_InCloseWait_SendsDataFinThenLastAckThenClosed()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendFin();
        h.Segments();
        c.Send("bye"u8, h.Now);
        c.Close(h.Now);
        var segs = h.Segments();
        Assert.Equal("bye", segs[0].Text);
        Assert.True(segs[^1].Has(TcpFlags.Fin));
        Assert.Equal(client.ServerSeq(4), segs[^1].Tcp!.SequenceNumber);
        Assert.Equal(TcpState.LastAck, c.State);

        client.SendAck(client.ServerSeq(5));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal((c, CloseReason.Normal), h.Events.Closed.Single());
        Assert.Equal(0, h.Stack.Tcp.ConnectionCount);
    }

    [Fact]
    public void LastAck_FinUnacknowledged_IsRetransmitted()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendFin();
        c.Close(h.Now);
        h.Segments();
        h.Advance(c.RetransmissionTimeoutMs);
        var fin = h.Segments().Single();
        Assert.True(fin.Has(TcpFlags.Fin));
        Assert.Equal(client.ServerSeq(1), fin.Tcp!.SequenceNumber);
    }

    [Fact]
    public void CloseWait_ClientRetransmitsFin_IsAcknowledgedAgain()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Connect();
        client.SendFin();
        h.Segments();
        h.Feed(client.Frame(TcpFlags.Fin | TcpFlags.Ack, client.Seq - 1, client.Ack));
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);
    }
}

/// <summary>FIN-WAIT-1, FIN-WAIT-2, CLOSING and TIME-WAIT: the server closes first.</summary>
public class ActiveCloseTests
{
    [Fact]
    public void Close_SendsFinAndEntersFinWait1ThenFinWait2OnAck()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        var fin = h.Segments().Single();
        Assert.Equal(TcpFlags.Fin | TcpFlags.Ack, fin.Tcp!.Flags);
        Assert.Equal(TcpState.FinWait1, c.State);
        client.SendAck(client.ServerSeq(2));
        Assert.Equal(TcpState.FinWait2, c.State);
    }

    [Fact]
    public void FinWait2_ClientFin_EntersTimeWaitAndExpiresAfter2Msl()
    {
        var h = new NetHarness(o => o with { TimeWaitMs = 5000 });
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendAck();
        client.SendFin();
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(client.Seq, h.Segments().Last().Tcp!.AcknowledgmentNumber);
        Assert.Single(h.Events.Closed);   // the upper layer is done with it already
        Assert.Equal(1, h.Stack.Tcp.TimeWaitCount);
        Assert.Equal(0, h.Stack.Tcp.ConnectionsFrom(client.Ip));

        h.Advance(4999);
        Assert.Equal(TcpState.TimeWait, c.State);
        h.Advance(1);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(0, h.Stack.Tcp.ConnectionCount);
    }

    [Fact]
    public void FinWait1_FinAndAckTogether_GoesStraightToTimeWait()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendFin();
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact]
    public void FinWait1_FinWithoutAckOfOurs_IsSimultaneousCloseThroughClosing()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.SendFin(); // acknowledges only up to before our FIN
        Assert.Equal(TcpState.Closing, c.State);
        client.SendAck(client.ServerSeq(2));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact]
    public void Close_WithUnsentReply_SendsFinOnlyAfterTheReply()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Window = 10;
        var c = client.Connect(t => { });
        c.Send("0123456789abcdef"u8, h.Now);
        c.Close(h.Now);
        var first = h.Segments().Single();
        Assert.False(first.Has(TcpFlags.Fin));
        Assert.Equal(TcpState.Established, c.State);
        client.SendAck(client.ServerSeq(11), window: 100);
        var last = h.Segments().Single();
        Assert.Equal("abcdef", last.Text);
        Assert.True(last.Has(TcpFlags.Fin));
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact]
    public void FinWait2_RequestBytesAfterClose_AreAcknowledgedAndDiscarded()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendAck();
        h.Segments();
        client.Send("late request");
        Assert.Equal(0, c.Available);
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);
        Assert.Empty(h.Events.DataEvents);
    }

    [Fact]
    public void TimeWait_RetransmittedFin_IsAcknowledgedAndRestarts2Msl()
    {
        var h = new NetHarness(o => o with { TimeWaitMs = 5000 });
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendFin();
        h.Segments();
        h.Advance(4000);
        h.Feed(client.Frame(TcpFlags.Fin | TcpFlags.Ack, client.Seq - 1, client.Ack));
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);
        h.Advance(4000);
        Assert.Equal(TcpState.TimeWait, c.State);
        h.Advance(1000);
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact]
    public void TimeWait_NewSynWithHigherSequence_StartsANewConnection()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendFin();
        h.Segments();
        client.Isn = client.Seq + 100_000;
        var again = client.Connect();
        Assert.NotSame(c, again);
        Assert.Equal(TcpState.Established, again.State);
    }

    [Fact]
    public void TimeWait_TableFull_OldestTimeWaitIsReusedForANewClient()
    {
        var h = new NetHarness(o => o with { MaxConnections = 1 });
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendFin();
        h.Segments();
        h.Client(11).Connect();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpTimeWaitReused]);
    }

    [Fact]
    public void FinWait2_ClientNeverCloses_IdleTimeoutResets()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 10_000 });
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.Ack = client.ServerSeq(2);
        client.SendAck();
        h.Segments();
        h.Advance(10_000);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(h.Segments().Single().Has(TcpFlags.Rst));
    }
}
