using Atcp.Frontend.Cluster;

namespace Atcp.Frontend.Tests.Cluster;

/// <summary>The relay policy, by phase (eager: slow start and after a loss; steady) and by case.</summary>
public class AckCoalescerTests
{
    const uint End = 10_000_000;
    const long Window = 1 << 20;
    const int Mss = 1460;

    // A coalescer past its eager start: the first ACK relayed at 0, then ACKs up to 64 KB relayed.
    static AckCoalescer Steady(int k = 8, int t = 10, long window = Window)
    {
        var c = new AckCoalescer(k, t) { Mss = Mss };
        Assert.True(c.Offer(0, 100, window, false, false, false, End, 0));
        Assert.True(c.Offer((uint)AckCoalescer.EagerStartBytes, 100, window, false, false, false, End, 0));
        Assert.False(c.Eager);
        return c;
    }

    static bool Plain(AckCoalescer c, long ack, long now, long window = Window, ushort raw = 100) =>
        c.Offer((uint)ack, raw, window, false, false, false, End, now);

    [Fact]
    public void Start_RelaysWhenAQuarterOfTheBoardsSlowStartWindowIsUnrelayed()
    {
        var c = new AckCoalescer(8, 10) { Mss = Mss };
        long relayedAt = 0;
        int relays = 0, acks = (int)(AckCoalescer.EagerStartBytes / (2 * Mss));
        for (int i = 0; i <= acks; i++)
        {
            long ack = i * 2L * Mss;
            bool relayed = Plain(c, ack, i);
            // The board's window in slow start: its initial window plus every byte acknowledged.
            Assert.Equal(i == 0 || (ack - relayedAt) * 4 >= AckCoalescer.InitialWindowBytes + ack, relayed);
            if (relayed) { relayedAt = ack; relays++; }
        }
        Assert.InRange(relays, 8, acks / 2); // fewer than the ACKs, more as the window grows slowly
    }

    // SPEC 5.1: a reply continuing its connection's window (128 KB here) is past slow start at once.
    [Fact]
    public void ContinuedWindow_NotEagerFromTheFirstAck_AndMayWaitHalfTheBoardsWindow()
    {
        var c = new AckCoalescer(8, 10) { Mss = Mss, StartWindow = 128 * 1024 };
        c.OnBoardWindow(128 * 1024); // the board's Accepted reports the window it started with

        Assert.True(Plain(c, 0, 0));   // the first ACK always goes
        Assert.False(Plain(c, 2 * Mss, 1)); // slow start would relay this one (a quarter of 4380 + 2920)
        Assert.False(c.Eager);
        for (int i = 2; i <= 12; i++) Plain(c, i * 2L * Mss, i);

        Assert.Equal(64 * 1024, c.TolerableAckBytes);
    }

    [Fact]
    public void StartWindow_BelowRfc3390_IsRfc3390s()
    {
        var c = new AckCoalescer(8, 10) { StartWindow = 1000 };

        Assert.Equal(AckCoalescer.InitialWindowBytes, c.StartWindow);
    }

    [Fact]
    public void Steady_RelaysEveryKthAck()
    {
        var c = Steady(k: 4);
        long at = AckCoalescer.EagerStartBytes;
        var relayed = Enumerable.Range(1, 8).Select(i => Plain(c, at + i * 1000, i)).ToList();
        Assert.Equal(new[] { false, false, false, true, false, false, false, true }, relayed);
    }

