using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;
using Atcp.VirtualBoard.Hardware;
using Xunit.Abstractions;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The data path's byte reads (ReadBytes): one multiple block read kept open across
/// 1460-byte segments, the card's gap + token + data + CRC parsed across transfers, every block
/// clocked once, CRC errors, removal, and CMD12 whenever another stream or card needs the bus.</summary>
[Collection(AllocationSensitive.Name)]
public class SdCardByteStreamTests(ITestOutputHelper output)
{
    const int Segment = 1460;

    static byte[] Bytes(SdRig rig, long position, int count) => rig.Image.AsSpan((int)position, count).ToArray();

    static int Cmd18Count(SdRig rig) => rig.Recorder.Events.Count(e => e.Kind == SpiEventKind.Transfer && e.Mosi.Length >= 6 && e.Mosi[0] == 0x52);

    static int Cmd12Count(SdRig rig) => rig.Recorder.Events.Count(e => e.Kind == SpiEventKind.Transfer && e.Mosi.Length >= 6 && e.Mosi[0] == 0x4C);

    // Reads `segments` segments from `start` on, checking every byte; returns (SPI bytes, transactions) of the reads.
    static (long Bytes, long Transactions) Stream(SdRig rig, long start, int segments)
    {
        var buffer = new byte[Segment + 8];
        var stats = rig.Driver.Statistics;
        long bytes0 = stats.SpiBytes, transactions0 = stats.SpiTransactions;
        for (int i = 0; i < segments; i++)
        {
            long position = start + (long)i * Segment;
            Assert.Equal(BlockStatus.Ok, rig.Driver.ReadBytes(position / 512, (int)(position % 512), buffer, 4, Segment));
            Assert.True(Bytes(rig, position, Segment).AsSpan().SequenceEqual(buffer.AsSpan(4, Segment)), "segment " + i);
        }
        return (stats.SpiBytes - bytes0, stats.SpiTransactions - transactions0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(32)]
    public void ReadBytes_ConsecutiveSegments_OneTransferEachAndEveryBlockClockedOnce(int gap)
    {
        var rig = SdRig.Create(blocks: 8192, configureCard: c => c.ReadBlockGapBytes = gap);
        rig.Recorder.Recording = false;
        const int segments = 2000;
        long commands = rig.Card.CommandsReceived;
        var (bytes, transactions) = Stream(rig, 300, segments);
        double perPayload = (double)bytes / (segments * Segment);
        double perSegment = (double)transactions / segments;
        output.WriteLine($"gap {gap}: {perPayload:F4} SPI bytes per payload byte, {perSegment:F3} transactions per segment");
        // Each block: gap + token + 512 + CRC, once; the one CMD18 is amortised.
        Assert.InRange(perPayload, (515.0 + gap) / 512, (515.0 + gap) / 512 + 0.001);
        Assert.InRange(perSegment, 1.0, 1.01);
        Assert.True(rig.Driver.IsStreaming);
        Assert.Equal(commands + 1, rig.Card.CommandsReceived);      // one CMD18 for the whole stream
    }

    [Fact]
    public void ReadBytes_GapThatChangesFromBlockToBlock_StillClocksEveryBlockOnce()
    {
        var rig = SdRig.Create(blocks: 8192, configureCard: c => c.ReadGapForBlock = block => (int)(block * 7 % 23));
        rig.Recorder.Recording = false;
        const int segments = 1000;
        long before = rig.Card.BlocksRead;
        var (bytes, transactions) = Stream(rig, 0, segments);
        long blocks = rig.Card.BlocksRead - before;
        output.WriteLine($"varying gap 0..22: {(double)bytes / (segments * Segment):F4} SPI bytes per payload byte, {(double)transactions / segments:F3} transactions per segment");
        // No block left the card twice; the gaps are the card's, so bytes stay within the largest one.
        Assert.InRange(blocks, segments * Segment / 512, segments * Segment / 512 + 4);
        Assert.InRange((double)bytes / (segments * Segment), 515.0 / 512, 538.0 / 512);
        Assert.True((double)transactions / segments < 1.6);
    }

    [Theory]
    [InlineData(40)]     // longer than the sizing assumes: each segment needs a second transfer
    [InlineData(3000)]   // longer than a whole transfer: small polls until the token comes
    public void ReadBytes_GapLongerThanTheTransfer_ContinuesInTheNextTransfer(int longGap)
    {
        var rig = SdRig.Create(blocks: 8192, configureCard: c => c.ReadGapForBlock = block => block % 5 == 2 ? longGap : 1);
        rig.Recorder.Recording = false;
        var (bytes, transactions) = Stream(rig, 1000, 200);
        output.WriteLine($"gap {longGap} every 5th block: {(double)transactions / 200:F2} transactions per segment");
        Assert.Equal(0, rig.Driver.Statistics.Timeouts);
        Assert.Equal(0, rig.Driver.Statistics.Retries);
    }

    [Fact]
    public void ReadBytes_CrcErrorMidStream_RestartsAtTheFailedBlockAndDeliversTheRightBytes()
    {
        var rig = SdRig.Create(blocks: 8192);
        rig.Card.BlockSent = block => { if (block == 20) rig.Card.CorruptNextReadBlocks(1); };
        Stream(rig, 700, 30);
        Assert.Equal(1, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
        Assert.Equal(1, Cmd12Count(rig));
        Assert.Equal(2, Cmd18Count(rig));
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x52, 0, 0, 0, 21 }));
    }

    [Fact]
    public void ReadBytes_PersistentCrcError_ReturnsCrcErrorAndClosesTheStream()
    {
        var rig = SdRig.Create(blocks: 8192);
        rig.Card.BlockSent = block => { if (block == 4) rig.Card.CorruptNextReadBlocks(1000); };
        var buffer = new byte[Segment];
        BlockStatus status = BlockStatus.Ok;
        for (int i = 0; i < 5 && status == BlockStatus.Ok; i++) status = rig.Driver.ReadBytes(i * Segment / 512, i * Segment % 512, buffer, 0, Segment);
        Assert.Equal(BlockStatus.CrcError, status);
        Assert.False(rig.Driver.IsStreaming);
        Assert.Equal(3, rig.Driver.Statistics.Retries);
        Assert.True(rig.Recorder.Events.Last(e => e.Kind == SpiEventKind.ChipSelect).High);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadBytes_CardRemovedMidStream_ReturnsNoCardAfterTheReadTimeout(bool cardDetect)
    {
        var rig = SdRig.Create(blocks: 8192, cardDetect: cardDetect);
        Stream(rig, 0, 3);
        rig.Card.BlockSent = block => { if (block == 10) rig.Card.Remove(); };
        var buffer = new byte[Segment];
        long start = rig.Clock.NowMilliseconds;
        BlockStatus status = BlockStatus.Ok;
        for (int i = 3; i < 10 && status == BlockStatus.Ok; i++) status = rig.Driver.ReadBytes(i * Segment / 512, i * Segment % 512, buffer, 0, Segment);
        Assert.Equal(BlockStatus.NoCard, status);
        // Found by the 100 ms read access timeout (§4.6.2.1), then card detect or CMD13 says why.
        Assert.InRange(rig.Clock.NowMilliseconds - start, 100, 150);
        Assert.False(rig.Driver.IsStreaming);
        Assert.True(rig.Recorder.Events.Last(e => e.Kind == SpiEventKind.ChipSelect).High);
        Assert.Equal(BlockStatus.NoCard, rig.Driver.ReadBytes(0, 0, buffer, 0, 10));
    }

    [Fact]
    public void ReadBytes_AnotherPosition_StopsWithCmd12AndStartsAgainThere()
    {
        var rig = SdRig.Create(blocks: 8192);
        Stream(rig, 0, 4);
        Stream(rig, 100_000, 4);
        Assert.Equal(2, Cmd18Count(rig));
        Assert.Equal(1, Cmd12Count(rig));
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x52, 0, 0, 0, 100_000 / 512 }));
    }

    [Fact]
    public void ReadBytes_AfterAnotherReadOnTheCard_ContinuesWithoutClockingTheKeptBlockAgain()
    {
        var rig = SdRig.Create(blocks: 8192);
        Stream(rig, 0, 1);                                       // bytes 0..1459: blocks 0-2, block 2 partly used
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(4000, 1, new byte[512], 0)); // closes the stream (CMD12)
        Assert.False(rig.Driver.IsStreaming);
        long blocks = rig.Card.BlocksRead;
        Stream(rig, Segment, 1);                                 // bytes 1460..2919: rest of block 2, blocks 3-5
        Assert.Equal(3, rig.Card.BlocksRead - blocks);           // block 2 came from the driver's buffer
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x52, 0, 0, 0, 3 }));
    }

    [Fact]
    public void ReadBytes_AfterAWriteToTheBufferedBlock_ReadsTheNewBytes()
    {
        var rig = SdRig.Create(blocks: 8192);
        var buffer = new byte[100];
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadBytes(7, 10, buffer, 0, 100));
        var block = new byte[512];
        Array.Fill(block, (byte)0x5A);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(7, 1, block, 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadBytes(7, 10, buffer, 0, 100));
        Assert.All(buffer, b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void ReadBytes_NearTheEndOfTheCard_NeverAsksForBlocksPastIt()
    {
        var rig = SdRig.Create(blocks: 2048);
        var buffer = new byte[700];
        long position = 2048L * 512 - 700;
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadBytes(position / 512, (int)(position % 512), buffer, 0, 700));
        Assert.Equal(Bytes(rig, position, 700), buffer);
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.ReadBytes(2047, 400, buffer, 0, 200));
        Assert.Equal(0, rig.Driver.Statistics.Timeouts);
    }

    [Fact]
    public void ReadBytes_WhileAnExplicitStreamIsOpen_IsNotReady()
    {
        var rig = SdRig.Create();
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        Assert.Equal(BlockStatus.NotReady, rig.Driver.ReadBytes(0, 0, new byte[10], 0, 10));
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadBytes(0, 0, new byte[10], 0, 10));
    }

    [Fact]
    public void ReadBytes_SteadyState_AllocatesNothing()
    {
        var rig = SdRig.Create(blocks: 8192);
        rig.Recorder.Recording = false;
        var buffer = new byte[Segment];
        var driver = rig.Driver;
        int Workload(long from)
        {
            int failures = 0;
            for (int i = 0; i < 500; i++)
            {
                long position = from + (long)i * Segment;
                if (driver.ReadBytes(position / 512, (int)(position % 512), buffer, 0, Segment) != BlockStatus.Ok) failures++;
                if (i % 50 == 0 && driver.Read(8000, 1, buffer, 0) != BlockStatus.Ok) failures++;
            }
            return failures;
        }
        Assert.Equal(0, Workload(0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = Workload(1_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }
}

/// <summary>Two cards on one bus: a card's open stream is stopped (CMD12, CS high) before the other
/// card is selected, and picks up again afterwards without clocking its kept block twice.</summary>
[Collection(VirtualBoard.VirtualBoardCollection.Name)]
public class SdCardSharedBusTests
{
    static byte[] Image(int seed)
    {
        var image = new byte[4096 * 512];
        new Random(seed).NextBytes(image);
        return image;
    }

    [Fact]
    public void OtherCardOnTheBus_StopsTheOpenStreamFirst()
    {
        var bus = new SdBus();
        byte[] diskImage = Image(1), cdImage = Image(2);
        var diskModel = new SdCardModel(diskImage);
        var cdModel = new SdCardModel(cdImage);
        var diskSocket = bus.AddSocket("disk", diskModel);
        var cdSocket = bus.AddSocket("cd", cdModel);
        var owner = new SdBusOwner();
        var clock = new MonotonicClock();
        var disk = new SdCard(bus, diskSocket.ChipSelect, clock, diskSocket.CardDetect, true) { ClockControl = bus, SharedBus = owner };
        var cd = new SdCard(bus, cdSocket.ChipSelect, clock, cdSocket.CardDetect, true) { ClockControl = bus, SharedBus = owner };
        Assert.Equal(BlockStatus.Ok, disk.Initialize());
        Assert.Equal(BlockStatus.Ok, cd.Initialize());

        var buffer = new byte[1460];
        Assert.Equal(BlockStatus.Ok, disk.ReadBytes(0, 0, buffer, 0, 1460));
        Assert.True(disk.IsStreaming);
        Assert.True(diskSocket.Selected);
        Assert.True(owner.IsHeld);

        long diskCommands = diskModel.CommandsReceived;
        Assert.Equal(BlockStatus.Ok, cd.ReadBytes(10, 0, buffer, 0, 1460));
        Assert.Equal(cdImage.AsSpan(10 * 512, 1460).ToArray(), buffer);
        Assert.False(disk.IsStreaming);
        Assert.False(diskSocket.Selected);
        Assert.Equal(diskCommands + 1, diskModel.CommandsReceived);     // CMD12
        Assert.Equal(0, bus.ContentionTransfers);

        long diskBlocks = diskModel.BlocksRead;
        Assert.Equal(BlockStatus.Ok, disk.ReadBytes(1460 / 512, 1460 % 512, buffer, 0, 1460));
        Assert.Equal(diskImage.AsSpan(1460, 1460).ToArray(), buffer);
        // Blocks 2-5: the cards share one stream buffer, so the CD's read replaced the block 2 the
        // disk had kept decoded there, and the disk knows to read it again.
        Assert.Equal(4, diskModel.BlocksRead - diskBlocks);
        Assert.False(cd.IsStreaming);
        Assert.Equal(0, bus.ContentionTransfers);
    }
}
