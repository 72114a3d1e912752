namespace Atcp.Firmware.Tests.Nic;

/// <summary>Frames from the wire to the caller through the chip's RX ring.</summary>
public class W5500ReceiveTests
{
    [Fact]
    public void Receive_OneFrame_PutsDatasheetFramesOnTheBus()
    {
        var bench = new Bench(record: true).Up();
        bench.Recorder!.Log.Clear();
        var frame = TestFrames.Make(60, 1);
        Assert.True(bench.Chip.Deliver(frame));

        var buffer = new byte[3 + 1600];
        Assert.Equal(60, bench.Nic.Receive(buffer, 3, 1600));

        byte[][] expected =
        [
            SpiFrame.Of(0x0026, 0x08, 0x00, 0x00),       // read S0_RX_RSR
            SpiFrame.Of(0x0026, 0x08, 0x00, 0x00),       // again, until two readings agree (4.2)
            SpiFrame.Zeros(0x0000, 0x18, 62),            // S0 RX buffer at Sn_RX_RD: header + frame
            // Sn_RX_RD and RECV wait until ReleaseThreshold bytes were consumed.
        ];
        Assert.Equal(expected.Select(Convert.ToHexString), bench.Recorder.Log.Select(t => t.ToString()));
        Assert.Equal(new byte[] { 1, 2, 3, 0x00, 62 }, bench.Recorder.Log[0].Miso);
        Assert.Equal([0x00, 62, .. frame], bench.Recorder.Log[2].Miso![3..]);
        Assert.Equal(frame, buffer[3..63]);
    }

    [Fact]
    public void Receive_NothingWaiting_CostsOneShortTransaction()
    {
        var bench = new Bench().Up();
        long before = bench.Nic.Counters.SpiTransactions;
        Assert.Null(bench.ReceiveOne());
        Assert.Equal(1, bench.Nic.Counters.SpiTransactions - before);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(577)]
    [InlineData(1000)]
    [InlineData(1513)]
    [InlineData(1514)]
    public void Receive_FrameOfAnySize_ArrivesWhole(int length)
    {
        var bench = new Bench().Up();
        var frame = TestFrames.Make(length, length);
        Assert.True(bench.Chip.Deliver(frame));
        Assert.Equal(frame, bench.ReceiveOne());
        Assert.Null(bench.ReceiveOne());
        Assert.Equal(1, bench.Nic.Counters.FramesReceived);
        Assert.Equal(length, bench.Nic.Counters.BytesReceived);
    }

    [Theory]
    [InlineData(1514)]   // exactly the frame: header and frame need two transfers
    [InlineData(100)]    // small buffers work too
    public void Receive_WithTightCapacity_StillReturnsFramesThatFit(int capacity)
    {
        var bench = new Bench().Up();
        var frame = TestFrames.Make(Math.Min(capacity, 1514), 5);
        bench.Chip.Deliver(frame);
        Assert.Equal(frame, bench.ReceiveOne(capacity));
    }

    [Fact]
    public void Receive_ManyFramesOfMixedSizes_SurviveRingAndPointerWrap()
    {
        // Start just below 0xFFFF so the 16-bit pointers wrap at once; 3000 frames go round the
        // 16 KB ring many times, in bursts of 1 to 9.
        var bench = new Bench(pointerAfterOpen: 0xFF00).Up();
        var random = new Random(1234);
        int sent = 0, received = 0;
        while (sent < 3000)
        {
            int burst = random.Next(1, 10);
            var lengths = new List<int>();
            for (int b = 0; b < burst; b++)
            {
                int length = random.Next(60, 1515);
                if (!bench.Chip.Deliver(TestFrames.Make(length, sent))) break;
                lengths.Add(length);
                sent++;
            }
            foreach (int length in lengths)
            {
                Assert.Equal(TestFrames.Make(length, received), bench.ReceiveOne());
                received++;
            }
            Assert.Null(bench.ReceiveOne());
        }
        Assert.Equal(0, bench.Chip.Counters.RxDroppedOverflow);
        Assert.Equal(0, bench.Nic.Counters.RxBadLength);
        Assert.Equal(3000, bench.Nic.Counters.FramesReceived);
    }

    [Fact]
    public void Receive_WhenRingOverflows_ChipDropsExtraFramesAndDriverKeepsOrder()
    {
        var bench = new Bench().Up();
        int stored = 0;
        for (int i = 0; i < 20; i++) if (bench.Chip.Deliver(TestFrames.Make(1514, i))) stored++;
        Assert.Equal(10, stored);                                   // 10 x 1516 fits in 16384, 11 does not
        Assert.Equal(10, bench.Chip.Counters.RxDroppedOverflow);
        for (int i = 0; i < 10; i++) Assert.Equal(TestFrames.Make(1514, i), bench.ReceiveOne());
        Assert.Null(bench.ReceiveOne());
        Assert.True(bench.Chip.Deliver(TestFrames.Make(1514, 99)));  // space came back with RECV
        Assert.Equal(TestFrames.Make(1514, 99), bench.ReceiveOne());
    }

    [Fact]
    public void Receive_FrameLongerThanCapacity_IsSkippedAndCounted()
    {
        var bench = new Bench().Up();
        bench.Chip.Deliver(TestFrames.Make(200, 1));
        bench.Chip.Deliver(TestFrames.Make(80, 2));
        Assert.Equal(TestFrames.Make(80, 2), bench.ReceiveOne(capacity: 100));
        Assert.Equal(1, bench.Nic.Counters.RxDroppedTooLong);
        Assert.Equal(0, bench.Nic.Counters.SocketReopens);
    }

