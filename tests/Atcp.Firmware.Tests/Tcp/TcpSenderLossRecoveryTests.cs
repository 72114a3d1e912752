using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

/// <summary>A path with a fixed one-way delay between the sender and a client that ACKs like Linux
/// does (every segment or every second one, SACK blocks, the window opening a little on every ACK),
/// on a virtual clock. Drops chosen segments by their first transmission, or at random.</summary>
sealed class RecoveryPath
{
    public readonly SenderHarness H;
    public readonly long Total;
    public int OneWayMs = 1;
    public int AckEvery = 1;
    public bool GrowWindow = true;
    public Func<long, int, bool> Drop = (_, _) => false; // (offset, nth transmission of it) -> drop?
    readonly SortedDictionary<long, long> _ranges = new();
    readonly Dictionary<long, int> _sends = new();
    readonly List<(long At, long S, long E)> _toClient = new();
    readonly List<(long At, long Ack, ushort Window, (long, long)[] Sacks)> _toSender = new();
    int _unacked;
    long _unackedSince;
    /// <summary>The receiver's delayed-ACK timer (Linux: 40 ms).</summary>
    public int DelayedAckMs = 40;
    ushort _window = 1000;
    public long Cumulative;
    public long SentBytes;

    public RecoveryPath(long total, int scale = 7)
    {
        Total = total;
        H = new SenderHarness(total, window: _window, scale: scale, rttHint: 2);
    }

    /// <summary>Runs until the sender finished or maxMs passed; returns the elapsed virtual ms.</summary>
    public long Run(long maxMs = 600_000)
    {
        long start = H.Now;
        while (H.Sender.State == SenderState.Sending && H.Now - start < maxMs)
        {
            foreach (var seg in H.Drain())
            {
                SentBytes += seg.Length;
                int nth = _sends.TryGetValue(seg.Offset, out var n) ? n + 1 : 1;
                _sends[seg.Offset] = nth;
                if (!Drop(seg.Offset, nth)) _toClient.Add((H.Now + OneWayMs, seg.Offset, seg.Offset + seg.Length));
            }
            foreach (var p in _toClient.Where(p => p.At <= H.Now).ToList())
            {
                _toClient.Remove(p);
                Receive(p.S, p.E);
            }
            if (_unacked > 0 && H.Now - _unackedSince >= DelayedAckMs) SendAck(Cumulative);
            foreach (var a in _toSender.Where(a => a.At <= H.Now).ToList())
            {
                _toSender.Remove(a);
                H.Ack(a.Ack, a.Window, a.Sacks);
            }
            H.Advance(1);
        }
        return H.Now - start;
    }

    void Receive(long start, long end)
    {
        bool inOrder = start <= Cumulative;
        long s = start, e = end;
        foreach (var kv in _ranges.ToList())
            if (kv.Key <= e && kv.Value >= s) { s = Math.Min(s, kv.Key); e = Math.Max(e, kv.Value); _ranges.Remove(kv.Key); }
        if (e > Cumulative) _ranges[Math.Max(s, Cumulative)] = e;
        while (_ranges.Count > 0 && _ranges.First().Key <= Cumulative)
        {
            Cumulative = Math.Max(Cumulative, _ranges.First().Value);
            _ranges.Remove(_ranges.First().Key);
        }
        // Out-of-order data is acknowledged at once (RFC 5681 4.2); in-order data every AckEvery segments.
        if (inOrder && _ranges.Count == 0 && ++_unacked < AckEvery)
        {
            if (_unacked == 1) _unackedSince = H.Now;
            return;
        }
        SendAck(start);
    }

    void SendAck(long latest)
    {
        _unacked = 0;
        if (GrowWindow) _window++; // receive autotuning: a different window on nearly every ACK
        var blocks = _ranges.OrderByDescending(k => k.Key <= latest && latest < k.Value).Take(4).Select(k => (k.Key, k.Value)).ToArray();
        _toSender.Add((H.Now + OneWayMs, Cumulative, _window, blocks));
    }
}

/// <summary>The sender's loss recovery (RFC 5681, 6582, 6675, 6298) against the loss patterns that
/// matter: a single loss, a burst, several holes, a lost retransmission, random loss.</summary>
public class TcpSenderLossRecoveryTests
{
    const int Mss = 1460;

    [Fact]
    public void SingleLoss_WindowOpeningOnEveryDuplicate_FastRetransmitWithoutTimeout()
    {
        var p = new RecoveryPath(400 * Mss) { Drop = (o, n) => o == 100 * Mss && n == 1 };
        long ms = p.Run();
        Assert.Equal(SenderState.Finished, p.H.Sender.State);
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.Equal(1, p.H.Sender.FastRetransmits);
        Assert.Equal(1, p.H.Sender.RetransmittedSegments);
        Assert.True(ms < 200, "took " + ms + " ms");
    }

    [Fact]
    public void SingleLoss_OnlyOneSackRelayed_SackedBytesStartRecovery()
    {
        // The relay coalesced the duplicates: the sender hears one ACK whose SACK block covers
        // three segments above the hole (RFC 6675 IsLost).
        var h = new SenderHarness(100 * Mss, window: 65535);
        Assert.Equal(3, h.Drain().Count);
        h.Ack(3 * Mss);
        Assert.Equal(6, h.Drain().Count);
        Assert.Equal(AckOutcome.Duplicate, h.Ack(3 * Mss, 65535, (4 * Mss, 7 * Mss + 1)));
        Assert.True(h.Sender.InRecovery);
        var next = h.Drain(1);
        Assert.Equal((3L * Mss, Mss, true), next.Single());
    }

