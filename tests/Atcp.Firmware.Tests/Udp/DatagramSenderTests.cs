using Atcp.Firmware.Tcp;
using Atcp.Firmware.Udp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Udp;

public class DatagramSender_Blocks
{
    [Fact]
    public void TftpSize_NotAMultiple_EndsWithShortBlock()
    {
        var h = new DatagramSenderHarness(1300, blockSize: 512, window: 8);
        var sent = h.Drain();
        Assert.Equal(new[] { (1u, 0L, 512, false), (2u, 512L, 512, false), (3u, 1024L, 276, false) }, sent);
        Assert.Equal(3u, h.Sender.LastBlock);
    }

    [Fact]
    public void TftpSize_AMultipleOfTheBlockSize_EndsWithEmptyBlock()
    {
        var h = new DatagramSenderHarness(1024, blockSize: 512, window: 8);
        var sent = h.Drain();
        Assert.Equal(3, sent.Count);
        Assert.Equal((3u, 1024L, 0), (sent[2].Block, sent[2].Offset, sent[2].Length));
    }

    [Fact]
    public void TftpEmptyFile_SendsOneEmptyBlock()
    {
        var h = new DatagramSenderHarness(0, blockSize: 512);
        Assert.Equal(SenderState.Sending, h.Sender.State);
        Assert.Equal(new[] { (1u, 0L, 0, false) }, h.Drain());
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(1));
        Assert.Equal(SenderState.Finished, h.Sender.State);
    }

    [Fact]
    public void RawFraming_AMultipleOfTheBlockSize_HasNoEmptyBlock()
    {
        var h = new DatagramSenderHarness(1024, blockSize: 512, window: 8, tftp: false);
        Assert.Equal(2, h.Drain().Count);
    }

    [Fact]
    public void RawFraming_EmptyStream_FinishesAtOnce()
    {
        var h = new DatagramSenderHarness(0, tftp: false);
        Assert.Equal(SenderState.Finished, h.Sender.State);
        Assert.Empty(h.Drain());
    }

    [Fact]
    public void FirstBlock_NumbersBlocksFromIt()
    {
        var h = new DatagramSenderHarness(2000, blockSize: 1000, window: 4, firstBlock: 100);
        Assert.Equal(new uint[] { 100, 101, 102 }, h.Drain().Select(d => d.Block));
        Assert.Equal(102u, h.Sender.LastBlock);
    }

    [Theory]
    [InlineData(-1, 512, 1, 1000, 0)]
    [InlineData(10, 0, 1, 1000, 0)]
    [InlineData(10, 512, 0, 1000, 0)]
    [InlineData(10, 512, 1, 0, 0)]
    [InlineData(10, 512, 1, 1000, -1)]
    public void Start_WithValuesOutOfRange_RefusesAndStaysIdle(long total, int blockSize, int window, int timeout, int maxRetx)
    {
        var s = new DatagramSender();
        Assert.False(s.Start(total, blockSize, window, 1, timeout, maxRetx, true, 0));
        Assert.Equal(SenderState.Idle, s.State);
    }

    [Fact]
    public void Start_WhenTheLastBlockNumberWouldPass32Bits_Refuses()
    {
        var s = new DatagramSender();
        // 2^32 blocks of 8 bytes plus the empty terminator: block numbers 1..2^32+1 do not fit.
        Assert.False(s.Start(8L << 32, 8, 1, 1, 1000, 3, true, 0));
        Assert.True(s.Start((8L << 32) - 16, 8, 1, 1, 1000, 3, true, 0)); // last block = 2^32 - 1
        Assert.Equal(uint.MaxValue, s.LastBlock);
    }
}