    [Fact]
    public void Receive_VlanSizedFrame_IsSkippedWithoutResettingTheRing()
    {
        var bench = new Bench().Up();
        bench.Chip.MaxReceiveFrameLength = 1518;                    // a chip that keeps tagged frames
        bench.Chip.Deliver(TestFrames.Make(1518, 1));
        bench.Chip.Deliver(TestFrames.Make(60, 2));
        Assert.Equal(TestFrames.Make(60, 2), bench.ReceiveOne(capacity: 2000));
        Assert.Equal(1, bench.Nic.Counters.RxDroppedTooLong);
        Assert.Equal(0, bench.Nic.Counters.SocketReopens);
    }

    [Theory]
    [InlineData(0x00, 0x05)]   // shorter than an Ethernet header
    [InlineData(0x07, 0x00)]   // longer than any Ethernet frame
    [InlineData(0x01, 0x00)]   // plausible, but more than the chip holds
    public void Receive_CorruptLengthHeader_ReopensSocketAndRecovers(byte high, byte low)
    {
        var bench = new Bench().Up();
        bench.Chip.Deliver(TestFrames.Make(100, 1));
        bench.Chip.PokeRxMemory(0, high);                          // first record's length header
        bench.Chip.PokeRxMemory(1, low);
        Assert.Null(bench.ReceiveOne());
        Assert.Equal(1, bench.Nic.Counters.RxBadLength);
        Assert.Equal(1, bench.Nic.Counters.SocketReopens);
        bench.Chip.Deliver(TestFrames.Make(100, 2));
        Assert.Equal(TestFrames.Make(100, 2), bench.ReceiveOne());
    }

    [Fact]
    public void Receive_SocketClosedBehindOurBack_IsReopenedByCheckSocket()
    {
        var bench = new Bench().Up();
        var close = SpiFrame.Of(0x0001, 0x0C, 0x10);              // someone writes S0_CR = CLOSE
        bench.Chip.Write(close, 0, close.Length);
        Assert.False(bench.Chip.Deliver(TestFrames.Make(60, 1)));
        Assert.False(bench.Nic.CheckSocket());
        Assert.True(bench.Nic.CheckSocket());
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 2)));
        Assert.Equal(TestFrames.Make(60, 2), bench.ReceiveOne());
    }

    [Fact]
    public void Receive_OnlyOurUnicastAndBroadcast_ByDefault()
    {
        var bench = new Bench().Up();
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 1, TestFrames.BoardMac)));
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 2, TestFrames.Broadcast)));
        Assert.False(bench.Chip.Deliver(TestFrames.Make(60, 3, TestFrames.Multicast)));
        Assert.False(bench.Chip.Deliver(TestFrames.Make(60, 4, [0x02, 0, 0, 0, 0, 0x42])));
        Assert.Equal(1, bench.ReceiveOne()![17]);
        Assert.Equal(2, bench.ReceiveOne()![17]);
        Assert.Null(bench.ReceiveOne());
    }

    [Fact]
    public void Receive_WithReceiveMulticast_AlsoTakesMulticast()
    {
        var bench = new Bench();
        bench.Nic.ReceiveMulticast = true;
        bench.Up();
        Assert.True(bench.Chip.Deliver(TestFrames.Make(60, 3, TestFrames.Multicast)));
        Assert.Equal(TestFrames.Make(60, 3, TestFrames.Multicast), bench.ReceiveOne());
    }

    [Fact]
    public void Receive_WhileFramesArriveOnAnotherThread_GetsEveryStoredFrameIntactAndInOrder()
    {
        var bench = new Bench().Up();
        const int total = 2000;
        var lengths = new int[total];
        var random = new Random(7);
        for (int i = 0; i < total; i++) lengths[i] = random.Next(60, 1515);
        bool done = false;
        var wire = new Thread(() =>
        {
            for (int i = 0; i < total; i++)
            {
                bench.Chip.Deliver(TestFrames.Make(lengths[i], i));
                if (i % 8 == 0) Thread.Sleep(0);
            }
            Volatile.Write(ref done, true);
        });
        wire.Start();

        int received = 0, last = -1;
        var buffer = new byte[3 + 1600];
        while (true)
        {
            bool finished = Volatile.Read(ref done);
            int n = bench.Nic.Receive(buffer, 3, 1600);
            if (n == 0)
            {
                if (finished) break;   // nothing left after the last delivery
                Thread.Sleep(0);
                continue;
            }
            int sequence = (buffer[17] << 24) | (buffer[18] << 16) | (buffer[19] << 8) | buffer[20];
            Assert.True(sequence > last, $"frame {sequence} after {last}");
            Assert.True(TestFrames.Make(lengths[sequence], sequence).AsSpan().SequenceEqual(buffer.AsSpan(3, n)), "frame " + sequence);
            last = sequence;
            received++;
        }
        wire.Join();
        Assert.Equal(total, received + bench.Chip.Counters.RxDroppedOverflow);
        Assert.True(received > 0);
        Assert.Equal(0, bench.Nic.Counters.RxBadLength);
    }
}
