using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>SYN-RECEIVED: SYN-ACK retransmission, give-up, bad ACKs and RSTs.</summary>
public class SynReceivedTests
{
    [Fact]
    public void SynAck_Unanswered_IsRetransmittedWithBackoff()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        h.Segments();

        h.Advance(999);
        Assert.Empty(h.Segments());
        h.Advance(1);
        Assert.True(h.Segments().Single().Has(TcpFlags.Syn)); // RFC 6298 2.1: 1 s
        h.Advance(1999);
        Assert.Empty(h.Segments());
        h.Advance(1);
        Assert.True(h.Segments().Single().Has(TcpFlags.Syn)); // doubled
    }

    [Fact]
    public void SynAck_RetriesExhausted_DropsHalfOpenConnectionWithoutNotice()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        for (int i = 0; i < 10; i++) h.Advance(60_000);
        Assert.Null(client.Connection);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpSynAckTimeouts]);
        Assert.Equal(0, h.Stack.Tcp.SynReceivedCount);
        Assert.Empty(h.Events.Closed); // the upper layer never saw it
    }

    [Fact]
    public void Syn_Retransmitted_GetsTheSameSynAckAgain()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        var first = h.Segments().Single();
        client.Syn();
        var second = h.Segments().Single();
        Assert.Equal(first.Tcp!.SequenceNumber, second.Tcp!.SequenceNumber);
        Assert.Equal(first.Tcp.AcknowledgmentNumber, second.Tcp.AcknowledgmentNumber);
        Assert.Equal(1, h.Stack.Tcp.ConnectionCount);
    }

    [Fact]
    public void Ack_WithWrongAckNumber_GetsRstAtThatNumberAndConnectionStays()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        var synAck = h.Segments().Single();
        h.Feed(client.Frame(TcpFlags.Ack, client.Isn + 1, synAck.Tcp!.SequenceNumber + 50));
        var rst = h.Segments().Single();
        Assert.Equal(TcpFlags.Rst, rst.Tcp!.Flags);
        Assert.Equal(synAck.Tcp.SequenceNumber + 50, rst.Tcp.SequenceNumber);
        Assert.Equal(TcpState.SynReceived, client.Connection!.State);
    }

    [Fact]
    public void Rst_WithExactSequence_RemovesHalfOpenConnection()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        client.SendRst(client.Isn + 1);
        Assert.Null(client.Connection);
        Assert.Equal(0, h.Stack.Tcp.SynReceivedCount);
    }

    [Fact]
    public void Handshake_AckAfterDelay_SamplesRttForTheBoards()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        var synAck = h.Segments().Single();
        client.ServerIsn = synAck.Tcp!.SequenceNumber;
        client.Ack = client.ServerIsn + 1;
        h.Advance(30);
        client.SendAck();
        Assert.Equal(30, client.Connection!.SmoothedRttMs);
    }

    [Fact]
    public void Ack_CarryingRequestData_CompletesHandshakeAndDeliversData()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Syn();
        var synAck = h.Segments().Single();
        client.ServerIsn = synAck.Tcp!.SequenceNumber;
        client.Ack = client.ServerIsn + 1;
        client.Send("hello");
        Assert.Equal(TcpState.Established, client.Connection!.State);
        Assert.Equal(5, client.Connection.Available);
        Assert.Single(h.Events.DataEvents);
    }
}
