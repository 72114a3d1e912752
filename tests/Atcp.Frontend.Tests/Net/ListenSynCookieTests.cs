using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>LISTEN under a SYN flood: cookies when the backlog is full (RFC 4987 3.6).</summary>
public class ListenSynCookieTests
{
    static NetHarness Small(int backlog = 2) => new(o => o with { SynBacklog = backlog });

    [Fact]
    public void Syn_WithBacklogFull_AnswersCookieWithoutKeepingState()
    {
        var h = Small();
        for (int i = 0; i < 2; i++) h.Client(10, (ushort)(41000 + i), learnArp: i == 0).Syn();
        h.Segments();
        Assert.Equal(2, h.Stack.Tcp.SynReceivedCount);

        var flooded = h.Client(10, 42000, learnArp: false);
        flooded.Syn();
        var synAck = h.Segments().Single();
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Tcp!.Flags);
        Assert.Null(flooded.Connection);
        Assert.Equal(2, h.Stack.Tcp.ConnectionCount);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSynCookiesSent]);
        Assert.True(synAck.Tcp.HasWindowScale && synAck.Tcp.SackPermitted && synAck.Tcp.HasMaxSegmentSize);
    }

    [Fact]
    public void AckReturningCookie_CreatesEstablishedConnectionWithRememberedOptions()
    {
        var h = Small();
        for (int i = 0; i < 2; i++) h.Client(10, (ushort)(41000 + i), learnArp: i == 0).Syn();
        h.Segments();
        var client = h.Client(11, 42000);
        client.Syn(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1400; t.HasWindowScale = true; t.WindowScale = 8; t.SackPermitted = true; });
        var synAck = h.Segments().Single();
        client.ServerIsn = synAck.Tcp!.SequenceNumber;
        client.Ack = client.ServerIsn + 1;

        client.Send("GET / HTTP/1.1\r\n\r\n");

        var c = client.Connection!;
        Assert.NotNull(c);
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(1220, c.ClientMss);       // rounded down to the cookie's MSS table
        Assert.Equal(8, c.ClientWindowScale);
        Assert.Equal(7, c.WindowScale);
        Assert.True(c.SackPermitted);
        Assert.Equal(18, c.Available);         // the data on the third segment was kept
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSynCookiesAccepted]);
        Assert.Contains(c, h.Events.Connected);
    }

    [Fact]
    public void AckWithForgedCookie_IsRefusedWithRst()
    {
        var h = Small();
        for (int i = 0; i < 2; i++) h.Client(10, (ushort)(41000 + i), learnArp: i == 0).Syn();
        var client = h.Client(11, 42000);
        client.Syn();
        var synAck = h.Segments().Last();
        h.Feed(client.Frame(TcpFlags.Ack, client.Isn + 1, synAck.Tcp!.SequenceNumber + 2));

        Assert.Null(client.Connection);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSynCookiesRejected]);
        Assert.True(h.Segments().Single().Has(TcpFlags.Rst));
    }

    [Fact]
    public void AckWithCookie_AfterTwoPeriods_IsRefused()
    {
        var h = Small();
        for (int i = 0; i < 2; i++) h.Client(10, (ushort)(41000 + i), learnArp: i == 0).Syn();
        var client = h.Client(11, 42000);
        client.Syn();
        var synAck = h.Segments().Last();
        h.Advance(2 * SequenceSecrets.CookiePeriodMs + 1);
        h.Feed(client.Frame(TcpFlags.Ack, client.Isn + 1, synAck.Tcp!.SequenceNumber + 1));
        Assert.Null(client.Connection);
    }

    [Fact]
    public void Flood_OfThousandSyns_KeepsTableAtBacklogAndStillServesARealClient()
    {
        var h = Small(8);
        var attacker = h.Client(20);
        for (int i = 0; i < 1000; i++)
            h.Feed(new PacketBuilder().Ethernet(attacker.Mac, NetHarness.ServiceMac).IPv4(attacker.Ip, NetHarness.ServiceIp)
                .Tcp((ushort)(10000 + i), NetHarness.Port, (uint)i * 7919, 0, TcpFlags.Syn, TestClient.DefaultSynOptions).Build());
        Assert.Equal(8, h.Stack.Tcp.ConnectionCount);
        Assert.Equal(992, h.Stack.Counters[NetCounter.TcpSynCookiesSent]);
        h.Segments();

        var client = h.Client(30);
        client.Syn();
        var synAck = h.Segments().Single();
        client.ServerIsn = synAck.Tcp!.SequenceNumber;
        client.Ack = client.ServerIsn + 1;
        client.SendAck();
        Assert.Equal(TcpState.Established, client.Connection!.State);
    }

    [Fact]
    public void Cookie_WithoutWindowScaleOrSack_RoundTripsAsAbsent()
    {
        var secrets = new SequenceSecrets(new byte[16]);
        uint cookie = secrets.MakeCookie(1, 80, 2, 40000, 777, new SynCookieOptions(536, false, false, 0), 5000);
        Assert.True(secrets.CheckCookie(1, 80, 2, 40000, 777, cookie, 5000 + SequenceSecrets.CookiePeriodMs, out var options));
        Assert.Equal(new SynCookieOptions(536, false, false, 0), options);
        Assert.False(secrets.CheckCookie(1, 80, 2, 40001, 777, cookie, 5000, out _));
        Assert.False(secrets.CheckCookie(1, 80, 2, 40000, 778, cookie, 5000, out _));
        Assert.False(secrets.CheckCookie(1, 80, 2, 40000, 777, cookie ^ 0x01000000, 5000, out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(3, 2)]
    [InlineData(6, 6)]
    [InlineData(7, 7)]
    [InlineData(14, 9)]
    public void Cookie_WindowScale_RoundsDownToTable(int sent, int remembered)
    {
        var secrets = new SequenceSecrets(new byte[16]);
        uint cookie = secrets.MakeCookie(1, 80, 2, 40000, 9, new SynCookieOptions(1460, true, true, sent), 0);
        Assert.True(secrets.CheckCookie(1, 80, 2, 40000, 9, cookie, 0, out var options));
        Assert.True(options.HasWindowScale);
        Assert.Equal(remembered, options.WindowScale);
        Assert.Equal(1460, options.Mss);
    }
}
