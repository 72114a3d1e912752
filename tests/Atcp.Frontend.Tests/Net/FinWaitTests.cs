using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>FIN-WAIT-1 and FIN-WAIT-2: the server closes first.</summary>
public class FinWaitTests
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
    public void FinWait1_FinAndAckTogether_GoesStraightToTimeWait()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.ConnectThenServerCloses();
        client.SendFin();
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
        var c = client.ConnectThenServerCloses();
        client.SendAck();
        h.Segments();
        client.Send("late request");
        Assert.Equal(0, c.Available);
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);
        Assert.Empty(h.Events.DataEvents);
    }

    [Fact]
    public void FinWait2_ClientNeverCloses_IdleTimeoutResets()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 10_000 });
        var client = h.Client();
        var c = client.ConnectThenServerCloses();
        client.SendAck();
        h.Segments();
        h.Advance(10_000);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(h.Segments().Single().Has(TcpFlags.Rst));
    }
}
