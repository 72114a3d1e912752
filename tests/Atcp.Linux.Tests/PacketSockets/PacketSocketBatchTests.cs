using Atcp.Linux;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.PacketSockets;

/// <summary>The batch paths: sendmmsg() batches, the RX ring drained into a FrameBatch, bursts of
/// 10,000 frames, ring overflow counted from tpacket_stats.</summary>
public sealed class PacketSocketBatchTests : IDisposable
{
    const int Burst = 10_000;
    readonly VethLink _link = new();

    public void Dispose() => _link.Dispose();

    static int LengthOf(uint sequence) => 60 + (int)(sequence * 37 % 1455); // 60 .. 1514

    /// <summary>Receives on another thread with ReceiveBatch until count test frames came or the
    /// wire stayed quiet for three seconds; checks each against its sequence number.</summary>
    static Task<List<uint>> ReceiveInOrder(PacketSocket socket, byte[] destination, byte[] source, int count) =>
        Task.Factory.StartNew(() =>
        {
            var sequences = new List<uint>(count);
            var batch = new FrameBatch(64);
            var quiet = System.Diagnostics.Stopwatch.StartNew();
            while (sequences.Count < count && quiet.ElapsedMilliseconds < 3000)
            {
                int n = socket.ReceiveBatch(batch, 100);
                if (n > 0) quiet.Restart();
                for (int i = 0; i < n; i++)
                {
                    var frame = batch.Frame(i);
                    if (!Frames.IsTest(frame)) continue;
                    uint sequence = Frames.Sequence(frame);
                    var expected = Frames.Make(destination, source, sequence, LengthOf(sequence));
                    Assert.True(frame.SequenceEqual(expected), "frame " + sequence + " differs");
                    sequences.Add(sequence);
                }
            }
            return sequences;
        }, TaskCreationOptions.LongRunning);

    static void AssertInOrder(List<uint> sequences, int count)
    {
        Assert.Equal(count, sequences.Count);
        for (int i = 0; i < count; i++) Assert.Equal((uint)i, sequences[i]);
    }

    [Fact]
    public async Task TransmitBatch_BurstOf10000_ArrivesComplete_InOrder_ByteExact()
    {
        using var left = _link.OpenLeft();
        using var right = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 32 << 20 });
        var receiving = ReceiveInOrder(right, Frames.Broadcast, left.MacAddress, Burst);

        var batch = new FrameBatch(64);
        uint next = 0;
        while (next < Burst)
        {
            batch.Clear();
            while (!batch.IsFull && next < Burst)
            {
                int index = batch.Append(LengthOf(next));
                Frames.Fill(batch.Buffer(index).AsSpan(0, batch.Length(index)), Frames.Broadcast, left.MacAddress, next++);
            }
            int sent = 0;
            while (sent < batch.Count)
            {
                int n = left.TransmitBatch(batch);
                if (n < batch.Count) { batch.RemoveFirst(n); Thread.Yield(); } else sent = batch.Count;
            }
        }

        AssertInOrder(await receiving, Burst);
        Assert.Equal(Burst, left.Counters.FramesSent);
        Assert.Equal(0, right.Counters.KernelDrops);
        Assert.InRange(left.Counters.SendBatches, Burst / 64, Burst / 2);
    }

    [Fact]
    public async Task EnqueueAndFlush_BurstOf10000_ArrivesComplete_InOrder()
    {
        using var left = _link.OpenLeft(new PacketSocketOptions { TxBatchSize = 32 });
        using var right = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 32 << 20 });
        var receiving = ReceiveInOrder(right, Frames.Broadcast, left.MacAddress, Burst);

        var frame = new byte[1514];
        for (uint i = 0; i < Burst; i++)
        {
            var span = frame.AsSpan(0, LengthOf(i));
            Frames.Fill(span, Frames.Broadcast, left.MacAddress, i);
            while (!left.Enqueue(span)) Thread.Yield();
        }
        while (left.PendingCount > 0) left.Flush();

        AssertInOrder(await receiving, Burst);
        Assert.Equal(0, left.PendingCount);
    }

    [Fact]
    public async Task ReceiveBatch_WithoutRing_DeliversTheSameFrames()
    {
        using var left = _link.OpenLeft();
        using var right = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 0, ReceiveBufferBytes = 64 << 20 });
        var receiving = ReceiveInOrder(right, Frames.Broadcast, left.MacAddress, 2000);

        for (uint i = 0; i < 2000; i++)
            while (!left.Transmit(Frames.Make(Frames.Broadcast, left.MacAddress, i, LengthOf(i)))) Thread.Yield();

        AssertInOrder(await receiving, 2000);
    }

    [Fact]
    public void ReceiveBatch_WhenRingOverflows_CountsKernelDrops()
    {
        using var left = _link.OpenLeft();
        using var right = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 64 * 1024 }); // 32 slots
        Assert.Equal(32, right.RingFrameCount);

        for (uint i = 0; i < 100; i++)
            Assert.True(left.Transmit(Frames.Make(Frames.Broadcast, left.MacAddress, i, 200)));

        var batch = new FrameBatch(128);
        Assert.Equal(32, right.ReceiveBatch(batch, 1000));
        var counters = right.Counters;
        Assert.Equal(68, counters.KernelDrops);
        Assert.Equal(100, counters.KernelPackets);
        for (int i = 0; i < 32; i++) Assert.Equal((uint)i, Frames.Sequence(batch.Frame(i)));
    }

    [Fact]
    public void ReceiveBatch_WhenFramesWait_MakesNoSystemCall()
    {
        using var left = _link.OpenLeft();
        using var right = _link.OpenRight();
        for (uint i = 0; i < 10; i++)
            Assert.True(left.Transmit(Frames.Make(Frames.Broadcast, left.MacAddress, i, 100)));
        Assert.True(right.WaitForReceive(1000));
        Thread.Sleep(50);
        long before = right.Counters.Syscalls;

        var batch = new FrameBatch(16);
        int n = right.ReceiveBatch(batch, 1000);

        Assert.Equal(10, n);
        Assert.Equal(before + 1, right.Counters.Syscalls); // only the statistics read of Counters
    }

    [Fact]
    public void TransmitBatch_WithQdiscBypassOff_IsShapedByTc_AndWithBypassOn_IsNot()
    {
        // A token bucket of 1 Mbit/s with room for about two frames: without bypass the qdisc
        // refuses most of a fast burst; with PACKET_QDISC_BYPASS the frames skip it.
        var tc = _link.Left.Exec("tc", "qdisc", "add", "dev", _link.LeftName, "root", "tbf",
            "rate", "1mbit", "burst", "3000", "limit", "3000");
        Assert.True(tc.Succeeded, tc.StandardError);
        var batch = new FrameBatch(50);
        using var right = _link.OpenRight();

        using (var shaped = _link.OpenLeft())
        {
            for (uint i = 0; i < 50; i++) batch.Add(Frames.Make(Frames.Broadcast, shaped.MacAddress, i, 1000));
            int sent = 0;
            for (int i = 0; i < 50; i++) sent += shaped.Transmit(batch.Buffer(i), 0, 1000) ? 1 : 0;
            Assert.True(sent < 50, "tc should have refused part of the burst");
            Assert.True(shaped.Counters.TransmitBusy > 0);
        }
        Collect.TestFrames(right, 50, 300); // drain what the shaper let through

        using var bypass = _link.OpenLeft(new PacketSocketOptions { QdiscBypass = true });
        Assert.Equal(50, bypass.TransmitBatch(batch));
        Assert.Equal(50, Collect.TestFrames(right, 50, 3000).Count);
    }
}
