using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>What the driver reports when the card or the line misbehaves: CRC errors and retries,
/// missing cards, removal mid-transfer, ranges, write protection, stuck busy.</summary>
public class SdCardFaultTests
{
    static byte[] Blocks(SdRig rig, long block, int count) => rig.Image.AsSpan((int)block * 512, count * 512).ToArray();

    [Fact]
    public void Read_CrcErrorOnce_RetriesAndReturnsTheRightData()
    {
        var rig = SdRig.Create();
        rig.Card.CorruptNextReadBlocks(1);
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(5, 1, buffer, 0));
        Assert.Equal(Blocks(rig, 5, 1), buffer);
        Assert.Equal(1, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
    }

    [Fact]
    public void MultiBlockRead_CrcErrorInTheMiddle_RestartsAtThatBlock()
    {
        var rig = SdRig.Create();
        rig.Card.BlockSent = block => { if (block == 3) rig.Card.CorruptNextReadBlocks(1); };
        var buffer = new byte[10 * 512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 10, buffer, 0));
        Assert.Equal(Blocks(rig, 0, 10), buffer);
        Assert.Equal(1, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
        // Two CMD18: the first run and the restart at block 4.
        Assert.Equal(2, rig.Recorder.Events.Count(e => e.Mosi.Length >= 6 && e.Mosi[0] == 0x52));
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x52, 0, 0, 0, 4 }));
    }

    [Fact]
    public void Read_PersistentCrcError_ReturnsCrcErrorAfterTheRetries()
    {
        var rig = SdRig.Create();
        rig.Card.CorruptNextReadBlocks(1000);
        var buffer = new byte[2 * 512];
        Assert.Equal(BlockStatus.CrcError, rig.Driver.Read(5, 1, buffer, 0));
        Assert.Equal(4, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(BlockStatus.CrcError, rig.Driver.Read(5, 2, buffer, 0));
        Assert.Equal(3 + 3, rig.Driver.Statistics.Retries);
        Assert.False(rig.Driver.IsStreaming);
        // The card is fine otherwise: the next read works once the line is.
        rig.Card.CorruptNextReadBlocks(0);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(5, 2, buffer, 0));
    }

    [Fact]
    public void Read_WithoutDataCrc_LetsACorruptedBlockThrough()
    {
        // The trade-off of DataCrc = false: no per-byte CRC loop, no detection of line errors.
        var rig = SdRig.Create(configureDriver: d => d.DataCrc = false);
        rig.Card.CorruptNextReadBlocks(1);
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(5, 1, buffer, 0));
        Assert.NotEqual(Blocks(rig, 5, 1), buffer);
        Assert.Equal(0, rig.Driver.Statistics.CrcErrors);
    }

    [Fact]
    public void Write_CardRejectsOneBlockForCrc_SendsItAgain()
    {
        var rig = SdRig.Create();
        var data = SdRig.RandomImage(8, seed: 12);
        rig.Card.BeforeCommit = c => { if (c.Block == 102) rig.Card.RejectNextWriteBlocks(1); return false; };
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(100, 8, data, 0));
        Assert.Equal(data, Blocks(rig, 100, 8));
        Assert.Equal(1, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
        Assert.Equal(0, rig.Card.BusyViolations);

        rig.Card.RejectNextWriteBlocks(1);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(3, 1, data, 0));
        Assert.Equal(Blocks(rig, 100, 1), Blocks(rig, 3, 1));
    }

    [Fact]
    public void Write_CardRejectsEveryBlock_ReturnsCrcError()
    {
        var rig = SdRig.Create();
        var before = Blocks(rig, 10, 4);
        rig.Card.RejectNextWriteBlocks(1000);
        Assert.Equal(BlockStatus.CrcError, rig.Driver.Write(10, 4, SdRig.RandomImage(4, 3), 0));
        Assert.Equal(before, Blocks(rig, 10, 4));
    }

    [Fact]
    public void Read_CardDetectSaysRemoved_ReturnsNoCardWithoutTraffic()
    {
        var rig = SdRig.Create();
        rig.Card.Remove();
        long before = rig.Driver.Statistics.SpiBytes;
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, new byte[512], 0));
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Write(0, 1, new byte[512], 0));
        Assert.Equal(before, rig.Driver.Statistics.SpiBytes);
        Assert.Equal(1, rig.Driver.Statistics.CardLost);
    }

    [Fact]
    public void Read_CardGoneWithoutCardDetect_ReturnsNoCardUntilInitialized()
    {
        var rig = SdRig.Create(cardDetect: false);
        rig.Card.Remove();
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, new byte[512], 0));
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, new byte[512], 0));
        rig.Card.Insert();
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, new byte[512], 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 1, new byte[512], 0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MultiBlockRead_CardRemovedMidway_ReturnsNoCardAfterTheReadTimeout(bool cardDetect)
    {
        var rig = SdRig.Create(cardDetect: cardDetect);
        rig.Card.BlockSent = block => { if (block == 3) rig.Card.Remove(); };
        var buffer = new byte[16 * 512];
        long start = rig.Clock.NowMilliseconds;
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 16, buffer, 0));
        long elapsed = rig.Clock.NowMilliseconds - start;
        // The token wait gives up after the 100 ms read timeout (§4.6.2.1), not earlier, not much later.
        Assert.InRange(elapsed, 100, 150);
        Assert.Equal(Blocks(rig, 0, 4), buffer.AsSpan(0, 4 * 512).ToArray());
        Assert.False(rig.Driver.IsStreaming);
        Assert.Equal(SpiEventKind.ChipSelect, rig.Recorder.Events.Last(e => e.Kind != SpiEventKind.Transfer).Kind);
        Assert.True(rig.Recorder.Events.Last(e => e.Kind == SpiEventKind.ChipSelect).High);
        Assert.Equal(1, rig.Driver.Statistics.Timeouts);
    }

    [Fact]
    public void Stream_CardRemovedMidway_ReadNextReturnsNoCard()
    {
        var rig = SdRig.Create();
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.ReadNext(buffer, 0));
        rig.Card.Remove();
        // Blocks decoded before the removal (the engine reads ahead) are still delivered, then NoCard.
        var statuses = new List<BlockStatus>();
        for (int i = 0; i < 4 && (statuses.Count == 0 || statuses[^1] == BlockStatus.Ok); i++)
        {
            statuses.Add(rig.Driver.ReadNext(buffer, 0));
            if (statuses[^1] == BlockStatus.Ok) Assert.Equal(Blocks(rig, i + 1, 1), buffer);
        }
        Assert.Equal(BlockStatus.NoCard, statuses[^1]);
        Assert.True(statuses.Count <= 3);
        Assert.False(rig.Driver.IsStreaming);
        Assert.Equal(BlockStatus.Ok, rig.Driver.EndRead());
        Assert.Equal(BlockStatus.NoCard, rig.Driver.BeginRead(0));
    }

    [Fact]
    public void Stream_CardDetectSaysRemovedWhileOpen_ReleasesChipSelect()
    {
        var rig = SdRig.Create();
        Assert.Equal(BlockStatus.Ok, rig.Driver.BeginRead(0));
        rig.Card.Remove();
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, new byte[512], 0));
        Assert.False(rig.Driver.IsStreaming);
        Assert.True(rig.Recorder.Events.Last(e => e.Kind == SpiEventKind.ChipSelect).High);
    }

    [Fact]
    public void Ranges_BeyondTheCard_ReturnOutOfRangeWithoutTraffic()
    {
        var rig = SdRig.Create(blocks: 2048);
        long before = rig.Driver.Statistics.SpiBytes;
        var buffer = new byte[2 * 512];
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.Read(2047, 2, buffer, 0));
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.Read(2048, 1, buffer, 0));
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.Read(-1, 1, buffer, 0));
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.Write(2047, 2, buffer, 0));
        Assert.Equal(BlockStatus.OutOfRange, rig.Driver.BeginRead(2048));
        Assert.Equal(before, rig.Driver.Statistics.SpiBytes);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(2046, 2, buffer, 0));
        Assert.Equal(Blocks(rig, 2046, 2), buffer);
    }

    [Fact]
    public void Write_CardWriteProtectedFromTheStart_ReturnsReadOnlyAndReadsWork()
    {
        var rig = SdRig.Create(configureCard: c => c.WriteProtected = true);
        Assert.True(rig.Driver.IsReadOnly);
        Assert.True(rig.Driver.Info.WriteProtected);
        long before = rig.Driver.Statistics.SpiBytes;
        Assert.Equal(BlockStatus.ReadOnly, rig.Driver.Write(0, 1, new byte[512], 0));
        Assert.Equal(before, rig.Driver.Statistics.SpiBytes);
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 1, buffer, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Write_CardRefusesWithWriteProtectViolation_ReturnsReadOnly(int count)
    {
        var rig = SdRig.Create();
        rig.Card.WriteProtected = true;
        var before = Blocks(rig, 50, count);
        Assert.Equal(BlockStatus.ReadOnly, rig.Driver.Write(50, count, SdRig.RandomImage(count, 9), 0));
        Assert.Equal(before, Blocks(rig, 50, count));
        // The driver asked why with CMD13 (§7.3.3.1).
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x4D, 0, 0, 0, 0, 0x0D }));
        rig.Card.WriteProtected = false;
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(50, count, SdRig.RandomImage(count, 9), 0));
    }

    [Fact]
    public void Write_CardStuckBusy_TimesOutAfter250Ms()
    {
        var rig = SdRig.Create(configureCard: c => c.WriteBusyBytes = int.MaxValue);
        long start = rig.Clock.NowMilliseconds;
        Assert.Equal(BlockStatus.Timeout, rig.Driver.Write(0, 1, new byte[512], 0));
        Assert.InRange(rig.Clock.NowMilliseconds - start, 250, 300);
    }

    [Fact]
    public void Read_AfterAWriteBusyTimeout_WaitsForTheCardToFinish()
    {
        // 2,000,000 busy bytes at 25 MHz = 640 ms: longer than the 250 ms write timeout.
        var rig = SdRig.Create(configureCard: c => c.WriteBusyBytes = 2_000_000);
        Assert.Equal(BlockStatus.Timeout, rig.Driver.Write(0, 1, new byte[512], 0));
        rig.Card.WriteBusyBytes = 8;
        var buffer = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(1, 1, buffer, 0));
        Assert.Equal(Blocks(rig, 1, 1), buffer);
        Assert.InRange(rig.Clock.NowMilliseconds, 640, 700);
        Assert.Equal(0, rig.Card.BusyViolations);
    }

    [Fact]
    public void Initialize_CsdCorruptedOnTheLine_IsReadAgain()
    {
        var rig = SdRig.Create(initialize: false);
        // The CSD is the first data block the card sends.
        rig.Card.CorruptNextReadBlocks(1);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        Assert.Equal(1, rig.Driver.Statistics.CrcErrors);
        Assert.Equal(1, rig.Driver.Statistics.Retries);
        Assert.Equal(rig.Card.Csd, rig.Driver.Info.Csd);
    }

    [Fact]
    public void Write_SdxcCardStuckBusy_TimesOutAfter500Ms()
    {
        var rig = SdRig.Create(image: SdImage.Sparse(64L << 30), configureCard: c => c.WriteBusyBytes = int.MaxValue);
        long start = rig.Clock.NowMilliseconds;
        Assert.Equal(BlockStatus.Timeout, rig.Driver.Write(0, 1, new byte[512], 0));
        Assert.InRange(rig.Clock.NowMilliseconds - start, 500, 550);
    }

    [Fact]
    public void SlowCard_LongAccessAndBusyTimes_StillWorks()
    {
        // NAC of 5000 bytes and 3000 busy bytes: several milliseconds at 25 MHz, past the spin phase.
        var rig = SdRig.Create(configureCard: c =>
        {
            c.ReadAccessDelayBytes = 5000;
            c.WriteBusyBytes = 3000;
        });
        var data = SdRig.RandomImage(3, 21);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(9, 3, data, 0));
        var back = new byte[data.Length];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(9, 3, back, 0));
        Assert.Equal(data, back);
        Assert.Equal(0, rig.Driver.Statistics.Timeouts);
    }
}
