using System.Reflection;
using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>The stack caches every connection's next deadline (so the daemon's per-round question
/// costs O(1)); these pin that the cached answer is always the exact one: a timer armed after the
/// deadline was read still fires on time and never early, a closed connection's deadline
/// disappears, and the earliest moves on when its connection's timer moves.</summary>
public class ConnectionTimerCacheTests
{
    static NetHarness Harness() =>
        new(o => o with { IdleTimeoutMs = 30_000, SlowRequestTimeoutMs = 0, ArpEntryLifetimeMs = 3_600_000 });

    [Fact]
    public void NextDeadline_WhenRetransmissionIsArmedAfterItWasRead_FiresOnTimeAndNotEarlier()
    {
        var h = Harness();
        var client = h.Client();
        var c = client.Connect();
        Assert.Equal(h.Now + 30_000, h.Stack.NextDeadline()); // only the idle timer runs
        h.Segments();

        c.Send("reply bytes"u8, h.Now); // arms the retransmission timer
        long rto = h.Now + c.RetransmissionTimeoutMs;
        Assert.Single(h.Segments());
        Assert.Equal(rto, h.Stack.NextDeadline());

        h.Advance(rto - 1 - h.Now);
        Assert.Empty(h.Segments());
        h.Advance(1);
        var again = Assert.Single(h.Segments());
        Assert.Equal("reply bytes", again.Text);
    }

    [Fact]
    public void NextDeadline_WhenTheConnectionIsReset_DropsItsDeadline()
    {
        var h = Harness();
        var client = h.Client();
        long arpExpiry = h.Now + 3_600_000;
        client.Connect();
        Assert.Equal(h.Now + 30_000, h.Stack.NextDeadline());

        client.SendRst();

        Assert.Null(client.Connection);
        Assert.Equal(arpExpiry, h.Stack.NextDeadline()); // only the client's ARP entry is left
    }

    [Fact]
    public void NextDeadline_WhenTheEarliestConnectionHearsFromItsClient_MovesToTheNextConnection()
    {
        var h = Harness();
        var first = h.Client(10, 40000);
        first.Connect();
        long firstIdle = h.Now + 30_000;
        h.Advance(100);
        var second = h.Client(11, 40001);
        second.Connect();
        long secondIdle = h.Now + 30_000;
        Assert.Equal(firstIdle, h.Stack.NextDeadline());

        h.Advance(100);
        first.SendAck();

        Assert.Equal(secondIdle, h.Stack.NextDeadline());
    }

    [Fact]
    public void Poll_WhenTwoConnectionsFallDueTogether_RunsBothTimersOnce()
    {
        var h = Harness();
        var a = h.Client(10, 40000).Connect();
        var b = h.Client(11, 40001).Connect();
        h.Segments();

        h.Advance(29_999);
        Assert.Empty(h.Segments());
        h.Advance(1);

        // Idle and quiet: each is closed gracefully, one FIN each.
        Assert.Equal(TcpState.FinWait1, a.State);
        Assert.Equal(TcpState.FinWait1, b.State);
        Assert.Equal(2, h.Segments().Count(s => s.Has(TcpFlags.Fin)));
    }

    [Fact]
    public void NextDeadline_WhenADelayedAckIsPending_IsTheDelayedAck()
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 30_000, SlowRequestTimeoutMs = 0, DelayedAckMs = 40 });
        var client = h.Client();
        client.Connect();
        h.Segments();

        client.Send("GET / HTTP/1.1\r\n"); // one in-order segment: its ACK waits

        Assert.Empty(h.Segments());
        Assert.Equal(h.Now + 40, h.Stack.NextDeadline());
        h.Advance(40);
        Assert.True(Assert.Single(h.Segments()).IsPureAck);
    }

    [Fact]
    public void AnySendingOwnBytes_FollowsBytesQueuedAcknowledgedAndAborted()
    {
        var h = Harness();
        var client = h.Client();
        var c = client.Connect();
        h.Segments();
        Assert.False(AnySendingOwnBytes(h));

        c.Send("0123456789"u8, h.Now);
        Assert.True(AnySendingOwnBytes(h));
        client.SendAck(client.ServerSeq(11));
        Assert.False(AnySendingOwnBytes(h));

        c.Send("more"u8, h.Now);
        Assert.True(AnySendingOwnBytes(h));
        c.Abort(h.Now);
        Assert.False(AnySendingOwnBytes(h));
    }

    [Theory]
    [InlineData(6, 3)]
    // Deeper heaps: these seeds remove entries from the heap's middle whose replacement must move up.
    [InlineData(12, 17)]
    [InlineData(20, 17)]
    [InlineData(41, 20)]
    public void NextDeadline_ThroughAWholeExchange_EqualsAWalkOfEveryConnection(int clientCount, int seed)
    {
        var h = new NetHarness(o => o with { IdleTimeoutMs = 5_000, SlowRequestTimeoutMs = 2_000, DelayedAckMs = 40, TimeWaitMs = 500,
            ArpEntryLifetimeMs = 100_000_000 });
        var clients = Enumerable.Range(0, clientCount).Select(i => h.Client((byte)(10 + i), (ushort)(40000 + i))).ToList();
        var rng = new Random(seed);
        for (int step = 0; step < 4000; step++)
        {
            var client = clients[rng.Next(clients.Count)];
            var c = client.Connection;
            switch (rng.Next(10))
            {
                case 0 when c is null: client.Isn += 100_000; client.Connect(); break;
                case 1 when c is { State: TcpState.Established }: client.Send("GET"); break;
                case 2 when c is { State: TcpState.Established or TcpState.CloseWait }: c.Send("reply"u8, h.Now); break;
                case 3 when c != null: client.SendAck(client.ServerSeq(1 + rng.Next(8))); break;
                case 4 when c is { State: TcpState.Established or TcpState.CloseWait }: c.Close(h.Now); break;
                case 5 when c is { State: TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 }: client.SendFin(); break;
                case 6 when c != null && rng.Next(4) == 0: client.SendRst(); break;
                default:
                    h.Advance(rng.Next(1, 300));
                    // Poll ran every due timer: none is left at or before now.
                    Assert.True(WalkedDeadline(h) > h.Now, "a connection's timer was due and did not run");
                    break;
            }
            h.Segments();
            Assert.Equal(WalkedDeadline(h), TcpNextDeadline(h));
        }
    }

    // The reference: the walk the stack made before deadlines were cached.
    static long WalkedDeadline(NetHarness h)
    {
        var method = typeof(TcpConnection).GetMethod("NextDeadline", BindingFlags.Instance | BindingFlags.NonPublic)!;
        long t = long.MaxValue;
        foreach (var c in h.Stack.Tcp.Connections) t = Math.Min(t, (long)method.Invoke(c, null)!);
        return t;
    }

    static long TcpNextDeadline(NetHarness h) =>
        (long)typeof(TcpServer).GetMethod("NextDeadline", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(h.Stack.Tcp, null)!;

    static bool AnySendingOwnBytes(NetHarness h) =>
        (bool)typeof(TcpServer).GetMethod("AnySendingOwnBytes", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(h.Stack.Tcp, null)!;
}
