using System.Buffers.Binary;
using Atcp.Linux;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.PacketSockets;

/// <summary>Single frames across a veth pair: byte-exact delivery, no echo of our own output,
/// length limits, VLAN tags, waiting and waking.</summary>
public sealed class PacketSocketTransferTests : IDisposable
{
    readonly VethLink _link = new();
    readonly PacketSocket _left;
    readonly PacketSocket _right;

    public PacketSocketTransferTests()
    {
        _left = _link.OpenLeft();
        _right = _link.OpenRight();
    }

    public void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        _link.Dispose();
    }

    [Theory]
    [InlineData(14)]
    [InlineData(18)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(64)]
    [InlineData(577)]
    [InlineData(1024)]
    [InlineData(1513)]
    [InlineData(1514)]
    public void Transmit_FrameOfLength_ArrivesByteExact(int length)
    {
        var frame = Frames.Make(_right.MacAddress, _left.MacAddress, 7, length);

        Assert.True(_left.Transmit(frame, 0, frame.Length));
        var got = Collect.Frames(_right, 1, 3000, f => f.Length >= 14 && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == Frames.ExperimentalEtherType);

        Assert.Single(got);
        Assert.Equal(frame, got[0]);
    }

    [Fact]
    public void Transmit_AtOffsetInLargerBuffer_SendsOnlyTheFrame()
    {
        var frame = Frames.Make(Frames.Broadcast, _left.MacAddress, 3, 100);
        var buffer = new byte[300];
        Array.Fill(buffer, (byte)0xEE);
        frame.CopyTo(buffer, 50);

        Assert.True(_left.Transmit(buffer, 50, frame.Length));

        Assert.Equal(frame, Assert.Single(Collect.TestFrames(_right, 1)));
    }

    [Fact]
    public void Receive_DoesNotSeeOwnTransmissions()
    {
        for (uint i = 0; i < 20; i++)
            Assert.True(_left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, i, 200)));
        Assert.Equal(20, Collect.TestFrames(_right, 20).Count);

        Assert.Empty(Collect.TestFrames(_left, 1, timeoutMs: 200));
        Assert.Equal(0, _left.Counters.FramesReceived);
    }

    [Fact]
    public void Receive_BothDirections_EachSideSeesOnlyThePeersFrames()
    {
        Assert.True(_left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, 1, 80)));
        Assert.True(_right.Transmit(Frames.Make(Frames.Broadcast, _right.MacAddress, 2, 90)));

        Assert.Equal(2u, Frames.Sequence(Assert.Single(Collect.TestFrames(_left, 2, 500))));
        Assert.Equal(1u, Frames.Sequence(Assert.Single(Collect.TestFrames(_right, 2, 500))));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(1515)]
    public void Transmit_LengthOutsideEthernetLimits_Throws(int length)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _left.Transmit(new byte[length], 0, length));
        Assert.Contains("14 to 1514 bytes", e.Message);
    }

    [Fact]
    public void Receive_IntoTooSmallBuffer_DropsAndCountsTheFrame()
    {
        Assert.True(_left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, 1, 1000)));
        Assert.True(_left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, 2, 100)));
        Assert.True(_right.WaitForReceive(2000));
        Thread.Sleep(50);

        var small = new byte[500];
        int n = _right.Receive(small, 0, small.Length);

        Assert.Equal(100, n);
        Assert.Equal(2u, Frames.Sequence(small));
        Assert.Equal(1, _right.Counters.OversizeDrops);
    }

    [Fact]
    public void Receive_VlanTaggedFrame_ComesBackWithItsTagAsSent()
    {
        // 802.1Q tag (TPID 0x8100, PCP 3, VID 42); the receive path strips it into the ring
        // header, and the socket must put it back.
        var frame = new byte[120];
        _right.MacAddress.CopyTo(frame, 0);
        _left.MacAddress.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8100);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), (3 << 13) | 42);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), Frames.ExperimentalEtherType);
        for (int i = 18; i < frame.Length; i++) frame[i] = (byte)i;

        Assert.True(_left.Transmit(frame));
        var got = Collect.Frames(_right, 1, 3000, f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x8100);

        Assert.Equal(frame, Assert.Single(got));
    }

    [Fact]
    public void WaitForReceive_WhenNothingArrives_TimesOut()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(_right.WaitForReceive(150));

        Assert.InRange(clock.ElapsedMilliseconds, 120, 2000);
    }

    [Fact]
    public void Wake_FromAnotherThread_EndsAWaitEarly()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new Timer(_ => _right.Wake(), null, 100, Timeout.Infinite);

        Assert.False(_right.WaitForReceive(10_000));

        Assert.InRange(clock.ElapsedMilliseconds, 50, 5000);
    }

    [Fact]
    public void Pause_WithFramesArriving_SleepsItsTime_AndKeepsTheFramesForAfter()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var sender = new Timer(_ =>
        {
            for (uint i = 0; i < 3; i++) _left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, i, 100));
        }, null, 20, Timeout.Infinite);

        Assert.False(_right.Pause(150_000)); // frames arriving do not end a pause

        Assert.InRange(clock.ElapsedMilliseconds, 120, 2000);
        var batch = new FrameBatch(8);
        Assert.Equal(3, _right.ReceiveBatch(batch));
        for (int i = 0; i < 3; i++) Assert.Equal((uint)i, Frames.Sequence(batch.Buffer(i)));
    }

    [Fact]
    public void Pause_Wake_FromAnotherThread_EndsItEarly()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new Timer(_ => _right.Wake(), null, 50, Timeout.Infinite);

        Assert.True(_right.Pause(10_000_000));

        Assert.InRange(clock.ElapsedMilliseconds, 20, 5000);
    }

    [Fact]
    public void Counters_CountFramesAndBytesBothWays()
    {
        for (uint i = 0; i < 5; i++)
            Assert.True(_left.Transmit(Frames.Make(Frames.Broadcast, _left.MacAddress, i, 100)));
        Assert.Equal(5, Collect.TestFrames(_right, 5).Count);

        var sent = _left.Counters;
        var received = _right.Counters;

        Assert.Equal(5, sent.FramesSent);
        Assert.Equal(500, sent.BytesSent);
        Assert.Equal(5, received.FramesReceived);
        Assert.Equal(500, received.BytesReceived);
        Assert.Equal(5, received.KernelPackets);
        Assert.Equal(0, received.KernelDrops);
        Assert.True(sent.Syscalls >= 5);
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        _left.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _left.Transmit(new byte[60], 0, 60));
        Assert.Throws<ObjectDisposedException>(() => _left.Receive(new byte[60], 0, 60));
    }
}
