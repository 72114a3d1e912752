using System.Buffers.Binary;
using System.Diagnostics;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.PacketSockets;

/// <summary>With WatchRequestsDuringPause a batching pause ends when a request arrives (a TCP
/// segment with payload, a SYN/FIN, an RST+ACK, an ACK with SACK options, any non-TCP frame for us)
/// but not for pure TCP ACKs or bare RSTs, and the frames still all arrive through the ring.</summary>
public sealed class PauseRequestWakeTests : IDisposable
{
    readonly VethLink _link = new();
    readonly PacketSocket _left;
    readonly PacketSocket _right;

    public PauseRequestWakeTests()
    {
        _left = _link.OpenLeft();
        _right = _link.OpenRight();
        _right.WatchRequestsDuringPause();
    }

    public void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        _link.Dispose();
    }

    byte[] Tcp(byte flags, int payload, bool options = false) =>
        TcpFrames.Make(_right.MacAddress, _left.MacAddress, flags, payload, options);

    const byte Ack = 0x10, Psh = 0x08, Syn = 0x02, Fin = 0x01, Rst = 0x04;

    // Sends the frame 30 ms into a pause of 2 s (one that also ends on a board's answer when
    // endOnBoardAnswer); true when the pause ended early.
    bool PauseEndsOn(byte[] frame, out long elapsedMs, bool endOnBoardAnswer = false)
    {
        var clock = Stopwatch.StartNew();
        using var sender = new Timer(_ => _left.Transmit(frame), null, 30, Timeout.Infinite);
        bool woken = _right.Pause(2_000_000, endOnBoardAnswer);
        elapsedMs = clock.ElapsedMilliseconds;
        return woken;
    }

    [Theory]
    [InlineData(Ack | Psh, 100, false)]
    [InlineData(Ack, 1, true)]
    [InlineData(Syn, 0, false)]
    [InlineData(Syn, 0, true)]
    [InlineData(Ack | Fin, 0, false)]
    [InlineData(Rst | Ack, 0, false)] // a client aborting its connection
    [InlineData(Ack, 0, true)] // SACK blocks: a loss signal the relay passes on at once
    public void Pause_RequestSegment_EndsItEarly(byte flags, int payload, bool options)
    {
        Assert.True(PauseEndsOn(Tcp(flags, payload, options), out long elapsed));

        Assert.InRange(elapsed, 20, 1500);
        Assert.Equal(1, _right.RequestWakes);
    }

    // Pure ACKs, and the RSTs without ACK a client answers each segment with that reaches a socket
    // it has closed (after an abort, one per board segment still in flight, tens in a burst), wait
    // their turn in the ring.
    [Theory]
    [InlineData(Ack)]
    [InlineData(Rst)]
    public void Pause_PureAcksOrBareResets_DoNotEndIt_AndArriveAfter(byte flags)
    {
        var clock = Stopwatch.StartNew();
        using var sender = new Timer(_ =>
        {
            for (int i = 0; i < 5; i++) _left.Transmit(Tcp(flags, 0));
        }, null, 20, Timeout.Infinite);

        Assert.False(_right.Pause(300_000));

        Assert.InRange(clock.ElapsedMilliseconds, 250, 3000);
        Assert.Equal(0, _right.RequestWakes);
        Assert.Equal(5, _right.ReceiveBatch(new FrameBatch(16)));
    }

    [Fact]
    public void Pause_NonTcpFrameForUs_EndsItEarly()
    {
        Assert.True(PauseEndsOn(Frames.Make(_right.MacAddress, _left.MacAddress, 1, 60), out _));
    }

    // An ATCP frame (EtherType 0x88B5) from a board: type at header byte 1, SERVICE_ACK status at body byte 4.
    byte[] Atcp(byte type, byte status)
    {
        var f = new byte[80];
        _right.MacAddress.CopyTo(f, 0);
        _left.MacAddress.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x88B5);
        f[14] = 1;
        f[15] = type;
        f[14 + 20 + 4] = status;
        return f;
    }

    [Theory]
    [InlineData(0x83, 0x00)] // INVENTORY
    [InlineData(0x40, 0x00)] // ABORT: a board gave a stream up
    [InlineData(0x85, 0x00)] // a type this version does not know
    public void Pause_BoardMessageOtherThanAReport_EndsItEarly(byte type, byte status)
    {
        Assert.True(PauseEndsOn(Atcp(type, status), out _));
    }

    // While the engine awaits one of these from a board with nothing in flight, its pause watches
    // for them too (HttpDispatcher.AwaitsIdleBoardAnswer, below); a busy board's may wait.
    [Theory]
    [InlineData(0x82, 0x00)] // HELLO heartbeat
    [InlineData(0x81, 0x01)] // SERVICE_ACK InProgress: a progress report
    [InlineData(0x81, 0x00)] // SERVICE_ACK Accepted
    [InlineData(0x81, 0x12)] // SERVICE_ACK Busy
    [InlineData(0x84, 0x00)] // DONE
    public void Pause_BoardsReport_DoesNotEndIt_AndArrivesAfter(byte type, byte status)
    {
        Assert.False(PauseEndsOn(Atcp(type, status), out long elapsed));

        Assert.True(elapsed >= 1900, "the pause ended after " + elapsed + " ms");
        Assert.Equal(1, _right.ReceiveBatch(new FrameBatch(4)));
    }

    [Theory]
    [InlineData(0x81, 0x00)] // SERVICE_ACK Accepted: the reply started
    [InlineData(0x81, 0x12)] // SERVICE_ACK Busy
    [InlineData(0x84, 0x00)] // DONE
    public void AnswerPause_BoardsAnswer_EndsIt(byte type, byte status)
    {
        Assert.True(PauseEndsOn(Atcp(type, status), out long elapsed, endOnBoardAnswer: true));

        Assert.InRange(elapsed, 20, 1500);
        Assert.Equal(1, _right.ReceiveBatch(new FrameBatch(4)));
    }

    [Fact]
    public void AnswerPause_RequestsStillEndIt_PureAcksAndHeartbeatsDoNot()
    {
        Assert.True(PauseEndsOn(Tcp(Ack | Psh, 100), out _, endOnBoardAnswer: true));
        _right.ReceiveBatch(new FrameBatch(4));

        Assert.False(PauseEndsOn(Tcp(Ack, 0), out long elapsed, endOnBoardAnswer: true));
        Assert.True(elapsed >= 1900, "a pure ACK ended the pause after " + elapsed + " ms");
        _right.ReceiveBatch(new FrameBatch(4));
        Assert.False(PauseEndsOn(Atcp(0x82, 0), out elapsed, endOnBoardAnswer: true));
        Assert.True(elapsed >= 1900, "a HELLO ended the pause after " + elapsed + " ms");
    }

    [Fact]
    public void AnswerPause_AnswerAlreadyReceivedByABatch_DoesNotEndIt()
    {
        Assert.True(_left.Transmit(Atcp(0x81, 0x01)));
        Thread.Sleep(20);
        Assert.Equal(1, _right.ReceiveBatch(new FrameBatch(4)));
        var clock = Stopwatch.StartNew();

        Assert.False(_right.Pause(200_000, endOnBoardAnswer: true));

        Assert.True(clock.ElapsedMilliseconds >= 150, "an old answer ended the pause");
    }

    [Fact]
    public void Pause_FrameForAnotherHost_DoesNotEndIt()
    {
        byte[] other = [0x02, 0x00, 0x00, 0x00, 0x00, 0x99];

        Assert.False(PauseEndsOn(Frames.Make(other, _left.MacAddress, 1, 60), out long elapsed));

        Assert.True(elapsed >= 1900, "the pause ended after " + elapsed + " ms");
    }

    [Fact]
    public void Pause_RequestAlreadyReceivedByABatch_DoesNotEndTheNextPause()
    {
        Assert.True(_left.Transmit(Tcp(Ack | Psh, 100)));
        var batch = new FrameBatch(8);
        Assert.True(_right.WaitForReceive(3000));
        Thread.Sleep(20);
        Assert.Equal(1, _right.ReceiveBatch(batch));
        var clock = Stopwatch.StartNew();

        Assert.False(_right.Pause(200_000));

        Assert.True(clock.ElapsedMilliseconds >= 150, "a stale signal ended the pause");
    }

    [Fact]
    public void Pause_WithoutWatching_RequestDoesNotEndIt()
    {
        using var plain = _link.OpenRight();
        var clock = Stopwatch.StartNew();
        using var sender = new Timer(_ => _left.Transmit(Tcp(Ack | Psh, 100)), null, 20, Timeout.Infinite);

        Assert.False(plain.PauseEndsOnRequest);
        Assert.False(plain.Pause(200_000));
        Assert.True(clock.ElapsedMilliseconds >= 150);
    }
}
