using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The card model on its own, driven byte by byte as a host would (SD Physical Layer
/// Simplified Specification v4.10, chapter 7).</summary>
public class SdCardModelTests
{
    static byte[] Clock(SdCardModel card, params byte[] mosi)
    {
        var miso = new byte[mosi.Length];
        card.TransferFullDuplex(mosi, 0, miso, 0, mosi.Length);
        return miso;
    }

    static byte[] Ones(int count) => Enumerable.Repeat((byte)0xFF, count).ToArray();

    static byte[] Frame(int index, uint argument, bool goodCrc = true)
    {
        var f = new byte[] { (byte)(0x40 | index), (byte)(argument >> 24), (byte)(argument >> 16), (byte)(argument >> 8), (byte)argument, 0 };
        f[5] = (byte)((SdCrc.Crc7(f, 0, 5) << 1) | 1);
        if (!goodCrc) f[5] ^= 0x02;
        return f;
    }

    // Sends a command and returns the bytes after it (NCR window and response).
    static byte[] Command(SdCardModel card, int index, uint argument, int after = 12, bool goodCrc = true) =>
        Clock(card, [.. Frame(index, argument, goodCrc), .. Ones(after)])[6..];

    static int R1(byte[] afterCommand) => afterCommand.First(b => (b & 0x80) == 0);

    static SdCardModel PoweredUp(SdCardKind kind = SdCardKind.HighCapacity, int blocks = 2048)
    {
        var card = new SdCardModel(new byte[blocks * 512], kind);
        Clock(card, Ones(10));
        card.ChipSelect.Write(false);
        return card;
    }

    static SdCardModel Initialized(SdCardKind kind = SdCardKind.HighCapacity, int blocks = 2048)
    {
        var card = PoweredUp(kind, blocks);
        Assert.Equal(0x01, R1(Command(card, 0, 0)));
        if (kind != SdCardKind.SdscVersion1) Command(card, 8, 0x1AA);
        for (int i = 0; i < card.InitPollsUntilReady; i++)
        {
            Command(card, 55, 0);
            Command(card, 41, 0x40000000);
        }
        Assert.True(card.IsInitialized);
        return card;
    }

    [Fact]
    public void Cmd0_WithoutSeventyFourClocksAfterPowerUp_IsIgnored()
    {
        var card = new SdCardModel(new byte[2048 * 512]);
        Clock(card, Ones(9));
        card.ChipSelect.Write(false);
        Assert.Equal(Ones(12), Command(card, 0, 0));
        card.ChipSelect.Write(true);
        Clock(card, Ones(1));
        card.ChipSelect.Write(false);
        Assert.Equal(0x01, R1(Command(card, 0, 0)));
    }

    [Fact]
    public void Cmd0_WithBadCrc_IsIgnoredInSdMode()
    {
        var card = PoweredUp();
        Assert.Equal(Ones(12), Command(card, 0, 0, goodCrc: false));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    public void Responses_ComeAfterTheConfiguredNcr(int ncr)
    {
        var card = PoweredUp();
        card.ResponseDelayBytes = ncr;
        var after = Command(card, 0, 0);
        Assert.Equal(Ones(ncr), after[..ncr]);
        Assert.Equal(0x01, after[ncr]);
    }

    [Fact]
    public void ResponseDelay_OutsideOneToEight_IsRejected()
    {
        var card = PoweredUp();
        Assert.Throws<ArgumentOutOfRangeException>(() => card.ResponseDelayBytes = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => card.ResponseDelayBytes = 9);
    }

    [Fact]
    public void Cmd8_WithBadCrc_AlwaysReturnsCommandCrcError()
    {
        var card = PoweredUp();
        Command(card, 0, 0);
        Assert.Equal(0x01 | 0x08, R1(Command(card, 8, 0x1AA, goodCrc: false)));
    }

    [Fact]
    public void OtherCommands_WithBadCrc_AreCheckedOnlyAfterCmd59()
    {
        var card = PoweredUp();
        Command(card, 0, 0);
        Assert.Equal(0x01, R1(Command(card, 58, 0, goodCrc: false)));
        Command(card, 59, 1);
        Assert.Equal(0x09, R1(Command(card, 58, 0, goodCrc: false)));
    }

    [Fact]
    public void Version1Card_AnswersCmd8AsIllegal()
    {
        var card = PoweredUp(SdCardKind.SdscVersion1);
        Command(card, 0, 0);
        Assert.Equal(0x05, R1(Command(card, 8, 0x1AA)));
    }

    [Fact]
    public void Cmd8_EchoesVoltageAndCheckPattern()
    {
        var card = PoweredUp();
        Command(card, 0, 0);
        var after = Command(card, 8, 0x1AA);
        Assert.Equal(new byte[] { 0x01, 0x00, 0x00, 0x01, 0xAA }, after[1..6]);
    }

    [Fact]
    public void HighCapacityCard_WithoutHcs_NeverLeavesIdle()
    {
        var card = PoweredUp();
        Command(card, 0, 0);
        Command(card, 8, 0x1AA);
        for (int i = 0; i < 50; i++)
        {
            Command(card, 55, 0);
            Assert.Equal(0x01, R1(Command(card, 41, 0)));
        }
        Assert.False(card.IsInitialized);
    }

    [Fact]
    public void Acmd41_LeavesIdleAfterTheConfiguredPolls()
    {
        var card = PoweredUp();
        card.InitPollsUntilReady = 4;
        Command(card, 0, 0);
        Command(card, 8, 0x1AA);
        var r1s = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            Command(card, 55, 0);
            r1s.Add(R1(Command(card, 41, 0x40000000)));
        }
        Assert.Equal(new[] { 1, 1, 1, 0, 0 }, r1s);
    }

    [Fact]
    public void DataCommands_BeforeInitialization_AreIllegal()
    {
        var card = PoweredUp();
        Command(card, 0, 0);
        Assert.Equal(0x05, R1(Command(card, 17, 0)));
        Assert.Equal(0x05, R1(Command(card, 9, 0)));
    }

    [Theory]
    [InlineData(SdCardKind.HighCapacity, 0x00FF8000u | 0xC0000000u)]
    [InlineData(SdCardKind.Sdsc, 0x00FF8000u | 0x80000000u)]
    public void Cmd58_ReportsPowerUpStatusAndCcs(SdCardKind kind, uint ocr)
    {
        var card = Initialized(kind);
        var after = Command(card, 58, 0);
        Assert.Equal(ocr, (uint)(after[2] << 24 | after[3] << 16 | after[4] << 8 | after[5]));
    }

    [Fact]
    public void Read_BeyondCapacity_ReturnsParameterError()
    {
        var card = Initialized(blocks: 2048);
        Assert.Equal(0x40, R1(Command(card, 17, 2048)));
        Assert.Equal(0x00, R1(Command(card, 17, 2047, after: 530)));
    }

    [Fact]
    public void StandardCapacity_MisalignedByteAddress_ReturnsAddressError()
    {
        var card = Initialized(SdCardKind.Sdsc);
        Assert.Equal(0x20, R1(Command(card, 17, 100)));
    }

    [Fact]
    public void MultipleRead_RunningPastTheEnd_SendsOutOfRangeErrorToken()
    {
        var card = Initialized(blocks: 2048);
        var after = Command(card, 18, 2047, after: 2 + 1 + 1 + 514 + 1 + 1);
        // R1, NAC, token, data, CRC, then NAC and the data error token 0000 1000 (§7.3.3.3).
        Assert.Equal(0x00, after[1]);
        Assert.Equal(0xFE, after[3]);
        Assert.Equal(0x08, after[^1]);
        var status = Command(card, 12, 0);
        Assert.Contains((byte)0x00, status);
    }

    [Fact]
    public void Write_WithBadDataCrcWhileCrcIsOn_IsRejectedAndNotCommitted()
    {
        var card = Initialized();
        Command(card, 59, 1);
        Command(card, 24, 5);
        var data = Enumerable.Repeat((byte)0x3C, 512).ToArray();
        var reply = Clock(card, [0xFF, 0xFE, .. data, 0x12, 0x34, 0xFF]);
        Assert.Equal(0x0B, reply[^1] & 0x1F);
        Assert.Equal(new byte[512], card.ReadImageBlocks(5, 1));
        Assert.Equal(0, card.BlocksWritten);
    }

    [Fact]
    public void Commands_WhileBusy_AreIgnoredAndCounted()
    {
        var card = Initialized();
        card.WriteBusyBytes = 100;
        Command(card, 24, 5);
        var reply = Clock(card, [0xFF, 0xFE, .. new byte[512], 0xFF, 0xFF, 0xFF]);
        Assert.Equal(0x05, reply[^1] & 0x1F);
        Assert.All(Command(card, 13, 0), b => Assert.Equal(0x00, b));
        Assert.Equal(1, card.BusyViolations);
    }

    [Fact]
    public void PowerCut_MakesTheCardSilentUntilPowerOnAndInitialization()
    {
        var card = Initialized();
        card.CutPower();
        Assert.Equal(Ones(12), Command(card, 13, 0));
        card.PowerOn();
        Assert.False(card.IsInitialized);
        card.ChipSelect.Write(true);
        Clock(card, Ones(10));
        card.ChipSelect.Write(false);
        Assert.Equal(0x01, R1(Command(card, 0, 0)));
    }

    [Fact]
    public void CardDetect_ReadsLowWhileInserted()
    {
        var card = PoweredUp();
        Assert.False(card.CardDetect.Read());
        card.Remove();
        Assert.True(card.CardDetect.Read());
        Assert.Equal(Ones(12), Command(card, 0, 0));
        card.CardDetectActiveLow = false;
        Assert.False(card.CardDetect.Read());
    }

    [Theory]
    [InlineData(4096, 4096)]
    [InlineData(1001, 1000)]
    [InlineData(40000, 40000)]
    [InlineData(40001, 40000)]
    public void StandardCapacityCsd_DescribesTheLargestCapacityThatFitsTheImage(int imageBlocks, long reported)
    {
        var card = new SdCardModel(new byte[imageBlocks * 512], SdCardKind.Sdsc);
        Assert.Equal(reported, card.CapacityBlocks);
        Assert.Equal(reported * 512, SdRegisters.CapacityBytes(card.Csd, 0));
        Assert.True(SdRegisters.HasValidCrc(card.Csd, 0));
    }

    [Fact]
    public void HighCapacityCsd_CountsWholeHalfMegabytes()
    {
        var card = new SdCardModel(new byte[(3 * 1024 + 100) * 512]);
        Assert.Equal(3 * 1024, card.CapacityBlocks);
        Assert.Equal(1, SdRegisters.CsdStructure(card.Csd, 0));
        Assert.Equal(3L * 1024 * 512, SdRegisters.CapacityBytes(card.Csd, 0));
    }

    [Fact]
    public void VirtualClock_AdvancesByTheTimeOfEachByte()
    {
        var card = PoweredUp();
        var clock = new SimulatedClock();
        card.Clock = clock;
        Clock(card, Ones(1000));
        // 1000 bytes x 8 clocks at 400 kHz = 20 ms.
        Assert.Equal(20, clock.NowMilliseconds);
        card.SetClockFrequency(25_000_000);
        Clock(card, Ones(1000));
        Assert.Equal(20_000_000 + 320_000, clock.NowNanoseconds);
    }
}