    [Fact]
    public void Steady_StretchAckCoveringTwoKSegments_IsRelayedAtOnce()
    {
        var c = Steady(k: 8);
        Assert.True(Plain(c, AckCoalescer.EagerStartBytes + 16 * Mss, 1));
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void Steady_DuplicateSackOrFin_IsRelayedAtOnce(bool dup, bool sack, bool fin)
    {
        var c = Steady(k: 100, t: 1000);
        Assert.True(c.Offer((uint)AckCoalescer.EagerStartBytes, 100, Window, dup, sack, fin, End, 1));
    }

    [Fact]
    public void Steady_SameAckAndWindow_WithoutSack_IsALossSignal_RelayedAtOnce()
    {
        // A client without SACK: the front-end may not flag it duplicate, but the board counts it.
        var c = Steady(k: 100, t: 1000);
        long at = AckCoalescer.EagerStartBytes + 1000;
        Assert.False(Plain(c, at, 1, Window, 100));
        Assert.True(Plain(c, at, 2, Window, 101));
        Assert.True(c.LastRelayWasLossSignal);
    }

    [Fact]
    public void Steady_SameAckWithAnotherWindow_IsAWindowUpdate_NotALossSignal()
    {
        // Linux opens its window while autotuning: the board does not count such an ACK as a
        // duplicate (RFC 5681 section 2), so it starts no loss mode here either.
        var c = Steady(k: 100, t: 1000);
        long at = AckCoalescer.EagerStartBytes + 1000;
        Assert.False(Plain(c, at, 1, Window, 100));
        Assert.False(Plain(c, at, 2, Window + 128, 101));
        Assert.False(c.Eager);
        Assert.False(Plain(c, at + 1460, 3, Window + 128, 102)); // held as before, no relay per ACK
    }

    [Fact]
    public void Steady_WindowGrowth_WhileTheBoardHasRoom_IsHeld()
    {
        var c = Steady(k: 100, t: 1000);
        long at = AckCoalescer.EagerStartBytes;
        for (int i = 1; i <= 10; i++)
            Assert.False(Plain(c, at + i * 100, i, Window + i * 4096, (ushort)(100 + i)), "window growth " + i + " relayed");
    }

    [Fact]
    public void Steady_WindowThatCouldBlockTheBoard_IsRelayedAtOnce()
    {
        // The board knows the window edge 64 KB + 64 KB; once the client acknowledged more than
        // half the window past the last relay, the board may be stopped by the edge it knows.
        var c = Steady(k: 100, t: 1000, window: 64_000);
        long at = AckCoalescer.EagerStartBytes;
        Assert.False(Plain(c, at + 20_000, 1, 64_000));
        Assert.True(Plain(c, at + 32_001, 2, 64_000));
    }

    [Fact]
    public void Steady_WindowReopeningFromZero_IsRelayedAtOnce()
    {
        var c = Steady(k: 100, t: 1000, window: 64_000);
        long at = AckCoalescer.EagerStartBytes;
        Assert.True(Plain(c, at + 64_000, 1, 0, 0));   // closed: the board must stop and probe
        Assert.True(Plain(c, at + 64_000, 2, 64_000));   // reopened
    }

    [Fact]
    public void Steady_RetreatingWindowEdge_IsRelayedAtOnce()
    {
        var c = Steady(k: 100, t: 1000, window: 64_000);
        Assert.True(Plain(c, AckCoalescer.EagerStartBytes + 1000, 1, 30_000));
    }

    [Fact]
    public void AckCompletingTheReply_IsRelayedAtOnce()
    {
        var c = Steady(k: 100, t: 1000);
        Assert.True(c.Offer(End, 100, Window, false, false, false, End, 1));
    }

    [Fact]
    public void HeldAck_IsFlushed_WhenNoFurtherAckCameWithinT()
    {
        var c = Steady(k: 100, t: 10);
        long at = AckCoalescer.EagerStartBytes;
        Assert.False(Plain(c, at + 1000, 5));
        Assert.Equal(15, c.Deadline);
        Assert.False(Plain(c, at + 2000, 9));  // the flow goes on: the deadline moves
        Assert.Equal(19, c.Deadline);
        Assert.False(c.Flush(18));
        Assert.True(c.Flush(19));
        Assert.Equal((uint)(at + 2000), c.HeldAck);
        Assert.Equal(29, c.Deadline); // then the repeat, should the flow stay quiet
    }

    [Fact]
    public void Relay_FollowedByNoAckWithinT_IsRepeatedOnce()
    {
        var c = Steady(k: 1, t: 10);
        Assert.True(Plain(c, AckCoalescer.EagerStartBytes + 1000, 5));

        Assert.Equal(15, c.Deadline);
        Assert.False(c.Flush(14));
        Assert.True(c.Flush(15));
        Assert.Equal(1, c.Repeats);
        Assert.Equal(long.MaxValue, c.Deadline); // once: a quiet flow is not kept busy
        Assert.False(c.Flush(1000));
    }

    [Fact]
    public void Relay_FollowedByAnotherAck_IsNotRepeated()
    {
        var c = Steady(k: 4, t: 10);
        Assert.True(Plain(c, AckCoalescer.EagerStartBytes + 64 * Mss, 5)); // stretch ACK: relayed
        Assert.False(Plain(c, AckCoalescer.EagerStartBytes + 65 * Mss, 7)); // held

        Assert.Equal(17, c.Deadline); // the held ACK's, not a repeat
        Assert.Equal(0, c.Repeats);
    }

    [Fact]
    public void FinalAckAndLossSignals_AreNotRepeated()
    {
        var c = Steady(k: 8, t: 10);
        Assert.True(c.Offer((uint)AckCoalescer.EagerStartBytes, 100, Window, true, true, false, End, 1));
        Assert.Equal(long.MaxValue, c.Deadline);
        Assert.True(c.Offer(End, 100, Window, false, false, false, End, 2));
        Assert.Equal(long.MaxValue, c.Deadline);
    }

    [Fact]
    public void HeldAck_IsFlushedNoLaterThanFourT_WhileAcksKeepComing()
    {
        var c = Steady(k: 100, t: 10);
        long at = AckCoalescer.EagerStartBytes;
        for (int ms = 1; ms < 40; ms += 5) Assert.False(Plain(c, at + ms * 100, ms));
        Assert.Equal(41, c.Deadline); // held since 1, 4 x T
        Assert.True(c.Flush(41));
    }

    [Fact]
    public void AfterALossSignal_AcksAreRelayedAtOnce_ForEagerBytesAfterLoss_ThenCoalescingResumes()
    {
        var c = Steady(k: 8, t: 10);
        long at = AckCoalescer.EagerStartBytes;
        Assert.True(c.Offer((uint)at, 100, Window, true, true, false, End, 1));
        int eagerAcks = (int)(AckCoalescer.EagerBytesAfterLoss / (2 * Mss));
        for (int i = 1; i <= eagerAcks; i++)
            Assert.True(Plain(c, at + i * 2 * Mss, 1 + i), "ACK " + i + " after the loss was held");
        long past = at + AckCoalescer.EagerBytesAfterLoss;
        var later = Enumerable.Range(1, 8).Select(i => Plain(c, past + i * 2 * Mss, 1000 + i)).ToList();
        Assert.Equal(7, later.Count(r => !r));
    }

    [Fact]
    public void EveryAckOne_RelaysEveryAck()
    {
        var c = new AckCoalescer(1, 10) { Mss = Mss };
        Assert.All(Enumerable.Range(0, 100).Select(i => Plain(c, i * 100_000L, i)), Assert.True);
    }

    // ---- how long its ACKs may wait unseen (the daemon's batching pause) ----------------------

    [Fact]
    public void TolerableWait_BeforeARateIsKnown_IsZero()
    {
        var c = Steady();
        Assert.Equal(0, c.TolerableAckWaitUs); // both ACKs came at t = 0: no whole rate span yet
    }

    [Fact]
    public void TolerableWait_SteadyStream_IsTheTimeToDeliverTheSlackAtItsRate()
    {
        var c = Steady();
        long at = AckCoalescer.EagerStartBytes;
        // 600 bytes per ms (a 20 Mbit/s board shared by four streams) for two rate spans.
        for (int ms = 1; ms <= 2 * AckCoalescer.RateSpanMs; ms++) Plain(c, at + 600L * ms, ms);

        Assert.Equal(600, c.BytesPerMs);
        Assert.Equal(AckCoalescer.AssumedWindowBytes / AckCoalescer.SteadyWaitShare * 1000 / 600, c.TolerableAckWaitUs); // 54 ms
    }

    [Fact]
    public void TolerableWait_FastStream_IsShort()
    {
        var c = Steady();
        long at = AckCoalescer.EagerStartBytes;
        for (int ms = 1; ms <= 2 * AckCoalescer.RateSpanMs; ms++) Plain(c, at + 50_000L * ms, ms); // 50 MB/s

        Assert.True(c.TolerableAckWaitUs < 700, c.TolerableAckWaitUs + " us");
    }

    [Fact]
    public void TolerableWait_InSlowStart_IsAQuarterOfTheGrowingWindow_AtTheStreamsRate()
    {
        var c = new AckCoalescer(8, 10) { Mss = Mss };
        int last = 2 * AckCoalescer.RateSpanMs;
        for (int ms = 0; ms <= last; ms++) Plain(c, 100L * ms, ms); // 3.2 KB at 100 bytes per ms: still eager

        Assert.True(c.Eager);
        Assert.Equal(100, c.BytesPerMs);
        long window = AckCoalescer.InitialWindowBytes + 100L * last;
        Assert.Equal(window / AckCoalescer.SlowStartWaitShare * 1000 / 100, c.TolerableAckWaitUs);
    }

    [Fact]
    public void TolerableWait_FastStreamInSlowStart_IsShort()
    {
        var c = new AckCoalescer(8, 10) { Mss = Mss };
        for (int ms = 0; ms <= 2 * AckCoalescer.RateSpanMs; ms++) Plain(c, 1_000L * ms, ms); // 1 MB/s, 32 KB acked

        Assert.True(c.TolerableAckWaitUs < 12_000, c.TolerableAckWaitUs + " us");
    }

    [Fact]
    public void TolerableWait_AfterALossSignal_IsZero_ForAtOnceBytesAfterLoss()
    {
        var c = Steady();
        long at = AckCoalescer.EagerStartBytes;
        int ms = 1;
        for (; ms <= 2 * AckCoalescer.RateSpanMs; ms++) Plain(c, at + 600L * ms, ms);
        long before = c.TolerableAckWaitUs;
        long ack = at + 600L * ms;
        Assert.True(c.Offer((uint)ack, 100, Window, false, true, false, End, ms)); // SACK: a loss

        Assert.Equal(0, c.TolerableAckWaitUs);
        for (long sent = 0; sent <= AckCoalescer.AtOnceBytesAfterLoss + 600; sent += 600) Plain(c, ack + sent, ++ms);
        Assert.Equal(before, c.TolerableAckWaitUs);
    }

    // ---- the board's reported congestion window (SERVICE_ACK, SPEC 5.3) -------------------------

    [Fact]
    public void Steady_BoardWindowSmallerThanKAcksCover_RelaysAtAQuarterOfIt()
    {
        var c = Steady(k: 16, t: 1000);
        c.OnBoardWindow(16 * Mss); // K = 16 would hold 32 segments: twice the window
        long at = AckCoalescer.EagerStartBytes;

        Assert.False(Plain(c, at + 2 * Mss, 1));
        Assert.True(Plain(c, at + 4 * Mss, 2)); // a quarter of 16 segments
    }

    [Fact]
    public void AfterALoss_EveryAckIsRelayed_UntilTheBoardReportsItsCutWindow()
    {
        var c = Steady(k: 16, t: 1000);
        long at = AckCoalescer.EagerStartBytes;
        Assert.True(c.Offer((uint)at, 100, Window, false, true, false, End, 1)); // SACK: a loss
        Assert.True(Plain(c, at + 2 * Mss, 2));
        Assert.True(Plain(c, at + 4 * Mss, 3));

        c.OnBoardWindow(24 * Mss); // the cut window: six segments unrelayed at most

        Assert.False(Plain(c, at + 6 * Mss, 4));
        Assert.False(Plain(c, at + 8 * Mss, 5));
        Assert.True(Plain(c, at + 10 * Mss, 6));
    }

    [Fact]
    public void TolerableWait_SteadyStream_UsesTheBoardsReportedWindow_UpToItsCap()
    {
        var c = Steady();
        long at = AckCoalescer.EagerStartBytes;
        for (int ms = 1; ms <= 2 * AckCoalescer.RateSpanMs; ms++) Plain(c, at + 600L * ms, ms);

        c.OnBoardWindow(128 * 1024);
        Assert.Equal(128 * 1024 / AckCoalescer.SteadyWaitShare * 1000 / 600, c.TolerableAckWaitUs);
        c.OnBoardWindow(4 * 1024 * 1024); // believed only up to the cap
        Assert.Equal(AckCoalescer.MaxReportedWindowBytes / AckCoalescer.SteadyWaitShare * 1000 / 600, c.TolerableAckWaitUs);
        c.OnBoardWindow(8 * 1024); // a small window: a short wait
        Assert.Equal(8 * 1024 / AckCoalescer.SteadyWaitShare * 1000 / 600, c.TolerableAckWaitUs);
    }
}
