using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>CLOSE-WAIT: the client closes first; replies may still go out.</summary>
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

    [Fact]
    public void Fin_OnSegmentTrimmedByTheWindow_IsNotTaken()
    {
        var h = new NetHarness(o => o with { ReceiveBufferBytes = 1000 });
        var client = h.Client();
        var c = client.Connect(t => { });
        h.Feed(client.Frame(TcpFlags.Fin | TcpFlags.Ack, client.Seq, client.Ack, new string('a', 1200)));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(client.Seq + 1000, c.ReceiveNext);
    }
}
