using Atcp.Emulation.W5500;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>The chip model against the datasheet (W5500 Datasheet v1.0.9), driven with raw SPI
/// frames and no driver. Control bytes are spelled out: 0x00/0x04 common read/write, 0x08/0x0C
/// Socket 0 registers, 0x10/0x14 Socket 0 TX buffer, 0x18/0x1C Socket 0 RX buffer (BSB[4:0] &lt;&lt; 3
/// | RWB &lt;&lt; 2 | OM).</summary>
public class W5500ModelTests
{
    readonly W5500Model _chip = new();

    byte[] Xfer(byte[] mosi)
    {
        var miso = new byte[mosi.Length];
        _chip.TransferFullDuplex(mosi, 0, miso, 0, mosi.Length);
        return miso;
    }

    byte[] ReadData(ushort address, byte control, int count) => Xfer(SpiFrame.Zeros(address, control, count))[3..];

    void Write(ushort address, byte control, params byte[] data)
    {
        var frame = SpiFrame.Of(address, control, data);
        _chip.Write(frame, 0, frame.Length);
    }

    void OpenMacRaw(byte mode = 0x04)
    {
        Write(0x0000, 0x0C, mode);   // S0_MR
        Write(0x0001, 0x0C, 0x01);   // S0_CR = OPEN
    }

