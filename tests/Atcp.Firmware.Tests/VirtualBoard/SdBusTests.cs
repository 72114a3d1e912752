using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;
using Atcp.VirtualBoard.Hardware;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The board's shared SD bus: each card answers only while its own chip select is low,
/// clocks with every select high reach all cards, an empty socket reads as no card.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class SdBusTests
{
    static byte[] Image(byte fill)
    {
        var image = new byte[1024 * 1024];
        for (int i = 0; i < image.Length; i++) image[i] = (byte)(fill + i / 512);
        return image;
    }

    static SdCard Driver(SdBus bus, SdSocket socket) =>
        new(bus, socket.ChipSelect, new MonotonicClock(), socket.CardDetect, true) { ClockControl = bus };

    [Fact]
    public void TwoCards_OnOneBus_EachAnswersOnlyThroughItsOwnChipSelect()
    {
        var bus = new SdBus();
        var disk = bus.AddSocket("disk", new SdCardModel(Image(0x10)));
        var cd = bus.AddSocket("cd", new SdCardModel(Image(0x80)));
        SdCard diskDriver = Driver(bus, disk), cdDriver = Driver(bus, cd);

        Assert.Equal(BlockStatus.Ok, diskDriver.Initialize());
        Assert.Equal(BlockStatus.Ok, cdDriver.Initialize());
        var fromDisk = new byte[1024];
        var fromCd = new byte[1024];
        Assert.Equal(BlockStatus.Ok, diskDriver.Read(5, 2, fromDisk, 0));
        Assert.Equal(BlockStatus.Ok, cdDriver.Read(5, 2, fromCd, 0));

        Assert.Equal(Image(0x10).AsSpan(5 * 512, 1024).ToArray(), fromDisk);
        Assert.Equal(Image(0x80).AsSpan(5 * 512, 1024).ToArray(), fromCd);
        Assert.Equal(0, bus.ContentionTransfers);
        Assert.True(bus.ClockHz > 400_000, "the driver raised the clock after identification: " + bus.ClockHz);
        Assert.True(disk.Bytes > 1024 && cd.Bytes > 1024);
        Assert.True(bus.IdleTransfers >= 2, "each card got its power-up clocks with every select high");
    }

    [Fact]
    public void ClocksWithEverySelectHigh_ReachEveryCard()
    {
        var bus = new SdBus();
        var first = new SdCardModel(Image(1));
        var second = new SdCardModel(Image(2));
        bus.AddSocket("a", first);
        bus.AddSocket("b", second);
        var clocks = new byte[10];
        Array.Fill(clocks, (byte)0xFF);
        var miso = new byte[10];

        bus.TransferFullDuplex(clocks, 0, miso, 0, clocks.Length);

        Assert.Equal(10, first.SpiBytes);
        Assert.Equal(10, second.SpiBytes);
        Assert.All(miso, b => Assert.Equal(0xFF, b));
        Assert.Equal(1, bus.IdleTransfers);
    }

    [Fact]
    public void EmptySocket_ReadsNoCardAndItsSelectGetsAFloatingLine()
    {
        var bus = new SdBus();
        var card = new SdCardModel(Image(3));
        bus.AddSocket("disk", card);
        var empty = bus.AddSocket("cd", null);

        Assert.True(empty.CardDetect.Read(), "an empty socket's switch reads high (active low: no card)");
        Assert.Equal(BlockStatus.NoCard, Driver(bus, empty).Initialize());
        empty.ChipSelect.Write(false);
        var mosi = new byte[] { 0x40, 0, 0, 0, 0, 0x95, 0xFF, 0xFF };
        var miso = new byte[mosi.Length];
        bus.TransferFullDuplex(mosi, 0, miso, 0, mosi.Length);
        Assert.All(miso, b => Assert.Equal(0xFF, b));
        Assert.Equal(0, card.SpiBytes); // the other card was not selected: it saw nothing
    }

    [Fact]
    public void TwoSelectsLow_IsCountedAsContention()
    {
        var bus = new SdBus();
        var a = bus.AddSocket("a", new SdCardModel(Image(4)));
        var b = bus.AddSocket("b", new SdCardModel(Image(5)));
        a.ChipSelect.Write(false);
        b.ChipSelect.Write(false);
        var buffer = new byte[] { 0xFF, 0xFF, 0xFF };

        bus.TransferFullDuplex(buffer, 0, buffer, 0, buffer.Length);

        Assert.Equal(1, bus.ContentionTransfers);
        Assert.Equal(3, a.Bytes);
        Assert.Equal(3, b.Bytes);
    }

    [Fact]
    public void SetClockFrequency_IsRecordedAndPassedToTheCards()
    {
        var bus = new SdBus();
        var card = new SdCardModel(Image(6));
        bus.AddSocket("disk", card);

        bus.SetClockFrequency(20_000_000);

        Assert.Equal(20_000_000, bus.ClockHz);
        Assert.Equal(1, bus.ClockChanges);
        Assert.Equal(20_000_000, card.ClockHz);
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.SetClockFrequency(0));
    }
}
