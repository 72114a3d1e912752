namespace Atcp.Firmware.Tests.Nic;

/// <summary>The transmit path with the INTn pin (datasheet 4.1 SIMR, 4.2 Sn_IMR/Sn_IR, 5.1 INTn):
/// three SPI frames per Ethernet frame, Sn_TX_WR kept locally, completion of the previous SEND read
/// from the pin, and never a SEND while the previous one is in progress.</summary>
[Collection(AllocationSensitive.Name)]
public class W5500InterruptTests
{
    // Transactions that read socket 0 registers (control byte 0x08: BSB 00001, read, VDM).
    static int SocketRegisterReads(RecordingSpi recorder) => recorder.Log.Count(t => t.Mosi.Length >= 3 && t.Mosi[2] == 0x08);

    // Transactions that write into the socket 0 TX buffer (control byte 0x14).
    static int TxBufferWrites(RecordingSpi recorder) => recorder.Log.Count(t => t.Mosi.Length >= 3 && t.Mosi[2] == 0x14);

    [Fact]
    public void Initialize_WithInterruptPin_RoutesOnlySendCompletionToIntn()
    {
        var bench = new Bench(record: true, useInterruptPin: true).Up();
        var log = bench.Recorder!.Log.Select(t => t.ToString()).ToList();
        // Sn_IMR = SEND_OK | TIMEOUT (RECV masked), then SIMR = socket 0.
        Assert.Contains(Convert.ToHexString(SpiFrame.Of(0x002C, 0x0C, 0x18)), log);
        Assert.Contains(Convert.ToHexString(SpiFrame.Of(0x0018, 0x04, 0x01)), log);
        Assert.False(bench.Chip.InterruptAsserted);
    }

