using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>The README's sample runs against the card model.</summary>
public class SdCardSampleTests
{
    [Fact]
    public void Sample_OnTheModel_PrintsTheCardAndSucceeds()
    {
        var card = new SdCardModel(new byte[4096 * 512]);
        string text = SdCardSample.Run(card, card.ChipSelect, card.CardDetect, card, new SimulatedClock());
        Assert.StartsWith("SD: SDHC 2 MiB (4096 blocks), CSD v2, manufacturer 0x42 'AT' product 'EMUSD' rev 1.0", text);
        Assert.Contains("read bytes 1000..2999: ok", text);
        Assert.Contains("segments of bytes 1000..2999: ok", text);
        Assert.Contains("rewrite block 2: ok", text);
        Assert.Contains("CRC errors 0", text);
    }

    [Fact]
    public void Sample_WithoutCard_SaysSo()
    {
        var card = new SdCardModel(new byte[4096 * 512]);
        card.Remove();
        Assert.Equal("SD: no card (inserted? powered?)", SdCardSample.Run(card, card.ChipSelect, card.CardDetect, card, new SimulatedClock()));
    }
}
