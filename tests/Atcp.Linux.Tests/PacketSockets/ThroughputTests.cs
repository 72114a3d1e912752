using System.Diagnostics;
using Atcp.Linux;
using Atcp.Linux.Tests.Support;
using Xunit.Abstractions;

namespace Atcp.Linux.Tests.PacketSockets;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasurementCollection
{
    public const string Name = "measurements (run alone)";
}

/// <summary>Frames per second over a veth pair, batched against unbatched, for both directions.
/// The figures are printed (dotnet test --logger "console;verbosity=detailed"); the assertions only
/// check that every frame was accounted for and that the rates are not absurd.</summary>
[Collection(MeasurementCollection.Name)]
public sealed class ThroughputTests(ITestOutputHelper output) : IDisposable
{
    const int TxFrames = 100_000;
    const int RxFrames = 30_000;
    readonly VethLink _link = new();

    public void Dispose() => _link.Dispose();

    void Report(string what, int frames, TimeSpan elapsed, long syscalls)
    {
        double rate = frames / elapsed.TotalSeconds;
        output.WriteLine($"{what,-44} {rate,12:N0} frames/s  {syscalls / (double)frames,6:F3} syscalls/frame");
        Assert.True(rate > 1000, what + " ran at " + rate + " frames/s");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1514)]
    public void Transmit_BatchedAgainstUnbatched(int length)
    {
        using var socket = _link.OpenLeft();
        var frame = Frames.Make(Frames.Broadcast, socket.MacAddress, 1, length);

        var batch = new FrameBatch(64, length);
        while (!batch.IsFull) batch.Add(frame);
        for (int i = 0; i < 20_000; i++) while (!socket.Transmit(frame)) Thread.Yield(); // warm-up (JIT tiers)
        for (int i = 0; i < 300; i++) socket.TransmitBatch(batch);

        long before = socket.Counters.Syscalls;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < TxFrames; i++)
            while (!socket.Transmit(frame)) Thread.Yield();
        Report($"TX send() per frame, {length} B", TxFrames, clock.Elapsed, socket.Counters.Syscalls - before - 1);

        before = socket.Counters.Syscalls;
        clock.Restart();
        for (int sent = 0; sent < TxFrames;)
        {
            int n = socket.TransmitBatch(batch);
            sent += n;
            if (n < batch.Count) Thread.Yield();
        }
        Report($"TX sendmmsg() batches of 64, {length} B", TxFrames, clock.Elapsed, socket.Counters.Syscalls - before - 1);
        Assert.Equal(0, socket.Counters.TransmitErrors);
    }

    /// <summary>Queues RxFrames on the receiver first (ring or socket buffer big enough), then times
    /// draining them, so the figure is the receive path's own cost.</summary>
    int Prefill(PacketSocket receiver, int length, int frames)
    {
        using var sender = _link.OpenLeft();
        var batch = new FrameBatch(64, length);
        for (uint i = 0; i < 64; i++) batch.Add(Frames.Make(Frames.Broadcast, sender.MacAddress, i, length));
        for (int sent = 0; sent < frames;)
            sent += sender.TransmitBatch(batch);
        // Count what actually waits: (kernel packets - drops) is what the socket holds.
        var counters = receiver.Counters;
        Assert.Equal(0, counters.KernelDrops);
        return (int)counters.KernelPackets;
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1514)]
    public void Receive_RingBatchedAgainstRingSingleAgainstRecv(int length)
    {
        MeasureReceive(length, RxFrames, report: false); // warm-up: JIT tiers and on-stack replacement
        MeasureReceive(length, RxFrames, report: true);
    }

    void MeasureReceive(int length, int frames, bool report)
    {
        var batch = new FrameBatch(64);
        var buffer = new byte[2048];

        using (var ring = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 128 << 20 }))
        {
            int waiting = Prefill(ring, length, frames);
            long before = ring.Counters.Syscalls;
            var clock = Stopwatch.StartNew();
            int got = 0;
            while (got < waiting) got += ring.ReceiveBatch(batch, 1000);
            if (report) Report($"RX ring, ReceiveBatch of 64, {length} B", got, clock.Elapsed, ring.Counters.Syscalls - before - 1);
        }

        using (var ring = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 128 << 20 }))
        {
            int waiting = Prefill(ring, length, frames);
            long before = ring.Counters.Syscalls;
            var clock = Stopwatch.StartNew();
            int got = 0;
            while (got < waiting)
                if (ring.Receive(buffer, 0, buffer.Length) > 0) got++; else ring.WaitForReceive(1000);
            if (report) Report($"RX ring, Receive one frame a call, {length} B", got, clock.Elapsed, ring.Counters.Syscalls - before - 1);
        }

        using (var plain = _link.OpenRight(new PacketSocketOptions { RxRingBytes = 0, ReceiveBufferBytes = 512 << 20 }))
        {
            int waiting = Prefill(plain, length, frames);
            long before = plain.Counters.Syscalls;
            var clock = Stopwatch.StartNew();
            int got = 0;
            while (got < waiting)
                if (plain.Receive(buffer, 0, buffer.Length) > 0) got++; else plain.WaitForReceive(1000);
            if (report) Report($"RX recv() per frame (no ring), {length} B", got, clock.Elapsed, plain.Counters.Syscalls - before - 1);
        }
    }
}
