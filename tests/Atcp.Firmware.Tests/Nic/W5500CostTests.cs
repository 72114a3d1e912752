using Xunit.Abstractions;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>What a frame costs in steady state: managed allocations (must be none: the board's heap
/// is tens of KB) and SPI transactions and bytes (each transaction is a native call and a chip
/// select cycle on the board). Figures are printed to the test output.</summary>
[Collection(AllocationSensitive.Name)]
public class W5500CostTests(ITestOutputHelper output)
{
    const int Frames = 10_000;

    [Theory]
    [InlineData(60)]
    [InlineData(1514)]
    public void Transmit_SteadyState_AllocatesNothingAndUsesAtMostFourTransactions(int length)
    {
        var bench = new Bench(captureWire: false).Up();
        var buffer = new byte[3 + length];
        TestFrames.Fill(buffer, 3, length, 1, TestFrames.PeerMac, TestFrames.BoardMac);
        for (int i = 0; i < 100; i++) bench.Nic.Transmit(buffer, 3, length);

        long transactions = bench.Nic.Counters.SpiTransactions, bytes = bench.Nic.Counters.SpiBytes;
        long sentBefore = bench.Chip.Counters.FramesTransmitted;
        int refused = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Frames; i++) if (!bench.Nic.Transmit(buffer, 3, length)) refused++;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        double perFrame = (double)(bench.Nic.Counters.SpiTransactions - transactions) / Frames;
        double bytesPerFrame = (double)(bench.Nic.Counters.SpiBytes - bytes) / Frames;
        output.WriteLine($"TX {length} B: {perFrame:F2} SPI transactions/frame, {bytesPerFrame:F1} SPI bytes/frame ({bytesPerFrame - length:F1} overhead), {allocated} bytes allocated over {Frames} frames");
        Assert.Equal(0, refused);
        Assert.Equal(Frames, bench.Chip.Counters.FramesTransmitted - sentBefore);
        Assert.Equal(0, allocated);
        Assert.True(perFrame <= 4.0, $"{perFrame} transactions per sent frame");
    }

    [Theory]
    [InlineData(60, 1)]
    [InlineData(1514, 1)]
    [InlineData(1514, 1514)]   // caller buffer exactly the frame: header read separately
    public void Receive_OneFrameAtATime_AllocatesNothingAndUsesAtMostSixTransactions(int length, int spareCapacity)
    {
        var bench = new Bench(captureWire: false).Up();
        int capacity = Math.Max(spareCapacity, length + 2);
        if (spareCapacity == length) capacity = length;
        var frame = TestFrames.Make(length, 1);
        var buffer = new byte[3 + capacity];
        for (int i = 0; i < 100; i++)
        {
            bench.Chip.Deliver(frame);
            bench.Nic.Receive(buffer, 3, capacity);
        }

        long transactions = bench.Nic.Counters.SpiTransactions, bytes = bench.Nic.Counters.SpiBytes;
        int wrong = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Frames; i++)
        {
            bench.Chip.Deliver(frame);
            if (bench.Nic.Receive(buffer, 3, capacity) != length) wrong++;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        double perFrame = (double)(bench.Nic.Counters.SpiTransactions - transactions) / Frames;
        double bytesPerFrame = (double)(bench.Nic.Counters.SpiBytes - bytes) / Frames;
        output.WriteLine($"RX {length} B one at a time, capacity {capacity}: {perFrame:F2} SPI transactions/frame, {bytesPerFrame:F1} SPI bytes/frame, {allocated} bytes allocated");
        Assert.Equal(0, wrong);
        Assert.Equal(frame, buffer[3..(3 + length)]);
        Assert.Equal(0, allocated);
        Assert.True(perFrame <= (capacity >= length + 2 ? 6.0 : 7.0), $"{perFrame} transactions per received frame");
    }

    [Theory]
    [InlineData(60, 4)]
    [InlineData(1514, 4)]
    [InlineData(300, 8)]
    public void Receive_InBursts_AllocatesNothingAndSharesSizeReadsAndReleases(int length, int burst)
    {
        var bench = new Bench(captureWire: false).Up();
        var frame = TestFrames.Make(length, 1);
        var buffer = new byte[3 + 1600];
        for (int round = 0; round < 20; round++)
        {
            for (int b = 0; b < burst; b++) bench.Chip.Deliver(frame);
            while (bench.Nic.Receive(buffer, 3, 1600) == length) { }
        }
        long transactions = bench.Nic.Counters.SpiTransactions, bytes = bench.Nic.Counters.SpiBytes;
        int received = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Frames / burst; round++)
        {
            for (int b = 0; b < burst; b++) bench.Chip.Deliver(frame);
            while (bench.Nic.Receive(buffer, 3, 1600) == length) received++;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        double perFrame = (double)(bench.Nic.Counters.SpiTransactions - transactions) / received;
        double bytesPerFrame = (double)(bench.Nic.Counters.SpiBytes - bytes) / received;
        output.WriteLine($"RX {length} B in bursts of {burst} (plus one empty poll per burst): {perFrame:F2} SPI transactions/frame, {bytesPerFrame:F1} SPI bytes/frame");
        Assert.Equal(Frames / burst * burst, received);
        Assert.True(perFrame <= 4.0, $"{perFrame} transactions per received frame");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Echo_RequestAndReply_CostReported()
    {
        var bench = new Bench(captureWire: false).Up();
        var request = TestFrames.Make(100, 1);
        var buffer = new byte[3 + 1600];
        for (int i = 0; i < 100; i++) { bench.Chip.Deliver(request); Echo(bench, buffer); }
        long transactions = bench.Nic.Counters.SpiTransactions;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Frames; i++) { bench.Chip.Deliver(request); Echo(bench, buffer); }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        double perExchange = (double)(bench.Nic.Counters.SpiTransactions - transactions) / Frames;
        output.WriteLine($"echo of a 100 B frame: {perExchange:F2} SPI transactions per request+reply");
        Assert.Equal(0, allocated);
        Assert.True(perExchange <= 11.0, $"{perExchange}"); // 6 RX + 4 TX + 1 to see the SEND accepted before RECV
    }

    static void Echo(Bench bench, byte[] buffer)
    {
        int n = bench.Nic.Receive(buffer, 3, 1600);
        if (n > 0) bench.Nic.Transmit(buffer, 3, n);
    }
}
