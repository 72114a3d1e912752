using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED, timeouts: idle connections and slow requests.</summary>
public class EstablishedTimeoutTests
{
    [Fact]
    public void Idle_KeepAliveConnectionWithNothingInProgress_IsClosedWithFin()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 30_000 });
        var client = h.Client();
        var c = client.Connect();
        h.Advance(29_999);
        Assert.Equal(TcpState.Established, c.State);
        h.Advance(1);
        var fin = h.Segments().Single();
        Assert.Equal(TcpFlags.Fin | TcpFlags.Ack, fin.Tcp!.Flags);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpIdleTimeouts]);
        client.Ack = client.ServerSeq(2);
        client.SendFin();
        h.Advance(h.Options.TimeWaitMs);
        Assert.Equal(CloseReason.IdleTimeout, h.Events.Closed.Single().Reason);
    }

    [Fact]
    public void Idle_WithReplyInProgress_Resets()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 30_000 });
        var client = h.Client();
        var c = client.Connect();
        var owner = new RecordingOwner();
        c.TryBeginDelegatedReply(owner, h.Now, out var start);
        c.SetDelegatedSize(start.Sequence, 1_000_000, h.Now);
        h.Advance(30_000);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(h.Segments().Single().Has(TcpFlags.Rst));
        Assert.Equal(CloseReason.IdleTimeout, owner.Cancelled.Single());
    }

    [Fact]
    public void Idle_ClientAcksKeepItAlive()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 30_000 });
        var client = h.Client();
        var c = client.Connect();
        for (int i = 0; i < 10; i++)
        {
            h.Advance(20_000);
            client.SendAck();
        }
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact]
    public void SlowRequest_IncompleteHeadersTooLong_Resets()
    {
        var h = new NetHarness(o => o with { SlowRequestTimeoutMs = 5000 });
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 4; i++)
        {
            h.Advance(1000);
            client.Send("X-Slow: 1\r\n"); // slowloris: a header line now and then
        }
        h.Segments();
        h.Advance(1000);
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(h.Segments().Single().Has(TcpFlags.Rst));
        Assert.Equal(CloseReason.SlowRequest, h.Events.Closed.Single().Reason);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSlowRequestTimeouts]);
    }

    [Fact]
    public void SlowRequest_RequestCompleteStopsTheTimer()
    {
        var h = new NetHarness(o => o with { SlowRequestTimeoutMs = 5000 });
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET / HTTP/1.1\r\n\r\n");
        c.Consume(c.Available, h.Now);
        c.RequestComplete(h.Now);
        h.Advance(60_000);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact]
    public void SlowRequest_WithCloseAction_ClosesGracefully()
    {
        var h = new NetHarness(o => o with { SlowRequestTimeoutMs = 5000, SlowRequestAction = TimeoutAction.Close });
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET / HT");
        h.Segments();
        h.Advance(5000);
        Assert.True(h.Segments().Single().Has(TcpFlags.Fin));
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact]
    public void NextDeadline_ReportsTheEarliestTimer()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 30_000, SlowRequestTimeoutMs = 5000 });
        var client = h.Client();
        client.Connect();
        client.Send("GET");
        Assert.Equal(h.Now + 5000, h.Stack.NextDeadline());
    }
}
