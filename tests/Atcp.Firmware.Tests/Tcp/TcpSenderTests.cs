using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

public class TcpSender_Sending
{
    [Fact]
    public void Start_FirstFlight_IsTheRfc3390InitialWindow()
    {
        var h = new SenderHarness(1_000_000);
        var segs = h.Drain();
        Assert.Equal(3, segs.Count); // min(4*1460, max(2*1460, 4380)) = 4380 bytes
        Assert.Equal(new long[] { 0, 1460, 2920 }, segs.Select(s => s.Offset));
        Assert.All(segs, s => Assert.Equal(1460, s.Length));
        Assert.All(segs, s => Assert.False(s.Retx));
    }

    // A reply that continues a keep-alive connection starts from the connection's window (SPEC 5.1).
    [Theory]
    [InlineData(100_000, 100_000)]
    [InlineData(1_000, 4380)]         // never below RFC 3390's
    [InlineData(10_000_000, 262_144)] // at most MaxInitialWindow
    public void Start_WithTheConnectionsWindow_FirstFlightIsThatWindow(long given, long expected)
    {
        var h = new SenderHarness(10_000_000, window: 65535, scale: 7, initialWindow: given);

        var segs = h.Drain();

        Assert.Equal(expected, h.Sender.CongestionWindow);
        Assert.Equal(expected / 1460 * 1460, segs.Sum(s => (long)s.Length)); // whole segments within it
        Assert.Equal(AckOutcome.NewData, h.Ack(2920));
        Assert.Equal(expected + 2920, h.Sender.CongestionWindow); // still slow start: no threshold yet
    }

    [Fact]
    public void Ack_OfEverything_FinishesTheStream()
    {
        var h = new SenderHarness(3000);
        var segs = h.Drain();
        Assert.Equal(3000, segs.Sum(s => s.Length));
        Assert.Equal(80, segs[^1].Length);
        Assert.Equal(AckOutcome.NewData, h.Ack(3000));
        Assert.Equal(SenderState.Finished, h.Sender.State);
        Assert.Equal(long.MaxValue, h.Sender.NextDeadline);
    }

    [Fact]
    public void Ack_BeyondWhatWasSent_IsDiscardedAndChangesNothing()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        Assert.Equal(AckOutcome.BeyondSent, h.Ack(4381));
        Assert.Equal(0, h.Sender.Acknowledged);
        Assert.Equal(SenderState.Sending, h.Sender.State);
    }

    [Fact]
    public void Ack_OlderThanAcknowledged_IsIgnored()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        h.Ack(2920);
        Assert.Equal(AckOutcome.Old, h.Ack(1460));
        Assert.Equal(2920, h.Sender.Acknowledged);
    }

    [Fact]
    public void SlowStart_EachAckedByteGrowsTheWindowByOneByte()
    {
        var h = new SenderHarness(10_000_000);
        h.Drain();
        long before = h.Sender.CongestionWindow;
        h.Ack(2920);
        Assert.Equal(before + 2920, h.Sender.CongestionWindow);
        Assert.Equal(2 + 2, h.Drain().Count); // 2 freed + 2 grown
    }

    [Fact]
    public void Sequence_WrapsAroundTwoToThe32_WithoutLosingOffsets()
    {
        var h = new SenderHarness(20_000);
        h.Drain();
        Assert.Equal(AckOutcome.NewData, h.Ack(4380)); // Iss + 4380 wraps past 2^32
        Assert.Equal(4380, h.Sender.Acknowledged);
    }
}

public class TcpSender_Windows
{
    [Fact]
    public void ClientWindow_LimitsBytesInFlight()
    {
        var h = new SenderHarness(1_000_000, window: 3000);
        var segs = h.Drain();
        // Two full segments fit; the 80 bytes left of the window wait (silly window avoidance).
        Assert.Equal(2920, segs.Sum(s => s.Length));
        h.Ack(1460, window: 3000);
        Assert.Equal(new[] { (2920L, 1460, false) }, h.Drain());
    }

    [Fact]
    public void WindowScale_ShiftsTheRawWindow()
    {
        var h = new SenderHarness(10_000_000, window: 1000, scale: 7); // 128,000 bytes
        h.Ack(0, 1000);
        for (int i = 0; i < 20; i++) { var s = h.Drain(); if (s.Count > 0) h.Ack(s[^1].Offset + s[^1].Length - 1460, 1000); }
        Assert.Equal(128_000, h.Sender.SendWindow);
        Assert.True(h.Sender.NextToSend - h.Sender.Acknowledged <= 128_000);
    }

