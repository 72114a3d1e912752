using Atcp.Firmware.Nic;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>Bringing the chip up: the exact SPI frames in datasheet order, the reset pulse, and the
/// failures a person wiring a board would meet.</summary>
public class W5500InitTests
{
    static readonly byte[] Mac = TestFrames.BoardMac;

    [Fact]
    public void Initialize_WithoutResetPin_PutsDatasheetSequenceOnTheBus()
    {
        var bench = new Bench(record: true);
        Assert.Equal(W5500Status.Ok, bench.Nic.Initialize());

        byte[][] expected =
        [
            SpiFrame.Of(0x0000, 0x04, 0x80),                  // MR = RST (4.1)
            SpiFrame.Of(0x0000, 0x00, 0x00),                  // read MR until RST clears
            SpiFrame.Of(0x0039, 0x00, 0x00),                  // read VERSIONR
            SpiFrame.Of(0x0009, 0x04, Mac),                   // SHAR
            SpiFrame.Of(0x001E, 0x2C, 0x00, 0x00),            // S1_RXBUF_SIZE, S1_TXBUF_SIZE = 0
            SpiFrame.Of(0x001E, 0x4C, 0x00, 0x00),            // S2
            SpiFrame.Of(0x001E, 0x6C, 0x00, 0x00),            // S3
            SpiFrame.Of(0x001E, 0x8C, 0x00, 0x00),            // S4
            SpiFrame.Of(0x001E, 0xAC, 0x00, 0x00),            // S5
            SpiFrame.Of(0x001E, 0xCC, 0x00, 0x00),            // S6
            SpiFrame.Of(0x001E, 0xEC, 0x00, 0x00),            // S7
            SpiFrame.Of(0x001E, 0x0C, 0x10, 0x10),            // S0: 16 KB each way
            SpiFrame.Of(0x002C, 0x0C, 0x1C),                  // S0_IMR = SEND_OK | TIMEOUT | RECV
            SpiFrame.Of(0x0000, 0x0C, 0xA4),                  // S0_MR = MFEN | MMB | MACRAW
            SpiFrame.Of(0x0001, 0x0C, 0x01),                  // S0_CR = OPEN
            SpiFrame.Of(0x0001, 0x08, 0x00),                  // read S0_CR until 0
            SpiFrame.Of(0x0003, 0x08, 0x00),                  // read S0_SR: SOCK_MACRAW
            SpiFrame.Zeros(0x0020, 0x08, 12),                 // read S0_TX_FSR .. S0_RX_WR
            SpiFrame.Of(0x002E, 0x00, 0x00),                  // read PHYCFGR
        ];
        Assert.Equal(expected.Select(Convert.ToHexString), bench.Recorder!.Log.Select(t => t.ToString()));
        // What the chip answered where it matters.
        Assert.Equal(0x04, bench.Recorder.Log[2].Miso![3]);
        Assert.Equal(0x42, bench.Recorder.Log[16].Miso![3]);
        Assert.Equal(new byte[] { 0x40, 0x00 }, bench.Recorder.Log[17].Miso![3..5]); // FSR 16 KB
        Assert.Equal(19, bench.Nic.Counters.SpiTransactions);
        Assert.Equal(expected.Sum(f => f.Length), bench.Nic.Counters.SpiBytes);
    }

    [Fact]
    public void Initialize_WithResetPin_PulsesRstnForDatasheetTimesInsteadOfSoftwareReset()
    {
        var bench = new Bench(record: true);
        var pin = new RecordingPin(bench.Clock, bench.Chip.ResetPin);
        var nic = new W5500(bench.Recorder!, bench.Clock, pin, Mac);
        Assert.Equal(W5500Status.Ok, nic.Initialize());

        Assert.Equal(2, pin.Edges.Count);
        Assert.False(pin.Edges[0].High);
        Assert.True(pin.Edges[1].High);
        Assert.True(pin.Edges[1].AtMs - pin.Edges[0].AtMs >= 1);     // T_RC >= 500 us (5.5.1)
        Assert.Equal(SpiFrame.Of(0x0039, 0x00, 0x00), bench.Recorder!.Log[0].Mosi); // no MR.RST: VERSIONR first
        Assert.True(bench.Clock.NowMilliseconds - pin.Edges[1].AtMs >= 1); // T_PL <= 1 ms before SPI
        Assert.Equal(1, bench.Chip.Counters.HardwareResets);
        Assert.Equal(0, bench.Chip.Counters.SoftwareResets);
    }

    [Fact]
    public void Initialize_SecondTime_RecoversFromAnyState()
    {
        var bench = new Bench().Up();
        bench.Chip.Deliver(TestFrames.Make(60, 1));
        Assert.Equal(W5500Status.Ok, bench.Nic.Initialize());
        Assert.Null(bench.ReceiveOne());                     // the reset emptied the ring
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 2)));
        Assert.Equal(TestFrames.Make(60, 2), bench.ReceiveOne());
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void Initialize_WithNoChipAnswering_ReportsWrongVersionInWords(byte stuck)
    {
        var nic = new W5500(new StuckSpi(stuck), new VirtualClock(), null, Mac);
        var status = nic.Initialize();
        // 0xFF on MISO looks like RST never clearing; 0x00 reads a version of 0.
        Assert.Equal(stuck == 0xFF ? W5500Status.ResetTimeout : W5500Status.WrongVersion, status);
        Assert.Contains("W5500", W5500.Describe(status));
        Assert.Equal(0, nic.Receive(new byte[100], 3, 97));  // no exception: the loop keeps running
        Assert.False(nic.Transmit(new byte[100], 3, 60));
    }

    [Fact]
    public void WrongVersion_MessageNamesTheLikelyCauses()
    {
        Assert.Contains("0x04", W5500.Describe(W5500Status.WrongVersion));
        Assert.Contains("wiring", W5500.Describe(W5500Status.WrongVersion));
    }

    [Fact]
    public void Receive_BeforeInitialize_Throws()
    {
        var nic = new W5500(new Bench().Chip, new VirtualClock(), null, Mac);
        Assert.Throws<InvalidOperationException>(() => nic.Receive(new byte[100], 3, 97));
    }

    [Fact]
    public void Initialize_LeavesOtherSocketsWithoutBuffersAndSocketZeroWithAll()
    {
        var bench = new Bench().Up();
        // Sockets 1..7 have no memory: a write to Socket 1's TX buffer lands nowhere.
        var frame = SpiFrame.Of(0x0000, 0x34, 0x77);
        bench.Chip.Write(frame, 0, frame.Length);
        Assert.DoesNotContain(Enumerable.Range(0, 16384), a => bench.Chip.PeekTxMemory(a) == 0x77);
        var read = SpiFrame.Zeros(0x0020, 0x08, 2);
        bench.Chip.TransferFullDuplex(read, 0, read, 0, read.Length);
        Assert.Equal(new byte[] { 0x40, 0x00 }, read[3..]);   // S0_TX_FSR = 16384
    }
}