public class DatagramSender_Window
{
    [Fact]
    public void Window_LimitsBlocksInFlight()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        Assert.Equal(new uint[] { 1, 2, 3, 4 }, h.Drain().Select(d => d.Block));
        Assert.Empty(h.Drain());
    }

    [Fact]
    public void AckOfTheWindowsLastBlock_SendsTheNextWindow()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(4));
        Assert.Equal(new uint[] { 5, 6, 7, 8 }, h.Drain().Select(d => d.Block));
        Assert.Equal(4000, h.Sender.BytesAcknowledged);
        Assert.Equal(8000, h.Sender.BytesSent);
        Assert.Equal(0, h.Sender.WindowRestarts);
    }

    [Fact]
    public void AckInsideTheWindow_RestartsTheWindowAfterTheAckedBlock()
    {
        // RFC 7440 section 4: the client saw a gap after block 2 and dropped 4; send from 3 again.
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(2));
        var next = h.Drain();
        Assert.Equal(new uint[] { 3, 4, 5, 6 }, next.Select(d => d.Block));
        Assert.Equal(new[] { true, true, false, false }, next.Select(d => d.Retx));
        Assert.Equal(1, h.Sender.WindowRestarts);
        Assert.Equal(2, h.Sender.Retransmitted);
    }

    [Fact]
    public void DuplicateAck_IsIgnored()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        h.Ack(4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.Duplicate, h.Ack(4));
        Assert.Empty(h.Drain());
        Assert.Equal(1, h.Sender.DuplicateAcks);
    }

    [Fact]
    public void AckZero_BeforeAnyBlockArrived_IsADuplicate()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.Duplicate, h.Ack(0));
    }

    [Fact]
    public void OldAck_IsIgnored()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        h.Ack(4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.Old, h.Ack(3));
        Assert.Empty(h.Drain());
        Assert.Equal(1, h.Sender.OldAcks);
        Assert.Equal(4, h.Sender.BlocksAcknowledged);
    }

    [Fact]
    public void AckBeyondWhatWasSent_IsIgnoredAndCounted()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        Assert.Equal(DatagramAckOutcome.BeyondSent, h.Ack(5));
        Assert.Equal(DatagramAckOutcome.BeyondSent, h.Ack(uint.MaxValue));
        Assert.Equal(2, h.Sender.AcksBeyondSent);
        Assert.Equal(0, h.Sender.BlocksAcknowledged);
        Assert.Equal(SenderState.Sending, h.Sender.State);
    }

    [Fact]
    public void AckOfTheLastBlock_Finishes()
    {
        var h = new DatagramSenderHarness(2048, blockSize: 512, window: 16);
        var sent = h.Drain();
        Assert.Equal(5, sent.Count); // four full blocks and the empty terminator
        h.Now = 1234;
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(5));
        Assert.Equal(SenderState.Finished, h.Sender.State);
        Assert.Equal(1234, h.Sender.FinishedAt);
        Assert.Equal(2048, h.Sender.BytesAcknowledged);
        Assert.Equal(DatagramAckOutcome.NotSending, h.Ack(5));
        Assert.Equal(long.MaxValue, h.Sender.NextDeadline);
    }

    [Fact]
    public void WholeTransfer_LockStep_SendsEveryBlockOnce()
    {
        var h = new DatagramSenderHarness(10_000, blockSize: 512, window: 1);
        var all = h.RunToEnd();
        Assert.Equal(20, all.Count); // 19 full blocks + 272 bytes
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), all.Select(d => d.Block));
        Assert.Equal(10_000, all.Sum(d => d.Length));
        Assert.Equal(0, h.Sender.Retransmitted);
    }
}

