using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>TIME-WAIT: 2 MSL, retransmitted FINs, reuse.</summary>
public class TimeWaitTests
{
    [Fact]
    public void FinWait2_ClientFin_EntersTimeWaitAndExpiresAfter2Msl()
    {
        var h = new NetHarness(o => o with { TimeWaitMs = 5000 });
        var client = h.Client();
        var c = client.ConnectThenServerCloses();
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
    public void TimeWait_RetransmittedFin_IsAcknowledgedAndRestarts2Msl()
    {
        var h = new NetHarness(o => o with { TimeWaitMs = 5000 });
        var client = h.Client();
        var c = client.ConnectThenServerCloses();
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
        var c = client.ConnectThenServerCloses();
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
        var c = client.ConnectThenServerCloses();
        client.SendFin();
        h.Segments();
        h.Client(11).Connect();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpTimeWaitReused]);
    }

    [Fact]
    public void TimeWait_StrayAck_ChangesNothing()
    {
        var h = new NetHarness(o => o with { TimeWaitMs = 5000 });
        var client = h.Client();
        var c = client.ConnectThenServerCloses();
        client.SendFin();
        h.Segments();
        client.SendAck();
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Empty(h.Segments());
        h.Advance(5000);
        Assert.Equal(TcpState.Closed, c.State);
    }
}