    [Fact]
    public void BurstOfFiveLosses_AllResentInRecovery_NoTimeout()
    {
        var p = new RecoveryPath(600 * Mss) { Drop = (o, n) => n == 1 && o >= 200 * Mss && o < 205 * Mss };
        long ms = p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.Equal(1, p.H.Sender.FastRetransmits);
        Assert.Equal(5, p.H.Sender.RetransmittedSegments);
        Assert.True(ms < 300, "took " + ms + " ms");
    }

    [Fact]
    public void ScatteredHoles_EachResentOnce_InOneRecovery()
    {
        var lost = new HashSet<long> { 150, 153, 157, 160, 171 };
        var p = new RecoveryPath(500 * Mss) { Drop = (o, n) => n == 1 && lost.Contains(o / Mss) };
        p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.Equal(lost.Count, p.H.Sender.RetransmittedSegments);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(1, 20)]
    [InlineData(2, 20)]
    public void SeparateLossEpisodes_EachRecoveredByFastRetransmit(int ackEvery, int spacing)
    {
        var lost = new HashSet<long>();
        for (long i = 60; i < 900; i += spacing == 0 ? 17 + (i % 13) : spacing) lost.Add(i);
        var p = new RecoveryPath(1000 * Mss) { AckEvery = ackEvery, Drop = (o, n) => n == 1 && lost.Contains(o / Mss) };
        p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.True(p.H.Sender.Timeouts == 0, p.H.Sender.Timeouts + " timeouts, " + p.H.Sender.FastRetransmits + " fast retransmits for " + lost.Count + " losses");
    }

    [Fact]
    public void LastSegmentLost_TailLossProbeRepairsIt_BeforeTheRto()
    {
        var p = new RecoveryPath(300 * Mss) { Drop = (o, n) => n == 1 && o == 299 * Mss };
        long ms = p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.True(p.H.Sender.TailProbes >= 1);
        Assert.True(ms < TcpSender.MinRtoMs, "took " + ms + " ms");
    }

    [Fact]
    public void LossNearTheTail_TooFewDuplicates_ProbeTimeoutStartsRecovery()
    {
        // One segment after the hole: one duplicate ACK, one SACKed segment, no RFC 6675 trigger.
        var p = new RecoveryPath(300 * Mss) { Drop = (o, n) => n == 1 && o == 298 * Mss };
        long ms = p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.True(ms < TcpSender.MinRtoMs, "took " + ms + " ms");
    }

    [Fact]
    public void LostRetransmission_ResentWhenLaterDataIsSacked_WithoutTheRto()
    {
        var p = new RecoveryPath(400 * Mss) { Drop = (o, n) => o == 100 * Mss && n <= 2 };
        long ms = p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.Equal(1, p.H.Sender.LostRetransmissions);
        Assert.Equal(2, p.H.Sender.RetransmittedSegments);
        Assert.True(ms < 100, "took " + ms + " ms");
    }

    [Fact]
    public void LostRetransmission_NothingSentAfterIt_ProbeTimeoutResendsIt()
    {
        // The hole is near the end: no data follows the retransmission to reveal its loss; recovery
        // goes quiet and the probe timeout, not the RTO, sends it again.
        var p = new RecoveryPath(120 * Mss) { Drop = (o, n) => o == 110 * Mss && n <= 2 };
        long ms = p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(0, p.H.Sender.Timeouts);
        Assert.Equal(2, p.H.Sender.RetransmittedSegments);
        Assert.True(ms < 100, "took " + ms + " ms");
    }

    [Fact]
    public void RetransmissionLostThreeTimes_RtoThenGoBackSkipsSackedData()
    {
        var p = new RecoveryPath(120 * Mss) { Drop = (o, n) => o == 110 * Mss && n <= 3 };
        p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(1, p.H.Sender.Timeouts);
        // After the RTO, go-back-N skips what the client SACKed: only the hole is sent again.
        Assert.Equal(3, p.H.Sender.RetransmittedSegments);
    }

    [Fact]
    public void RtoExpiringTwice_BacksOffAndForgetsSacks_ThenRecovers()
    {
        var p = new RecoveryPath(200 * Mss) { Drop = (o, n) => o == 195 * Mss && n <= 4 };
        p.Run();
        Assert.Equal(p.Total, p.Cumulative);
        Assert.Equal(2, p.H.Sender.Timeouts);
        Assert.Equal(SenderState.Finished, p.H.Sender.State);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    public void TwoPercentRandomLoss_KeepsMostOfTheLosslessRate(int seed, int ackEvery)
    {
        const long total = 4_000_000;
        var clean = new RecoveryPath(total) { AckEvery = ackEvery };
        long cleanMs = clean.Run();
        var rng = new Random(seed);
        var lossy = new RecoveryPath(total) { AckEvery = ackEvery, Drop = (_, _) => rng.NextDouble() < 0.02 };
        long lossyMs = lossy.Run();
        Assert.Equal(total, lossy.Cumulative);
        // The path has no rate limit: the lossless run is window-bound, a few RTTs. With a 2 ms RTT
        // and about 55 losses, recovery by fast retransmit costs a few RTTs each; RTOs (200 ms) must
        // be rare (only lost retransmissions).
        Assert.True(lossy.H.Sender.Timeouts <= 4, lossy.H.Sender.Timeouts + " timeouts, " + lossy.H.Sender.FastRetransmits + " fast retransmits");
        Assert.True(lossyMs < cleanMs + 2_000, "lossless " + cleanMs + " ms, 2% loss " + lossyMs + " ms, " + lossy.H.Sender.Timeouts + " timeouts");
        Assert.True(lossy.SentBytes < total * 1.06, "sent " + lossy.SentBytes + " for " + total);
    }
}