    [Fact]
    public void ZeroWindow_ProbesOneByteWithBackoff_ThenResumes()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        h.Ack(4380, window: 0);
        Assert.Empty(h.Drain());
        long first = h.Sender.NextDeadline;
        Assert.NotEqual(long.MaxValue, first);
        h.Advance(first - h.Now);
        var probe = h.Drain();
        Assert.Single(probe);
        Assert.Equal((4380L, 1), (probe[0].Offset, probe[0].Length));
        // The client still has no room: the probe is refused, the next one comes later (backoff).
        h.Ack(4380, window: 0);
        long second = h.Sender.NextDeadline - h.Now;
        Assert.True(second > first, $"backoff: {second} should exceed {first}");
        h.Advance(second);
        Assert.Single(h.Drain());
        Assert.Equal(2, h.Sender.WindowProbes);
        // Window opens: the probe byte was taken and normal sending resumes.
        h.Ack(4381, window: 65535);
        var resumed = h.Drain();
        Assert.NotEmpty(resumed);
        Assert.Equal(4381, resumed[0].Offset);
    }

    [Fact]
    public void ZeroWindow_DoesNotCountRepeatedAcksAsDuplicates()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        h.Ack(1460, window: 0);
        for (int i = 0; i < 5; i++) h.Ack(1460, window: 0);
        Assert.False(h.Sender.InRecovery);
        Assert.Equal(0, h.Sender.FastRetransmits);
    }
}

public class TcpSender_Retransmission
{
    [Fact]
    public void Rto_Expiry_ResendsFromFirstUnackedWithOneSegmentAndDoublesTimeout()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        Assert.Equal(TcpSender.InitialRtoMs, h.Sender.RetransmissionTimeoutMs);
        h.Advance(TcpSender.InitialRtoMs);
        var again = h.Drain();
        Assert.Single(again);
        Assert.Equal((0L, 1460, true), again[0]);
        Assert.Equal(2 * TcpSender.InitialRtoMs, h.Sender.RetransmissionTimeoutMs);
        Assert.Equal(1460, h.Sender.CongestionWindow);
        Assert.Equal(2920, h.Sender.SlowStartThreshold); // max(flight/2, 2*MSS)
    }

    [Fact]
    public void Rto_RepeatedExpiries_FailTheStream()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        for (int i = 0; i <= TcpSender.MaxConsecutiveTimeouts; i++) { h.Advance(h.Sender.NextDeadline - h.Now); h.Drain(); }
        Assert.Equal(SenderState.Failed, h.Sender.State);
    }

    [Fact]
    public void Rto_FollowsRfc6298_AfterOneSample()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        h.Advance(0); h.Now += 300;
        h.Ack(1460);
        Assert.Equal(300, h.Sender.SmoothedRttMs);
        Assert.Equal(300 + 4 * 150, h.Sender.RetransmissionTimeoutMs); // SRTT + 4*RTTVAR
    }

    [Fact]
    public void Rto_IsNotSampledFromRetransmittedSegments()
    {
        var h = new SenderHarness(100_000);
        h.Drain();
        h.Advance(TcpSender.InitialRtoMs);
        h.Drain();
        h.Now += 5000;
        h.Ack(1460);
        Assert.Equal(-1, h.Sender.SmoothedRttMs); // Karn's algorithm
    }

    [Fact]
    public void ThreeDuplicateAcks_FastRetransmitTheFirstUnackedSegment()
    {
        var h = new SenderHarness(1_000_000);
        h.Drain();
        h.Ack(1460); h.Drain();
        Assert.Equal(AckOutcome.Duplicate, h.Ack(1460));
        Assert.Equal(AckOutcome.Duplicate, h.Ack(1460));
        Assert.DoesNotContain(h.Drain(), s => s.Retx);
        Assert.Equal(AckOutcome.Duplicate, h.Ack(1460));
        Assert.True(h.Sender.InRecovery);
        var segs = h.Drain();
        Assert.Equal((1460L, 1460, true), segs[0]);
        Assert.Equal(1, h.Sender.FastRetransmits);
    }

    [Fact]
    public void NewReno_PartialAck_ResendsNextHole_FullAckLeavesRecovery()
    {
        var h = new SenderHarness(1_000_000);
        h.Drain();
        h.Ack(0); h.Drain(); // nothing new
        for (int i = 0; i < 3; i++) h.Ack(0);
        var first = h.Drain();
        Assert.Equal((0L, 1460, true), first[0]);
        long recover = h.Sender.HighestSent;
        h.Ack(1460); // partial: segment 2 lost too
        var second = h.Drain();
        Assert.Equal((1460L, 1460, true), second[0]);
        h.Ack(recover);
        Assert.False(h.Sender.InRecovery);
        Assert.True(h.Sender.CongestionWindow <= h.Sender.SlowStartThreshold);
    }

    [Fact]
    public void Sack_RetransmitsOnlyTheHoles()
    {
        var h = new SenderHarness(1_000_000);
        var flight = h.Drain();
        // Grow the window (slow start) until at least eight segments are in flight.
        while (flight.Count < 8) { h.Ack(h.Sender.HighestSent); flight = h.Drain(); }
        long baseOff = h.Sender.Acknowledged;
        // Segments at baseOff and baseOff+2*1460 lost; the rest SACKed.
        var s1 = (baseOff + 1460, baseOff + 2920);
        var s2 = (baseOff + 4380, baseOff + 8 * 1460);
        h.Ack(baseOff, 65535, s1);
        h.Ack(baseOff, 65535, s1, s2);
        h.Ack(baseOff, 65535, s2, s1);
        var retx = h.Drain().Where(s => s.Retx).Select(s => s.Offset).ToList();
        Assert.Equal(new[] { baseOff, baseOff + 2920 }, retx);
    }
}