    [Fact]
    public void VersionRead_ReturnsVersionAfterPhaseCounterBytes()
    {
        // 00 39 00 | 00: read VERSIONR in VDM. Real chips answer 01 02 03 during the header.
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, Xfer([0x00, 0x39, 0x00, 0x00]));
    }

    [Fact]
    public void CommonRegisters_AfterPowerOn_HoldDatasheetResetValues()
    {
        byte[] r = ReadData(0x0000, 0x00, 0x3A);
        Assert.Equal(0x00, r[0x00]);                              // MR
        Assert.Equal(new byte[] { 0x07, 0xD0 }, r[0x19..0x1B]);   // RTR = 2000 (200 ms)
        Assert.Equal(0x08, r[0x1B]);                              // RCR
        Assert.Equal(0x28, r[0x1C]);                              // PTIMER
        Assert.Equal(new byte[] { 0xFF, 0xFF }, r[0x26..0x28]);   // PMRU
        Assert.Equal(0xBF, r[0x2E]);                              // PHYCFGR 0b10111xxx, link up 100 full
        Assert.Equal(0x04, r[0x39]);                              // VERSIONR
    }

    [Fact]
    public void SocketRegisters_AfterPowerOn_HoldDatasheetResetValues()
    {
        byte[] r = ReadData(0x0000, 0x28, 0x30); // Socket 1 register block
        Assert.Equal(Enumerable.Repeat((byte)0xFF, 6), r[0x06..0x0C]); // Sn_DHAR
        Assert.Equal(0x80, r[0x16]);                                // Sn_TTL
        Assert.Equal(0x02, r[0x1E]);                                // Sn_RXBUF_SIZE 2 KB
        Assert.Equal(0x02, r[0x1F]);                                // Sn_TXBUF_SIZE 2 KB
        Assert.Equal(new byte[] { 0x08, 0x00 }, r[0x20..0x22]);     // Sn_TX_FSR 0x0800
        Assert.Equal(0xFF, r[0x2C]);                                // Sn_IMR
        Assert.Equal(new byte[] { 0x40, 0x00 }, r[0x2D..0x2F]);     // Sn_FRAG
    }

    [Fact]
    public void VariableLengthWrite_AutoIncrementsAcrossRegisters()
    {
        // One frame from GAR through SIPR: 4 + 4 + 6 + 4 bytes.
        byte[] data = [192, 168, 0, 1, 255, 255, 255, 0, 0x00, 0x08, 0xDC, 0x01, 0x02, 0x03, 192, 168, 0, 100];
        Write(0x0001, 0x04, data);
        Assert.Equal(data, ReadData(0x0001, 0x00, data.Length));
        Assert.Equal(new byte[] { 0x00, 0x08, 0xDC, 0x01, 0x02, 0x03 }, ReadData(0x0009, 0x00, 6));
    }

    [Fact]
    public void FixedLengthFrames_RepeatHeaderEveryFourBytes()
    {
        // OM = 11 (4 bytes): two frames back to back while SCSn stays low (2.4).
        byte[] mosi = [0x00, 0x01, 0x07, 10, 0, 0, 1, 0x00, 0x05, 0x07, 255, 255, 0, 0];
        var miso = Xfer(mosi);
        Assert.Equal(new byte[] { 1, 2, 3 }, miso[0..3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, miso[7..10]);
        Assert.Equal(new byte[] { 10, 0, 0, 1, 255, 255, 0, 0 }, ReadData(0x0001, 0x00, 8));
    }

    [Fact]
    public void ReadOnlyRegisters_IgnoreWrites()
    {
        Write(0x0039, 0x04, 0x55);                 // VERSIONR
        Write(0x0003, 0x0C, 0x42);                 // S0_SR
        Write(0x0020, 0x0C, 0x00, 0x01);           // S0_TX_FSR
        Write(0x0026, 0x0C, 0x12, 0x34);           // S0_RX_RSR
        Assert.Equal(0x04, ReadData(0x0039, 0x00, 1)[0]);
        Assert.Equal(0x00, ReadData(0x0003, 0x08, 1)[0]);
        Assert.Equal(new byte[] { 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x00 }, ReadData(0x0020, 0x08, 8));
    }

    [Fact]
    public void TxBufferSizeExample_FourKilobytes_SetsFreeSize()
    {
        // Datasheet Sn_TXBUF_SIZE example: Socket 0 TX Buffer Size = 4KB -> 0x001F = 0x04.
        Write(0x001F, 0x0C, 0x04);
        Assert.Equal(new byte[] { 0x10, 0x00 }, ReadData(0x0020, 0x08, 2));
    }

    [Fact]
    public void SoftwareReset_RestoresResetValuesAndClearsRst()
    {
        Write(0x0009, 0x04, 1, 2, 3, 4, 5, 6);
        Write(0x0000, 0x04, 0x80);
        Assert.Equal(0x00, ReadData(0x0000, 0x00, 1)[0]);
        Assert.Equal(new byte[6], ReadData(0x0009, 0x00, 6));
        Assert.Equal(1, _chip.Counters.SoftwareResets);
    }

    [Fact]
    public void ResetPin_HeldLow_IgnoresSpiAndReleaseRestoresDefaults()
    {
        Write(0x0009, 0x04, 1, 2, 3, 4, 5, 6);
        _chip.ResetPin.Write(false);
        Assert.Equal(new byte[4], Xfer([0x00, 0x39, 0x00, 0x00]));
        _chip.ResetPin.Write(true);
        Assert.Equal(0x04, ReadData(0x0039, 0x00, 1)[0]);
        Assert.Equal(new byte[6], ReadData(0x0009, 0x00, 6));
    }

    [Fact]
    public void Phycfgr_ReportsLinkSpeedDuplexAndPhyReset()
    {
        _chip.Link100Mbps = false;
        _chip.LinkFullDuplex = false;
        Assert.Equal(0xB9, ReadData(0x002E, 0x00, 1)[0]);   // LNK only
        _chip.LinkUp = false;
        Assert.Equal(0xB8, ReadData(0x002E, 0x00, 1)[0]);
        _chip.LinkUp = true;
        Write(0x002E, 0x04, 0x38);                            // RST = 0: PHY held in reset
        Assert.Equal(0x38, ReadData(0x002E, 0x00, 1)[0]);
    }

    [Fact]
    public void BufferAddress_WrapsModuloSocketBufferSize()
    {
        Write(0x001E, 0x0C, 16, 16);                       // Socket 0 gets 16 KB
        for (int s = 1; s < 8; s++) Write(0x001E, (byte)(((4 * s + 1) << 3) | 0x04), 0, 0);
        Write(0x3FFE, 0x14, 0xA1, 0xA2, 0xA3, 0xA4);       // crosses the end of the 16 KB buffer
        Assert.Equal(0xA1, _chip.PeekTxMemory(0x3FFE));
        Assert.Equal(0xA2, _chip.PeekTxMemory(0x3FFF));
        Assert.Equal(0xA3, _chip.PeekTxMemory(0x0000));
        Assert.Equal(0xA4, _chip.PeekTxMemory(0x0001));
        // Every 16-bit offset maps into the buffer: 0xC000 is physical 0x0000 again.
        Assert.Equal(new byte[] { 0xA3, 0xA4 }, ReadData(0xC000, 0x10, 2));
    }

    [Fact]
    public void SocketBuffers_AreAllocatedInOrderFromSocketZero()
    {
        Write(0x0000, 0x34, 0x5A);                         // Socket 1 TX buffer, offset 0
        Assert.Equal(0x5A, _chip.PeekTxMemory(0x0800));     // after Socket 0's default 2 KB
    }

    [Fact]
    public void OpenMacRaw_OnSocketZero_ReachesSockMacraw()
    {
        OpenMacRaw();
        Assert.Equal(new byte[] { 0x04, 0x00, 0x00, 0x42 }, ReadData(0x0000, 0x08, 4)); // MR, CR cleared, IR, SR
        Write(0x0000, 0x2C, 0x04);                         // MACRAW on Socket 1 is not valid
        Write(0x0001, 0x2C, 0x01);
        Assert.Equal(0x00, ReadData(0x0003, 0x28, 1)[0]);
    }

    [Fact]
    public void ReceivedFrame_IsStoredAsLengthHeaderAndFrame_AndRecvFreesIt()
    {
        OpenMacRaw();
        var frame = TestFrames.Make(60, 7, destination: TestFrames.Broadcast);
        Assert.True(_chip.Deliver(frame));
        Assert.Equal(new byte[] { 0x00, 62 }, ReadData(0x0026, 0x08, 2)); // Sn_RX_RSR
        var record = ReadData(0x0000, 0x18, 62);
        Assert.Equal(new byte[] { 0x00, 62 }, record[0..2]);               // length counts itself
        Assert.Equal(frame, record[2..]);
        Assert.Equal(0x04, ReadData(0x0002, 0x08, 1)[0]);                  // Sn_IR.RECV

        Write(0x0028, 0x0C, 0x00, 62);                                     // Sn_RX_RD += 62
        Assert.Equal(new byte[] { 0x00, 62 }, ReadData(0x0026, 0x08, 2));  // not yet: RECV tells the chip
        Write(0x0001, 0x0C, 0x40);                                         // RECV
        Assert.Equal(new byte[] { 0x00, 0x00 }, ReadData(0x0026, 0x08, 2));
    }

    [Fact]
    public void Send_TransmitsTxBufferBetweenPointers_AndSetsSendOk()
    {
        OpenMacRaw();
        var sent = new List<byte[]>();
        _chip.FrameSent += f => sent.Add(f.ToArray());
        var frame = TestFrames.Make(100, 1);
        Write(0x0000, 0x14, frame);
        Write(0x0024, 0x0C, 0x00, 100);                                    // Sn_TX_WR
        Assert.Equal(new byte[] { 0x07, 0x9C }, ReadData(0x0020, 0x08, 2)); // FSR = 2048 - 100
        Write(0x0001, 0x0C, 0x20);                                         // SEND
        Assert.Equal(frame, Assert.Single(sent));
        Assert.Equal(new byte[] { 0x08, 0x00, 0x00, 100, 0x00, 100 }, ReadData(0x0020, 0x08, 6)); // FSR, TX_RD, TX_WR
        Assert.Equal(0x10, ReadData(0x0002, 0x08, 1)[0]);                  // SEND_OK
        Write(0x0002, 0x0C, 0x10);                                         // write 1 to clear
        Assert.Equal(0x00, ReadData(0x0002, 0x08, 1)[0]);
    }

    [Fact]
    public void Send_ShortFrame_IsPaddedToSixtyBytes()
    {
        OpenMacRaw();
        byte[]? sent = null;
        _chip.FrameSent += f => sent = f.ToArray();
        var frame = TestFrames.Make(42, 3);
        Write(0x0000, 0x14, frame);
        Write(0x0024, 0x0C, 0x00, 42);
        Write(0x0001, 0x0C, 0x20);
        Assert.Equal([.. frame, .. new byte[18]], Assert.IsType<byte[]>(sent));
    }

    [Fact]
    public void SocketInterruptMask_Cleared_KeepsSendOkFromBeingSet()
    {
        OpenMacRaw();
        Write(0x002C, 0x0C, 0x00);                                          // Sn_IMR = 0
        Write(0x0000, 0x14, TestFrames.Make(60, 1));
        Write(0x0024, 0x0C, 0x00, 60);
        Write(0x0001, 0x0C, 0x20);
        Assert.Equal(0x00, ReadData(0x0002, 0x08, 1)[0]);
    }

    [Fact]
    public void SocketInterrupt_WithSimr_AssertsIntPinUntilCleared()
    {
        OpenMacRaw();
        Write(0x0018, 0x04, 0x01);                                          // SIMR: Socket 0
        Assert.True(_chip.Deliver(TestFrames.Make(60, 1, TestFrames.Broadcast)));
        Assert.Equal(0x01, ReadData(0x0017, 0x00, 1)[0]);                   // SIR
        Assert.True(_chip.InterruptAsserted);
        Write(0x0002, 0x0C, 0x04);
        Assert.False(_chip.InterruptAsserted);
    }

    [Theory]
    [InlineData(0x84, "board", true)]      // MFEN: our MAC
    [InlineData(0x84, "other", false)]     // MFEN: someone else's unicast
    [InlineData(0x84, "broadcast", true)]
    [InlineData(0x84, "multicast", true)]  // MFEN alone lets multicast through
    [InlineData(0xA4, "multicast", false)] // MMB blocks it
    [InlineData(0xC4, "broadcast", false)] // BCASTB
    [InlineData(0x04, "other", true)]      // no MFEN: everything
    public void MacFilter_FollowsSnMrBits(byte mode, string destination, bool stored)
    {
        Write(0x0009, 0x04, TestFrames.BoardMac);
        OpenMacRaw(mode);
        byte[] dst = destination switch
        {
            "board" => TestFrames.BoardMac,
            "broadcast" => TestFrames.Broadcast,
            "multicast" => TestFrames.Multicast,
            _ => [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
        };
        Assert.Equal(stored, _chip.Deliver(TestFrames.Make(60, 1, dst)));
        Assert.Equal(stored ? 0 : 1, _chip.Counters.RxDroppedFiltered);
    }

    [Fact]
    public void Ipv6Blocking_DropsIpv6Frames()
    {
        OpenMacRaw(0x14);                                                   // MIP6B | MACRAW
        Assert.False(_chip.Deliver(TestFrames.Make(60, 1, TestFrames.Broadcast, etherType: 0x86DD)));
        Assert.True(_chip.Deliver(TestFrames.Make(60, 1, TestFrames.Broadcast, etherType: 0x0800)));
    }

    [Fact]
    public void RxBuffer_WhenFull_DropsFrameThatDoesNotFit()
    {
        OpenMacRaw();                                                       // 2 KB RX buffer
        Assert.True(_chip.Deliver(TestFrames.Make(1000, 1, TestFrames.Broadcast)));
        Assert.True(_chip.Deliver(TestFrames.Make(1000, 2, TestFrames.Broadcast)));
        Assert.False(_chip.Deliver(TestFrames.Make(60, 3, TestFrames.Broadcast)));   // 2004 + 62 > 2048
        Assert.True(_chip.Deliver(TestFrames.Make(42, 4, TestFrames.Broadcast)));    // 2004 + 44 = 2048
        Assert.Equal(1, _chip.Counters.RxDroppedOverflow);
        Assert.Equal(new byte[] { 0x08, 0x00 }, ReadData(0x0026, 0x08, 2));
    }

    [Fact]
    public void Pointers_WrapAtSixteenBits()
    {
        _chip.PointerAfterOpen = 0xFFF0;
        OpenMacRaw();
        var frame = TestFrames.Make(100, 9, TestFrames.Broadcast);
        Assert.True(_chip.Deliver(frame));
        Assert.Equal(new byte[] { 0x00, 102, 0xFF, 0xF0, 0x00, 0x56 }, ReadData(0x0026, 0x08, 6)); // RSR, RX_RD, RX_WR
        var record = ReadData(0xFFF0, 0x18, 102);                           // one read across the wrap
        Assert.Equal(frame, record[2..]);
    }

    [Fact]
    public void LinkDown_DropsArrivingFramesAndLosesSentOnes()
    {
        OpenMacRaw();
        int sent = 0;
        _chip.FrameSent += _ => sent++;
        _chip.LinkUp = false;
        Assert.False(_chip.Deliver(TestFrames.Make(60, 1, TestFrames.Broadcast)));
        Write(0x0000, 0x14, TestFrames.Make(60, 1));
        Write(0x0024, 0x0C, 0x00, 60);
        Write(0x0001, 0x0C, 0x20);
        Assert.Equal(0, sent);
        Assert.Equal(0x10, ReadData(0x0002, 0x08, 1)[0]);                  // the SEND still completes
        Assert.Equal(1, _chip.Counters.RxDroppedLinkDown);
        Assert.Equal(1, _chip.Counters.TxLostLinkDown);
    }

    [Fact]
    public void SpiCounters_CountTransactionsAndDataBytes()
    {
        Xfer([0x00, 0x39, 0x00, 0x00]);
        Write(0x0009, 0x04, 1, 2, 3, 4, 5, 6);
        Xfer([0x00, 0x39]);                                                 // SCSn high during address phase
        Assert.Equal(3, _chip.Counters.SpiTransactions);
        Assert.Equal(4 + 9 + 2, _chip.Counters.SpiBytes);
        Assert.Equal(1, _chip.Counters.SpiDataBytesRead);
        Assert.Equal(6, _chip.Counters.SpiDataBytesWritten);
        Assert.Equal(1, _chip.Counters.IncompleteSpiFrames);
    }
}