public class DatagramSender_Retransmission
{
    [Fact]
    public void Timeout_ResendsTheWholeUnackedWindowFromTheFirstUnackedBlock()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4, timeoutMs: 500);
        h.Drain(); // 1..4; no round trip measured yet: the timeout is the ceiling
        h.Advance(499);
        Assert.Empty(h.Drain());
        h.Advance(1);
        var resent = h.Drain();
        Assert.Equal(new uint[] { 1, 2, 3, 4 }, resent.Select(d => d.Block));
        Assert.All(resent, d => Assert.True(d.Retx));
        Assert.Equal(1, h.Sender.Timeouts);
        Assert.Equal(4, h.Sender.Retransmitted);
    }

    [Fact]
    public void Timer_RunsFromTheLastDatagramSent()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4, timeoutMs: 500);
        Assert.True(h.Sender.NextBlock(h.Now, out _, out _, out _, out _));
        h.Advance(300);
        h.Drain();
        Assert.Equal(800, h.Sender.NextDeadline);
    }

    [Fact]
    public void Timer_StopsWhenEverythingSentIsAcknowledged()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4, timeoutMs: 500);
        h.Drain();
        h.Ack(4);
        Assert.Equal(long.MaxValue, h.Sender.NextDeadline);
        h.Advance(10_000);
        Assert.Equal(0, h.Sender.Timeouts);
    }

    [Fact]
    public void MaxRetransmissions_WithDoublingWaits_ThenFailsWithReasonTimeout()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 2, timeoutMs: 100, maxRetransmissions: 3);
        Assert.Equal(100 + 200 + 400 + 800, h.Sender.GiveUpMs);
        h.Drain();
        foreach (int wait in new[] { 100, 200, 400 })
        {
            h.Advance(wait - 1);
            Assert.Empty(h.Drain());
            h.Advance(1);
            Assert.Equal(2, h.Drain().Count);
        }
        h.Advance(799);
        Assert.Equal(SenderState.Sending, h.Sender.State);
        h.Advance(1);
        Assert.Equal(SenderState.Failed, h.Sender.State);
        Assert.Equal(AtcpAbortReason.Timeout, h.Sender.FailReason);
        Assert.Empty(h.Drain());
        Assert.Equal(DatagramAckOutcome.NotSending, h.Ack(2));
    }

    [Fact]
    public void AdvancingAck_ResetsTheRetransmissionCount()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 1, timeoutMs: 100, maxRetransmissions: 2);
        for (uint block = 1; block <= 5; block++)
        {
            Assert.Single(h.Drain());
            h.Advance(100);
            Assert.Single(h.Drain());
            h.Advance(200); // two timeouts for every block (the second wait doubled): within the budget
            Assert.Single(h.Drain());
            Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(block));
        }
        Assert.Equal(SenderState.Sending, h.Sender.State);
        Assert.Equal(10, h.Sender.Timeouts);
    }

    [Fact]
    public void QuickAcks_ShortenTheTimeout_ToTheFloor()
    {
        var h = new DatagramSenderHarness(1_000_000, blockSize: 1000, window: 4, timeoutMs: 1000);
        Assert.Equal(1000, h.Sender.CurrentRtoMs);
        for (uint last = 4; last <= 40; last += 4)
        {
            Assert.Equal(4, h.Drain().Count);
            h.Advance(2);
            h.Ack(last);
        }
        Assert.Equal(2, h.Sender.SmoothedRttMs);
        Assert.Equal(DatagramSender.MinRtoMs, h.Sender.CurrentRtoMs);
        h.Drain(); // 41..44, lost
        h.Advance(DatagramSender.MinRtoMs);
        Assert.Equal(new uint[] { 41, 42, 43, 44 }, h.Drain().Select(d => d.Block));
    }

    [Fact]
    public void SlowAcks_RaiseTheTimeout_NotAboveTheCeiling()
    {
        var h = new DatagramSenderHarness(1_000_000, blockSize: 1000, window: 1, timeoutMs: 300);
        for (uint block = 1; block <= 3; block++)
        {
            h.Drain();
            h.Advance(100);
            h.Ack(block);
        }
        Assert.InRange(h.Sender.CurrentRtoMs, 101, 300);
        for (uint block = 4; block <= 6; block++)
        {
            h.Drain();
            h.Advance(200); // slower, still in time: each a sample of 200 ms
            h.Ack(block);
        }
        Assert.Equal(0, h.Sender.Timeouts);
        Assert.Equal(300, h.Sender.CurrentRtoMs);
    }

    [Fact]
    public void TimeoutsInARow_DoubleTheWait_UpToEightTimesTheCeiling()
    {
        var h = new DatagramSenderHarness(1_000_000, blockSize: 1000, window: 1, timeoutMs: 100, maxRetransmissions: 20);
        h.Drain();
        h.Advance(1);
        h.Ack(1); // a 1 ms sample: the RTO drops to the floor
        h.Drain();
        var waits = new List<long>();
        long sentAt = h.Now;
        while (waits.Count < 9)
        {
            h.Advance(1);
            if (h.Drain().Count == 1) { waits.Add(h.Now - sentAt); sentAt = h.Now; }
        }
        Assert.Equal(new long[] { 20, 40, 80, 160, 320, 640, 800, 800, 800 }, waits);
    }

    [Fact]
    public void AckAfterAResend_IsNotASample()
    {
        // Karn: the ACK of a resent window may answer either copy, so it says nothing of the round trip.
        var h = new DatagramSenderHarness(1_000_000, blockSize: 1000, window: 1, timeoutMs: 1000);
        h.Drain();
        h.Advance(1000);
        h.Drain();
        h.Advance(1);
        h.Ack(1);
        Assert.Equal(0, h.Sender.SmoothedRttMs);
        Assert.Equal(1000, h.Sender.CurrentRtoMs);
    }

    [Fact]
    public void DuplicateAcksOfAResentWindow_DoNotResendItTwice()
    {
        // The window's ACK was only late: the timer resent the window, then the ACK and the client's
        // answers to the copies arrive. Only the next window goes out, once (RFC 1123 4.2.3.1).
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4, timeoutMs: 100);
        h.Drain();
        h.Advance(100);
        Assert.Equal(4, h.Drain().Count);
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(4));
        Assert.Equal(new uint[] { 5, 6, 7, 8 }, h.Drain().Select(d => d.Block));
        for (int i = 0; i < 4; i++) Assert.Equal(DatagramAckOutcome.Duplicate, h.Ack(4));
        Assert.Empty(h.Drain());
        Assert.Equal(4, h.Sender.Retransmitted);
    }

    [Fact]
    public void LateAckForBlocksSentBeforeATimeout_MovesPastTheResend()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4, timeoutMs: 100);
        h.Drain();
        h.Advance(100);
        Assert.True(h.Sender.NextBlock(h.Now, out var b, out _, out _, out _)); // block 1 again
        Assert.Equal(1u, b);
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(4)); // the first window's ACK was only late
        Assert.Equal(new uint[] { 5, 6, 7, 8 }, h.Drain().Select(d => d.Block));
    }

    [Fact]
    public void Fail_FromTheFrontEnd_StopsSending()
    {
        var h = new DatagramSenderHarness(100_000, blockSize: 1000, window: 4);
        h.Drain();
        h.Sender.Fail(AtcpAbortReason.ClientReset);
        Assert.Equal(SenderState.Failed, h.Sender.State);
        Assert.Equal(AtcpAbortReason.ClientReset, h.Sender.FailReason);
        Assert.Empty(h.Drain());
    }
}

