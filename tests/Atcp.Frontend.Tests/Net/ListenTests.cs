using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>LISTEN: handshakes, option negotiation, refusals, limits and SYN cookies.</summary>
public class ListenTests
{
    [Fact]
    public void Syn_WithAllOptions_AnswersSynAckWithMssWindowScaleAndSackButNoTimestamps()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn(t => { TestClient.DefaultSynOptions(t); t.HasTimestamps = true; t.TimestampValue = 123; });

        var synAck = h.Segments().Single();
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, synAck.Tcp!.Flags);
        Assert.Equal(client.Isn + 1, synAck.Tcp.AcknowledgmentNumber);
        Assert.True(synAck.Tcp.HasMaxSegmentSize);
        Assert.Equal(1460, synAck.Tcp.MaxSegmentSize);
        Assert.True(synAck.Tcp.HasWindowScale);
        Assert.Equal(7, synAck.Tcp.WindowScale);
        Assert.True(synAck.Tcp.SackPermitted);
        Assert.False(synAck.Tcp.HasTimestamps);
        Assert.Equal(h.Options.ReceiveBufferBytes, synAck.Tcp.Window); // our buffer, unscaled in a SYN (RFC 7323 2.2)
        Assert.Equal(client.Mac, synAck.Ethernet.Destination);
        Assert.True(synAck.IPv4!.DontFragment);
    }

    [Fact]
    public void Syn_WithoutOptions_NegotiatesNoScalingNoSackAndDefaultMss()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect(t => { });

        Assert.Equal(0, c.WindowScale);
        Assert.Equal(0, c.ClientWindowScale);
        Assert.False(c.SackPermitted);
        Assert.Equal(536, c.ClientMss);
        Assert.Equal(536, c.SendMss);
    }

    [Fact]
    public void Handshake_Completed_ReportsConnectedOnceWithNegotiatedValues()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();

        Assert.Single(h.Events.Connected);
        Assert.Same(c, h.Events.Connected[0]);
        Assert.Equal(7, c.WindowScale);
        Assert.Equal(7, c.ClientWindowScale);
        Assert.True(c.SackPermitted);
        Assert.Equal(1460, c.SendMss);
        Assert.Equal(65535L << 7, c.ClientWindow);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpConnectionsEstablished]);
    }

    [Fact]
    public void Syn_ClientMssAboveOurs_SendMssIsOurs()
    {
        var h = new NetHarness(o => o with { Mtu = 1400 });
        var c = h.Client().Connect(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 8960; });
        Assert.Equal(1360, c.SendMss);
    }

    [Fact]
    public void Syn_ToClosedPort_AnswersRstAckCoveringTheSyn()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(client.Ip, NetHarness.ServiceIp)
            .Tcp(client.Port, 81, 7000, 0, TcpFlags.Syn).Build());

        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, rst.Tcp!.Flags);
        Assert.Equal(0u, rst.Tcp.SequenceNumber);
        Assert.Equal(7001u, rst.Tcp.AcknowledgmentNumber);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpNoConnection]);
    }

    [Fact]
    public void Ack_AtListenerWithoutConnection_AnswersRstAtItsAckNumber()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(client.Frame(TcpFlags.Ack, 100, 123456));

        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst, rst.Tcp!.Flags);
        Assert.Equal(123456u, rst.Tcp.SequenceNumber);
    }

    [Fact]
    public void Rst_AtListener_IsIgnoredSilently()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(client.Frame(TcpFlags.Rst, 100, 0));
        Assert.Empty(h.Segments());
    }

    [Fact]
    public void Syn_WithPayload_AcknowledgesOnlyTheSynAndCountsTheData()
    {
        var h = new NetHarness();
        var client = h.Client();
        h.Feed(client.Frame(TcpFlags.Syn, client.Isn, 0, "GET / HTTP/1.1\r\n\r\n", TestClient.DefaultSynOptions));
        var synAck = h.Segments().Single();
        Assert.Equal(client.Isn + 1, synAck.Tcp!.AcknowledgmentNumber);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSynDataIgnored]);
    }

    [Fact]
    public void Syn_OverPerClientLimit_IsDroppedAndCounted()
    {
        var h = new NetHarness(o => o with { MaxConnectionsPerClient = 2 });
        var a = h.Client(10, 40000);
        var b = h.Client(10, 40001, learnArp: false);
        var c = h.Client(10, 40002, learnArp: false);
        a.Connect();
        b.Connect();
        c.Syn();

        Assert.Empty(h.Segments());
        Assert.Null(c.Connection);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpPerClientLimit]);
        // Another client is not affected.
        h.Client(11).Connect();
    }

    [Fact]
    public void Syn_WithTableFull_IsDroppedAndCounted()
    {
        var h = new NetHarness(o => o with { MaxConnections = 2 });
        h.Client(10).Connect();
        h.Client(11).Connect();
        h.Client(12).Syn();
        Assert.Empty(h.Segments());
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpTableFull]);
        Assert.Equal(2, h.Stack.Tcp.ConnectionCount);
    }
}
