using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>A driver wired to the card model through a traffic recorder, on a virtual clock.</summary>
sealed class SdRig
{
    public required SdCardModel Card { get; init; }
    public required SimulatedClock Clock { get; init; }
    public required SpiTrafficRecorder Recorder { get; init; }
    public required SdCard Driver { get; init; }
    public required byte[] Image { get; init; }

    /// <summary>Random image contents, the same for a given seed.</summary>
    public static byte[] RandomImage(int blocks, int seed = 1)
    {
        var image = new byte[blocks * 512];
        new Random(seed).NextBytes(image);
        return image;
    }

    public static SdRig Create(
        SdCardKind kind = SdCardKind.HighCapacity,
        int blocks = 4096,
        bool cardDetect = true,
        Action<SdCardModel>? configureCard = null,
        Action<SdCard>? configureDriver = null,
        bool initialize = true,
        SdImage? image = null)
    {
        byte[] bytes = image == null ? RandomImage(blocks) : [];
        var card = new SdCardModel(image ?? SdImage.FromBytes(bytes), kind);
        var clock = new SimulatedClock();
        card.Clock = clock;
        configureCard?.Invoke(card);
        var recorder = new SpiTrafficRecorder(card, card.ChipSelect, card);
        var driver = cardDetect
            ? new SdCard(recorder, recorder.ChipSelect, clock, card.CardDetect, true)
            : new SdCard(recorder, recorder.ChipSelect, clock);
        driver.ClockControl = recorder;
        configureDriver?.Invoke(driver);
        var rig = new SdRig { Card = card, Clock = clock, Recorder = recorder, Driver = driver, Image = bytes };
        if (initialize) Assert.Equal(BlockStatus.Ok, driver.Initialize());
        return rig;
    }
}
