namespace Atcp.Firmware.Tests.Nic;

/// <summary>Link state from PHYCFGR and what happens to frames while the cable is out.</summary>
public class W5500LinkTests
{
    [Fact]
    public void RefreshLinkStatus_ReportsSpeedAndDuplex()
    {
        var bench = new Bench().Up();
        Assert.True(bench.Nic.LinkUp);
        Assert.Equal(100, bench.Nic.LinkSpeedMbps);
        Assert.True(bench.Nic.FullDuplex);

        bench.Chip.Link100Mbps = false;
        bench.Chip.LinkFullDuplex = false;
        Assert.True(bench.Nic.RefreshLinkStatus());
        Assert.Equal(10, bench.Nic.LinkSpeedMbps);
        Assert.False(bench.Nic.FullDuplex);
    }

    [Fact]
    public void LinkDown_NothingArrives_SentFramesAreLost_AndLinkUpRestoresTraffic()
    {
        var bench = new Bench().Up();
        bench.Chip.LinkUp = false;
        Assert.False(bench.Nic.RefreshLinkStatus());
        Assert.Equal(1, bench.Nic.Counters.LinkChanges);

        Assert.False(bench.Chip.Deliver(TestFrames.Make(60, 1)));
        Assert.Null(bench.ReceiveOne());
        Assert.True(bench.TransmitOne(TestFrames.Make(60, 1)));    // queued; the chip loses it
        Assert.Empty(bench.Wire);
        Assert.Equal(1, bench.Chip.Counters.TxLostLinkDown);

        bench.Chip.LinkUp = true;
        Assert.True(bench.Nic.RefreshLinkStatus());
        Assert.Equal(2, bench.Nic.Counters.LinkChanges);
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 2)));
        Assert.Equal(TestFrames.Make(60, 2), bench.ReceiveOne());
        Assert.True(bench.TransmitOne(TestFrames.Make(60, 3)));
        Assert.Equal(TestFrames.Make(60, 3), Assert.Single(bench.Wire));
    }
}
