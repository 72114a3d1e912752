using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;
using Xunit.Abstractions;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The data path's streaming read: byte ranges that start and end inside blocks, no
/// allocation per block, and the SPI traffic per payload byte.</summary>
[Collection(AllocationSensitive.Name)]
public class SdCardStreamingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10, 100, 3000)]
    [InlineData(0, 0, 512)]
    [InlineData(7, 511, 1)]
    [InlineData(7, 300, 100)]
    [InlineData(4094, 12, 1012)]
    public void Stream_ByteRangeStartingInsideABlock_DeliversExactlyThoseBytes(long firstBlock, int skip, int length)
    {
        var rig = SdRig.Create(blocks: 4096);
        var buffer = Enumerable.Repeat((byte)0xEE, length + 10).ToArray();
        var expected = rig.Image.AsSpan((int)firstBlock * 512 + skip, length).ToArray();
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(firstBlock));
        int done = 0;
        while (done < length)
        {
            int take = Math.Min(512 - skip, length - done);
            Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 5 + done, skip, take));
            done += take;
            skip = 0;
        }
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(expected, buffer.AsSpan(5, length).ToArray());
        Assert.All(buffer.AsSpan(0, 5).ToArray(), b => Assert.Equal(0xEE, b));
        Assert.All(buffer.AsSpan(5 + length).ToArray(), b => Assert.Equal(0xEE, b));
        Assert.Equal(length, rig.Driver.Statistics.PayloadBytesRead);
    }

    [Fact]
    public void Stream_PartialBlockWithCrcError_IsRetriedToo()
    {
        var rig = SdRig.Create();
        rig.Card.CorruptNextReadBlocks(1);
        var buffer = new byte[100];
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(3));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0, 400, 100));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(rig.Image.AsSpan(3 * 512 + 400, 100).ToArray(), buffer);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
    }

    [Fact]
    public void Stream_OtherOperationsWhileOpen_ReturnNotReady()
    {
        var rig = SdRig.Create();
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        Assert.True(rig.Driver.IsStreaming);
        Assert.Equal(BlockStatus.NotReady, rig.Driver.Read(5, 1, buffer, 0));
        Assert.Equal(BlockStatus.NotReady, rig.Driver.Write(5, 1, buffer, 0));
        Assert.Equal(BlockStatus.NotReady, rig.Driver.BeginRead(9));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0));
        Assert.Equal(rig.Image.AsSpan(0, 512).ToArray(), buffer);
        Assert.Equal(1, rig.Driver.StreamBlock);
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(5, 1, buffer, 0));
    }

    [Fact]
    public void Stream_PastTheLastBlock_ReturnsOutOfRangeAndEndsCleanly()
    {
        var rig = SdRig.Create(blocks: 2048);
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(2046));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0));
        Assert.Equal(rig.Image.AsSpan(2047 * 512, 512).ToArray(), buffer);
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.ReadNext(buffer, 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 1, buffer, 0));
    }

    [Fact]
    public void Stream_WithoutBeginRead_ReadNextIsNotReadyAndEndReadIsHarmless()
    {
        var rig = SdRig.Create();
        Assert.Equal(BlockStatus.NotReady, rig.Driver.ReadNext(new byte[512], 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(20)]
    public void TokenPolling_LargerPolls_SaveTransactionsWithoutAddingTraffic(int accessDelay)
    {
        long? bytes = null;
        long previousTransactions = long.MaxValue;
        foreach (int poll in new[] { 1, 4, 16, 32 })
        {
            var rig = SdRig.Create(configureCard: c => c.ReadAccessDelayBytes = accessDelay, configureDriver: d => d.TokenPollBytes = poll);
            rig.Recorder.Recording = false;
            rig.Driver.Statistics.Reset();
            var buffer = new byte[64 * 512];
            Assert.Equal(BlockStatus.Ok, rig.Driver.Read(100, 64, buffer, 0));
            Assert.Equal(rig.Image.AsSpan(100 * 512, buffer.Length).ToArray(), buffer);
            bytes ??= rig.Driver.Statistics.SpiBytes;
            Assert.Equal(bytes, rig.Driver.Statistics.SpiBytes);
            Assert.True(rig.Driver.Statistics.SpiTransactions <= previousTransactions);
            previousTransactions = rig.Driver.Statistics.SpiTransactions;
        }
    }

    [Fact]
    public void Stream_SteadyState_AllocatesNothingPerBlock()
    {
        var image = SdRig.RandomImage(4096);
        var card = new SdCardModel(image);
        var clock = new SimulatedClock();
        card.Clock = clock;
        var driver = new SdCard(card, card.ChipSelect, clock, card.CardDetect, true);
        Assert.Equal(BlockStatus.Ok, driver.Initialize());
        var buffer = new byte[512 * 8];
        // Counts failures instead of asserting inside: xunit's Assert allocates.
        int Workload()
        {
            int failures = 0;
            if (driver.BeginRead(0) != BlockStatus.Ok) failures++;
            for (int i = 0; i < 1000; i++) if (driver.ReadNext(buffer, (i % 8) * 512) != BlockStatus.Ok) failures++;
            if (driver.ReadNext(buffer, 0, 100, 50) != BlockStatus.Ok) failures++;
            if (driver.EndRead() != BlockStatus.Ok) failures++;
            if (driver.Read(10, 8, buffer, 0) != BlockStatus.Ok) failures++;
            if (driver.Read(20, 1, buffer, 0) != BlockStatus.Ok) failures++;
            if (driver.Write(30, 8, buffer, 0) != BlockStatus.Ok) failures++;
            if (driver.Write(40, 1, buffer, 0) != BlockStatus.Ok) failures++;
            return failures;
        }
        Assert.Equal(0, Workload());
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = Workload();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void LongReads_SpiBytesPerPayloadByte_StayNearOne()
    {
        var rig = SdRig.Create(blocks: 8192);
        rig.Recorder.Recording = false;
        var buffer = new byte[512 * 64];
        var stats = rig.Driver.Statistics;

        stats.Reset();
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        for (int i = 0; i < 8192; i++) Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, (i % 64) * 512));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        double stream = (double)stats.SpiBytes / stats.PayloadBytesRead;
        double streamTransactions = (double)stats.SpiTransactions / stats.BlocksRead;

        stats.Reset();
        for (int block = 0; block < 8192; block += 64) Assert.Equal(BlockStatus.Ok, rig.Driver.Read(block, 64, buffer, 0));
        double runs = (double)stats.SpiBytes / stats.PayloadBytesRead;

        stats.Reset();
        for (int block = 0; block < 1024; block++) Assert.Equal(BlockStatus.Ok, rig.Driver.Read(block, 1, buffer, 0));
        double single = (double)stats.SpiBytes / stats.PayloadBytesRead;

        output.WriteLine($"SPI bytes per payload byte (NCR 1, NAC 1): stream of 8192 blocks {stream:F4} ({streamTransactions:F2} transactions/block), runs of 64 blocks {runs:F4}, single blocks {single:F4}");
        // Per block: NAC (1) + token (1) + 512 + CRC (2) = 516 bytes; commands amortised.
        Assert.InRange(stream, 1.0, 1.0080);
        Assert.InRange(runs, 1.0, 1.0090);
        Assert.InRange(single, 1.0, 1.03);
        // One transfer carries gap, token, data and CRC of three blocks (the engine reads ahead in an
        // explicit stream); commands amortised.
        Assert.InRange(streamTransactions, 0.33, 0.34);
    }

    [Theory]
    [InlineData(25_000_000, 16)]
    [InlineData(25_000_000, 100)]
    public void LongStream_WithRealisticAccessDelay_ReportsTheCardsShare(int hz, int accessDelay)
    {
        var rig = SdRig.Create(configureCard: c => c.ReadAccessDelayBytes = accessDelay, configureDriver: d => d.MaxClockHz = hz);
        rig.Recorder.Recording = false;
        var buffer = new byte[512];
        var stats = rig.Driver.Statistics;
        stats.Reset();
        long start = rig.Clock.NowNanoseconds;
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        for (int i = 0; i < 2048; i++) Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        double ratio = (double)stats.SpiBytes / stats.PayloadBytesRead;
        double seconds = (rig.Clock.NowNanoseconds - start) / 1e9;
        output.WriteLine($"NAC {accessDelay} bytes at {hz / 1e6} MHz: {ratio:F4} SPI bytes per payload byte, bus-limited {stats.PayloadBytesRead / seconds / 1e6:F2} MB/s");
        // All the excess over 516/512 is the card's own access time: nothing else is clocked.
        Assert.Equal((512 + 2 + 1 + accessDelay) / 512.0, ratio, 2);
    }
}
