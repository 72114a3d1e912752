using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>CLOSING: both sides closed at once.</summary>
public class ClosingTests
{
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
    public void Closing_OurFinUnacknowledged_IsRetransmittedUntilTheAckArrives()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        c.Close(h.Now);
        client.SendFin();
        h.Segments();
        h.Advance(c.RetransmissionTimeoutMs);
        var fin = h.Segments().Single();
        Assert.True(fin.Has(TcpFlags.Fin));
        Assert.Equal(client.Seq, fin.Tcp!.AcknowledgmentNumber);
        client.SendAck(client.ServerSeq(2));
        Assert.Equal(TcpState.TimeWait, c.State);
    }
}
