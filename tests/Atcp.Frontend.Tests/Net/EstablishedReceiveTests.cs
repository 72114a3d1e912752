using System.Text;
using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>ESTABLISHED, receiving: request reassembly, duplicates, windows, ACK policy.</summary>
public class EstablishedReceiveTests
{
    static string Read(TcpConnection c, NetHarness h)
    {
        var buffer = new byte[c.Available];
        c.Read(buffer, h.Now);
        return Encoding.ASCII.GetString(buffer);
    }

    [Fact]
    public void Data_InOrder_IsReadableAndAcknowledged()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET / HTTP/1.1\r\n");

        Assert.Equal("GET / HTTP/1.1\r\n", Read(c, h));
        var ack = h.Segments().Single();
        Assert.True(ack.IsPureAck);
        Assert.Equal(client.Seq, ack.Tcp!.AcknowledgmentNumber);
        Assert.Equal(client.ServerSeq(1), ack.Tcp.SequenceNumber);
        Assert.Equal(client.Seq, c.ReceiveNext);
    }

    [Fact]
    public void Data_OutOfOrder_IsHeldUntilTheGapFillsAndSackedMeanwhile()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        uint start = client.Seq;
        client.SendAt(start + 6, "world");   // "hello " missing
        Assert.Equal(0, c.Available);
        var dupAck = h.Segments().Single();
        Assert.Equal(start, dupAck.Tcp!.AcknowledgmentNumber);
        Assert.Equal(1, dupAck.Tcp.SackBlockCount);
        Assert.Equal(start + 6, dupAck.Tcp.SackLeft[0]);
        Assert.Equal(start + 11, dupAck.Tcp.SackRight[0]);
        Assert.Empty(h.Events.DataEvents);

        client.SendAt(start, "hello ");
        Assert.Equal("hello world", Read(c, h));
        var ack = h.Segments().Single();
        Assert.Equal(start + 11, ack.Tcp!.AcknowledgmentNumber);
        Assert.Equal(0, ack.Tcp.SackBlockCount);
    }

    [Fact]
    public void Data_SeveralHoles_SackListsMostRecentBlockFirst()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        uint s = client.Seq;
        client.SendAt(s + 10, "bbbbb");
        client.SendAt(s + 20, "ccccc");
        h.Segments();
        client.SendAt(s + 30, "ddddd");
        var ack = h.Segments().Single();
        Assert.Equal(3, ack.Tcp!.SackBlockCount);
        Assert.Equal(s + 30, ack.Tcp.SackLeft[0]);
        Assert.Equal(s + 10, ack.Tcp.SackLeft[1]);
        Assert.Equal(0, c.Available);
    }

    [Fact]
    public void Data_Duplicate_IsTrimmedAndCounted()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        uint s = client.Seq;
        client.Send("abcdef");
        client.SendAt(s + 3, "defghi"); // overlaps "def"
        Assert.Equal("abcdefghi", Read(c, h));
        Assert.Equal(3, h.Stack.Counters[NetCounter.TcpDuplicateBytes]);
        client.SendAt(s, "abc");         // entirely old: re-ACKed
        Assert.Equal(s + 9, h.Segments().Last().Tcp!.AcknowledgmentNumber);
    }

    [Fact]
    public void Data_OverlappingOutOfOrderSegments_AssembleExactly()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        uint s = client.Seq;
        string text = "0123456789abcdefghijklmnopqrstuvwxyz";
        client.SendAt(s + 20, text[20..30]);
        client.SendAt(s + 5, text[5..15]);
        client.SendAt(s + 12, text[12..25]);
        client.SendAt(s + 28, text[28..]);
        client.SendAt(s, text[..7]);
        Assert.Equal(text, Read(c, h));
    }

    [Fact]
    public void Data_TooManyHoles_DropsTheExtraRangeAndCountsIt()
    {
        var h = new NetHarness(o => o with { MaxOutOfOrderRanges = 2 });
        var client = h.Client();
        var c = client.Connect();
        uint s = client.Seq;
        client.SendAt(s + 10, "x");
        client.SendAt(s + 20, "y");
        client.SendAt(s + 30, "z");
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpReassemblyOverflow]);
        client.SendAt(s, "0123456789");
        Assert.Equal(11, c.Available); // "0123456789x"; y is still held, z was dropped
    }

    [Fact]
    public void Window_ShrinksWithUnreadBytesAndReopensWhenRead()
    {
        var h = new NetHarness(o => o with { ReceiveBufferBytes = 4096 });
        var client = h.Client();
        var c = client.Connect(t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; }); // no scaling
        client.Send(new string('a', 3000));
        var ack = h.Segments().Single();
        Assert.Equal(1096, ack.Tcp!.Window);
        client.Send(new string('b', 1096));
        Assert.Equal(0, h.Segments().Single().Tcp!.Window);

        c.Consume(4096, h.Now);
        var update = h.Segments().Single();
        Assert.True(update.IsPureAck);
        Assert.Equal(4096, update.Tcp!.Window);
    }

    [Fact]
    public void Data_BeyondWindow_IsTrimmedToTheWindow()
    {
        var h = new NetHarness(o => o with { ReceiveBufferBytes = 1000 });
        var client = h.Client();
        var c = client.Connect(t => { });
        client.Send(new string('a', 1200));
        Assert.Equal(1000, c.Available);
        Assert.Equal(client.Seq - 200, h.Segments().Single().Tcp!.AcknowledgmentNumber);
    }

    [Fact]
    public void Segment_OutsideWindow_IsDroppedAndAnsweredWithAck()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        client.SendAt(client.Seq + 10_000_000, "far");
        Assert.Equal(0, c.Available);
        var ack = h.Segments().Single();
        Assert.Equal(client.Seq, ack.Tcp!.AcknowledgmentNumber);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpOutOfWindow]);
    }

    [Fact]
    public void OutOfWindowAcks_AreLimitedPerSecond()
    {
        var h = new NetHarness();
        var client = h.Client();
        client.Connect();
        for (int i = 0; i < 50; i++) client.SendAt(client.Seq + 10_000_000, "x");
        Assert.Equal(10, h.Segments().Count);
        Assert.Equal(40, h.Stack.Counters[NetCounter.TcpChallengeAcksSuppressed]);
        h.Advance(1000);
        client.SendAt(client.Seq + 10_000_000, "x");
        Assert.Single(h.Segments());
    }

    [Fact]
    public void Segment_WithoutAckBit_IsDropped()
    {
        var h = new NetHarness();
        var client = h.Client();
        var c = client.Connect();
        h.Feed(client.Frame(TcpFlags.Psh, client.Seq, 0, "data"));
        Assert.Equal(0, c.Available);
        Assert.Equal(1, h.Stack.Counters[NetCounter.TcpNoAckBit]);
    }

    [Fact]
    public void DelayedAck_OneSegmentWaitsTheDelayTwoSegmentsAckAtOnce()
    {
        var h = new NetHarness(o => o with { DelayedAckMs = 40 });
        var client = h.Client();
        client.Connect();
        client.Send("one");
        Assert.Empty(h.Segments());
        h.Advance(39);
        Assert.Empty(h.Segments());
        h.Advance(1);
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber);

        client.Send("two");
        client.Send("three");
        Assert.Equal(client.Seq, h.Segments().Single().Tcp!.AcknowledgmentNumber); // every second segment (RFC 5681 4.2)
    }

    [Fact]
    public void DelayedAck_ReplySentFromOnData_CarriesTheAck()
    {
        var h = new NetHarness(o => o with { DelayedAckMs = 40 });
        h.Events.OnDataHandler = (c, now) => { c.Consume(c.Available, now); c.Send("HTTP/1.1 200 OK\r\n\r\n"u8, now); };
        var client = h.Client();
        client.Connect();
        client.Send("GET / HTTP/1.1\r\n\r\n");
        var reply = h.Segments().Single();
        Assert.Equal(client.Seq, reply.Tcp!.AcknowledgmentNumber);
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", reply.Text);
        h.Advance(100);
        Assert.Empty(h.Segments());
    }
}
