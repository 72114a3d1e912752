namespace Atcp.Firmware.Tests.Nic;

/// <summary>Frames from the caller through the chip's TX buffer onto the wire.</summary>
public class W5500TransmitTests
{
    [Fact]
    public void Transmit_TwoFrames_PutDatasheetFramesOnTheBus()
    {
        var bench = new Bench(record: true).Up();
        bench.Recorder!.Log.Clear();
        var first = TestFrames.Make(60, 1);
        var second = TestFrames.Make(60, 2);
        Assert.True(bench.TransmitOne(first));
        Assert.True(bench.TransmitOne(second));

        byte[][] expected =
        [
            SpiFrame.Of(0x0000, 0x14, first),            // S0 TX buffer at Sn_TX_WR = 0
            SpiFrame.Of(0x0024, 0x0C, 0x00, 60),         // S0_TX_WR = 60
            SpiFrame.Of(0x0001, 0x0C, 0x20, 0x18),       // S0_CR = SEND, S0_IR = SEND_OK|TIMEOUT (clear)
            SpiFrame.Of(0x003C, 0x14, second),           // next frame at 60, while the first goes out
            SpiFrame.Of(0x0001, 0x08, 0x00, 0x00),       // read S0_CR, S0_IR: previous SEND done?
            SpiFrame.Of(0x0024, 0x0C, 0x00, 120),        // S0_TX_WR = 120
            SpiFrame.Of(0x0001, 0x0C, 0x20, 0x18),       // SEND
        ];
        Assert.Equal(expected.Select(Convert.ToHexString), bench.Recorder.Log.Select(t => t.ToString()));
        Assert.Equal(new byte[] { 1, 2, 3, 0x00, 0x10 }, bench.Recorder.Log[4].Miso); // CR clear, SEND_OK
        Assert.Equal([first, second], bench.Wire);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(333)]
    [InlineData(1000)]
    [InlineData(1514)]
    public void Transmit_FrameOfAnySize_GoesOutWhole(int length)
    {
        var bench = new Bench().Up();
        var frame = TestFrames.Make(length, length);
        Assert.True(bench.TransmitOne(frame));
        Assert.Equal(frame, Assert.Single(bench.Wire));
        Assert.Equal(length, bench.Nic.Counters.BytesSent);
    }

    [Fact]
    public void Transmit_ManyFrames_WrapTheTxBufferAndPointers()
    {
        var bench = new Bench(pointerAfterOpen: 0xFFF0).Up();
        var random = new Random(99);
        var sent = new List<byte[]>();
        for (int i = 0; i < 2000; i++)
        {
            var frame = TestFrames.Make(random.Next(60, 1515), i);
            Assert.True(bench.TransmitOne(frame));
            sent.Add(frame);
        }
        Assert.Equal(sent.Count, bench.Wire.Count);
        for (int i = 0; i < sent.Count; i++) Assert.True(sent[i].AsSpan().SequenceEqual(bench.Wire[i]), "frame " + i);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Fact]
    public void Transmit_WhilePreviousSendInProgress_ReturnsFalseThenRecovers()
    {
        var bench = new Bench().Up();
        bench.Chip.TransmitHeld = true;                       // the MAC cannot get the frame out yet
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 1)));
        Assert.False(bench.TransmitOne(TestFrames.Make(100, 2)));
        Assert.False(bench.TransmitOne(TestFrames.Make(100, 2)));
        Assert.Equal(2, bench.Nic.Counters.TxBusy);
        Assert.Empty(bench.Wire);

        bench.Chip.TransmitHeld = false;                      // first frame leaves
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 2)));
        Assert.Equal([TestFrames.Make(100, 1), TestFrames.Make(100, 2)], bench.Wire);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Fact]
    public void Transmit_SendThatNeverCompletes_ReopensSocketAfterStallLimit()
    {
        var bench = new Bench().Up();
        bench.Chip.TransmitHeld = true;
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 1)));
        bench.Clock.Advance(99);
        Assert.False(bench.TransmitOne(TestFrames.Make(100, 2)));
        Assert.Equal(0, bench.Nic.Counters.TxStalls);
        bench.Clock.Advance(1);
        Assert.False(bench.TransmitOne(TestFrames.Make(100, 2)));
        Assert.Equal(1, bench.Nic.Counters.TxStalls);
        Assert.Equal(1, bench.Nic.Counters.SocketReopens);

        bench.Chip.TransmitHeld = false;
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 3)));
        Assert.Equal(TestFrames.Make(100, 3), Assert.Single(bench.Wire)); // frame 1 died with the socket
    }

    [Fact]
    public void Transmit_FrameOutsideEthernetLimits_IsRejectedAsCallerError()
    {
        var bench = new Bench().Up();
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Nic.Transmit(new byte[2000], 3, 1515));
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Nic.Transmit(new byte[20], 3, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => bench.Nic.Transmit(new byte[100], 2, 60)); // no headroom
    }

    [Fact]
    public void Transmit_UsesOnlyHeadroomInFrontOfFrame()
    {
        var bench = new Bench().Up();
        var buffer = Enumerable.Repeat((byte)0xEE, 10 + 60 + 10).ToArray();
        TestFrames.Fill(buffer, 10, 60, 1, TestFrames.PeerMac, TestFrames.BoardMac);
        Assert.True(bench.Nic.Transmit(buffer, 10, 60));
        Assert.All(buffer[..7], b => Assert.Equal(0xEE, b));
        Assert.All(buffer[70..], b => Assert.Equal(0xEE, b));
    }
}