public class DatagramSender_Rollover
{
    [Fact]
    public void MoreThan65535Blocks_AcksCountOnPastTheTftpWrap()
    {
        // 8-byte blocks: 70,000 full blocks and 3 bytes; numbers pass 65535 without wrapping here.
        const int blocks = 70_001;
        var h = new DatagramSenderHarness(8L * 70_000 + 3, blockSize: 8, window: 64);
        var all = h.RunToEnd();
        Assert.Equal(SenderState.Finished, h.Sender.State);
        Assert.Equal(blocks, all.Count);
        Assert.Equal((uint)blocks, all[^1].Block);
        Assert.Equal(3, all[^1].Length);
        Assert.Contains(all, d => d.Block == 65536);
        Assert.Equal(0, h.Sender.Retransmitted);
    }

    [Fact]
    public void AcksNearTheWrap_SlideAcrossIt()
    {
        var h = new DatagramSenderHarness(8L * 70_000, blockSize: 8, window: 4);
        for (uint acked = 0; acked < 65532; acked += 4) { h.Drain(); Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(acked + 4)); }
        var window = h.Drain();
        Assert.Equal(new uint[] { 65533, 65534, 65535, 65536 }, window.Select(d => d.Block));
        Assert.Equal(DatagramAckOutcome.Advanced, h.Ack(65536));
        Assert.Equal(new uint[] { 65537, 65538, 65539, 65540 }, h.Drain().Select(d => d.Block));
    }
}
