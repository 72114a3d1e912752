using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>Initialize: identification of each kind of card, register contents, clocks, and the
/// ways it fails.</summary>
public class SdCardInitializationTests
{
    [Fact]
    public void Initialize_HighCapacityCard_IsSdhcWithBlockAddressing()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, blocks: 8192);
        var info = rig.Driver.Info;
        Assert.True(rig.Driver.IsInitialized);
        Assert.Equal(SdCardType.Sdhc, info.Type);
        Assert.True(info.Version2);
        Assert.True(info.BlockAddressing);
        Assert.Equal(2, info.CsdVersion);
        Assert.Equal(8192, rig.Driver.BlockCount);
        Assert.Equal(8192L * 512, info.CapacityBytes);
        Assert.Equal(512, rig.Driver.BlockSize);
        Assert.False(rig.Driver.IsReadOnly);
    }

    [Fact]
    public void Initialize_StandardCapacityVersion2Card_UsesByteAddressingAndSetsBlockLength()
    {
        var rig = SdRig.Create(SdCardKind.Sdsc, blocks: 4096);
        var info = rig.Driver.Info;
        Assert.Equal(SdCardType.Sdsc, info.Type);
        Assert.True(info.Version2);
        Assert.False(info.BlockAddressing);
        Assert.Equal(1, info.CsdVersion);
        Assert.Equal(4096, rig.Driver.BlockCount);
        // CMD16 with 512 (§7.2.3), only for byte-addressed cards.
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x50, 0x00, 0x00, 0x02, 0x00, 0x15 }));
    }

    [Fact]
    public void Initialize_Version1Card_TreatsIllegalCmd8AsVersion1AndSendsAcmd41WithoutHcs()
    {
        var rig = SdRig.Create(SdCardKind.SdscVersion1, blocks: 2048);
        Assert.False(rig.Driver.Info.Version2);
        Assert.Equal(SdCardType.Sdsc, rig.Driver.Info.Type);
        Assert.Contains(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x69, 0, 0, 0, 0, 0xE5 }));
        Assert.DoesNotContain(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x69, 0x40 }));
    }

    [Fact]
    public void Initialize_SdscWithLargeReadBlockLength_ReportsFullCapacity()
    {
        // 1.5 GiB needs READ_BL_LEN 10 in a version 1.0 CSD (§5.3.2); a sparse image keeps it cheap.
        var rig = SdRig.Create(SdCardKind.Sdsc, image: SdImage.Sparse(3L << 29));
        Assert.Equal(3L << 29, rig.Driver.Info.CapacityBytes);
        Assert.Equal(10, (int)SdRegisters.GetBits(rig.Driver.Info.Csd, 0, 83, 80));
    }

    [Fact]
    public void Initialize_CardAbove32GB_IsSdxc()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, image: SdImage.Sparse(64L << 30));
        Assert.Equal(SdCardType.Sdxc, rig.Driver.Info.Type);
        Assert.Equal((64L << 30) / 512, rig.Driver.BlockCount);
        var block = new byte[512];
        block[0] = 0xA5;
        long last = rig.Driver.BlockCount - 1;
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(last, 1, block, 0));
        var back = new byte[512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(last, 1, back, 0));
        Assert.Equal(block, back);
    }

    [Fact]
    public void Initialize_ReadsCidFieldsForTheConsole()
    {
        var rig = SdRig.Create(configureCard: c =>
        {
            c.ManufacturerId = 0x03;
            c.OemId = "SD";
            c.ProductName = "SU08G";
            c.ProductRevision = 0x80;
            c.SerialNumber = 0x1A2B3C4D;
            c.ManufactureYear = 2015;
            c.ManufactureMonth = 6;
        });
        var info = rig.Driver.Info;
        Assert.Equal(0x03, info.ManufacturerId);
        Assert.Equal("SD", info.OemId);
        Assert.Equal("SU08G", info.ProductName);
        Assert.Equal(0x1A2B3C4Du, info.SerialNumber);
        Assert.Equal(2015, info.ManufactureYear);
        Assert.Equal(6, info.ManufactureMonth);
        Assert.True(SdRegisters.HasValidCrc(info.Cid, 0));
        Assert.True(SdRegisters.HasValidCrc(info.Csd, 0));
        Assert.Equal("SDHC 2 MiB (4096 blocks), CSD v2, manufacturer 0x03 'SD' product 'SU08G' rev 8.0, serial 0x1A2B3C4D, made 2015-06, max 25 MHz", info.Describe());
    }

    [Fact]
    public void Initialize_SetsIdentificationClockThenTransferClock()
    {
        var rig = SdRig.Create();
        Assert.Equal(new[] { 400_000, 25_000_000 }, rig.Card.ClockHistory);
    }

    [Fact]
    public void Initialize_WithLowerMaxClock_UsesIt()
    {
        var rig = SdRig.Create(configureDriver: d => d.MaxClockHz = 20_000_000);
        Assert.Equal(20_000_000, rig.Card.ClockHz);
    }

    [Fact]
    public void Initialize_WithDataCrc_TurnsOnCardCrcChecking()
    {
        Assert.True(SdRig.Create().Card.CrcChecking);
        Assert.False(SdRig.Create(configureDriver: d => d.DataCrc = false).Card.CrcChecking);
    }

    [Fact]
    public void Initialize_WithCardDetectReportingNoCard_ReturnsNoCardWithoutTraffic()
    {
        var rig = SdRig.Create(initialize: false);
        rig.Card.Remove();
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Initialize());
        Assert.Equal(0, rig.Driver.Statistics.SpiBytes);
        Assert.Equal(0, rig.Driver.BlockCount);
    }

    [Fact]
    public void Initialize_WithoutCardDetectAndNoCard_ReturnsNoCard()
    {
        var rig = SdRig.Create(cardDetect: false, initialize: false);
        rig.Card.Remove();
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Initialize());
        Assert.False(rig.Driver.IsInitialized);
    }

    [Fact]
    public void Initialize_CardNeverLeavingIdle_TimesOutAfterOneSecond()
    {
        var rig = SdRig.Create(initialize: false, configureCard: c => c.InitPollsUntilReady = int.MaxValue);
        Assert.Equal(BlockStatus.Timeout, rig.Driver.Initialize());
        Assert.InRange(rig.Clock.NowMilliseconds, 1000, 1100);
        Assert.False(rig.Driver.IsInitialized);
    }

    [Fact]
    public void Initialize_CardSlowToLeaveIdle_KeepsPolling()
    {
        var rig = SdRig.Create(initialize: false, configureCard: c => c.InitPollsUntilReady = 200);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        Assert.True(rig.Card.IsInitialized);
    }

    [Fact]
    public void Initialize_SlowestResponseDelay_StillFindsEveryResponse()
    {
        var rig = SdRig.Create(configureCard: c => c.ResponseDelayBytes = 8);
        var data = new byte[512 * 3];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(10, 3, data, 0));
        Assert.Equal(rig.Image.AsSpan(10 * 512, data.Length).ToArray(), data);
    }

    [Fact]
    public void Initialize_AfterPowerCycle_BringsTheCardBack()
    {
        var rig = SdRig.Create();
        rig.Card.CutPower();
        var data = new byte[512];
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, data, 0));
        Assert.Equal(BlockStatus.NoCard, rig.Driver.Read(0, 1, data, 0));
        rig.Card.PowerOn();
        Assert.Equal(BlockStatus.Ok, rig.Driver.Initialize());
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 1, data, 0));
    }

    [Fact]
    public void ReadAndWrite_BeforeInitialize_ReturnNotReady()
    {
        var rig = SdRig.Create(initialize: false);
        var data = new byte[512];
        Assert.Equal(BlockStatus.NotReady, rig.Driver.Read(0, 1, data, 0));
        Assert.Equal(BlockStatus.NotReady, rig.Driver.Write(0, 1, data, 0));
        Assert.Equal(BlockStatus.NotReady, rig.Driver.BeginRead(0));
    }
}
