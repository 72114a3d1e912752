using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>LAST-ACK: our FIN after the client's, until it is acknowledged.</summary>
public class LastAckTests
{
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
}