    [Fact]
    public void Transmit_WithInterruptPin_PutsThreeDatasheetFramesPerFrameOnTheBus()
    {
        var bench = new Bench(record: true, useInterruptPin: true).Up();
        bench.Recorder!.Log.Clear();
        var first = TestFrames.Make(60, 1);
        var second = TestFrames.Make(1514, 2);
        Assert.True(bench.TransmitOne(first));
        Assert.True(bench.Chip.InterruptAsserted);                 // SEND_OK: INTn low
        Assert.True(bench.TransmitOne(second));

        byte[][] expected =
        [
            SpiFrame.Of(0x0000, 0x14, first),            // S0 TX buffer at our Sn_TX_WR = 0
            SpiFrame.Of(0x0024, 0x0C, 0x00, 60),         // S0_TX_WR = 60
            SpiFrame.Of(0x0001, 0x0C, 0x20, 0x18),       // S0_CR = SEND, S0_IR = SEND_OK|TIMEOUT (clear)
            SpiFrame.Of(0x003C, 0x14, second),           // next frame at 60; INTn low said the SEND is over
            SpiFrame.Of(0x0024, 0x0C, 0x06, 0x26),       // S0_TX_WR = 60 + 1514 = 0x0626
            SpiFrame.Of(0x0001, 0x0C, 0x20, 0x18),       // SEND, clearing the first SEND's SEND_OK
        ];
        Assert.Equal(expected.Select(Convert.ToHexString), bench.Recorder.Log.Select(t => t.ToString()));
        Assert.Equal([first, second], bench.Wire);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Fact]
    public void Transmit_ManyFramesWithInterruptPin_WrapRingAndPointerWithoutReadingThem()
    {
        var bench = new Bench(record: true, pointerAfterOpen: 0xFFF0, useInterruptPin: true).Up();
        bench.Recorder!.Log.Clear();
        var random = new Random(7);
        var sent = new List<byte[]>();
        for (int i = 0; i < 1500; i++)
        {
            var frame = TestFrames.Make(random.Next(60, 1515), i);
            Assert.True(bench.TransmitOne(frame));
            sent.Add(frame);
        }
        Assert.Equal(sent.Count, bench.Wire.Count);
        for (int i = 0; i < sent.Count; i++) Assert.True(sent[i].AsSpan().SequenceEqual(bench.Wire[i]), "frame " + i);
        // No Sn_TX_WR, Sn_TX_FSR, Sn_CR or Sn_IR read: the pointer and free size are kept locally.
        Assert.Equal(0, SocketRegisterReads(bench.Recorder));
        Assert.Equal(3 * sent.Count, bench.Recorder.Log.Count);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Fact]
    public void Transmit_WhilePreviousSendInProgress_NeverIssuesSendAndDoesNotRewriteTheFrame()
    {
        var bench = new Bench(record: true, useInterruptPin: true).Up();
        bench.Chip.TransmitHeld = true;                          // the MAC cannot get the frame out yet
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 1)));
        bench.Recorder!.Log.Clear();
        var second = new byte[3 + 100];
        TestFrames.Make(100, 2).CopyTo(second, 3);
        for (int i = 0; i < 5; i++) Assert.False(bench.Nic.Transmit(second, 3, 100));
        Assert.Equal(5, bench.Nic.Counters.TxBusy);
        Assert.Equal(1, TxBufferWrites(bench.Recorder));         // staged once, not rewritten
        Assert.DoesNotContain(bench.Recorder.Log, t => t.Mosi.Length == 5 && t.Mosi[1] == 0x01 && t.Mosi[2] == 0x0C); // no Sn_CR write
        Assert.Empty(bench.Wire);

        bench.Chip.TransmitHeld = false;                         // the first frame leaves
        Assert.True(bench.Nic.Transmit(second, 3, 100));
        Assert.Equal(1, TxBufferWrites(bench.Recorder));
        Assert.Equal([TestFrames.Make(100, 1), TestFrames.Make(100, 2)], bench.Wire);
        Assert.Equal(0, bench.Chip.Counters.OverlappingSends);
    }

    [Fact]
    public void Transmit_OtherFrameAfterBusy_ReplacesTheStagedOne()
    {
        var bench = new Bench(useInterruptPin: true).Up();
        bench.Chip.TransmitHeld = true;
        Assert.True(bench.TransmitOne(TestFrames.Make(100, 1)));
        Assert.False(bench.TransmitOne(TestFrames.Make(100, 2)));
        bench.Chip.TransmitHeld = false;
        Assert.True(bench.TransmitOne(TestFrames.Make(80, 3)));
        Assert.Equal([TestFrames.Make(100, 1), TestFrames.Make(80, 3)], bench.Wire);
    }

    [Fact]
    public void Transmit_InterruptPinNotWired_FallsBackToSpiAndStopsTrustingThePin()
    {
        var bench = new Bench(useInterruptPin: true).Up();
        bench.Interrupt!.Disconnected = true;                    // pull-up only: always high
        for (int i = 0; i < 10; i++) Assert.True(bench.TransmitOne(TestFrames.Make(60, i)));
        Assert.Equal(10, bench.Wire.Count);
        Assert.Equal(3, bench.Nic.Counters.InterruptMisses);
        int reads = bench.Interrupt.Reads;
        Assert.True(bench.TransmitOne(TestFrames.Make(60, 99)));
        Assert.Equal(reads, bench.Interrupt.Reads);               // no longer consulted
    }

    [Fact]
    public void Transmit_SteadyStateWithInterruptPin_ThreeTransactionsAndNothingAllocated()
    {
        var bench = new Bench(captureWire: false, useInterruptPin: true).Up();
        var buffer = new byte[3 + 1514];
        TestFrames.Fill(buffer, 3, 1514, 1, TestFrames.PeerMac, TestFrames.BoardMac);
        for (int i = 0; i < 100; i++) bench.Nic.Transmit(buffer, 3, 1514);
        long transactions = bench.Nic.Counters.SpiTransactions, bytes = bench.Nic.Counters.SpiBytes;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        int refused = 0;
        for (int i = 0; i < 5000; i++) if (!bench.Nic.Transmit(buffer, 3, 1514)) refused++;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(0, refused);
        Assert.Equal(0, allocated);
        Assert.Equal(3 * 5000, bench.Nic.Counters.SpiTransactions - transactions);
        // Frame + 3-byte header, Sn_TX_WR (3 + 2), Sn_CR + Sn_IR (3 + 2).
        Assert.Equal((1514 + 3 + 5 + 5) * 5000L, bench.Nic.Counters.SpiBytes - bytes);
    }

    [Fact]
    public void Receive_SmallFrames_ReleaseTheRingOncePerKilobyte()
    {
        var bench = new Bench(record: true).Up();
        bench.Recorder!.Log.Clear();
        var frame = TestFrames.Make(60, 1);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(bench.Chip.Deliver(frame));
            Assert.Equal(frame, bench.ReceiveOne());
        }
        int recvCommands = bench.Recorder.Log.Count(t => t.ToString() == Convert.ToHexString(SpiFrame.Of(0x0001, 0x0C, 0x40)));
        // 100 records of 62 bytes: a release after every 17th (1054 bytes >= 1 KB).
        Assert.Equal(100 * 62 / 1054, recvCommands);
        Assert.Null(bench.ReceiveOne());
        Assert.Equal(0, bench.Chip.Counters.RxDroppedOverflow);
    }
}
