using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

/// <summary>Whole transfers through a simulated lossy path to a simulated client that ACKs every
/// segment with SACK blocks, on a virtual clock: every byte must arrive, whatever the loss.</summary>
public class TcpSender_LossyPathSimulation
{
    sealed class Client
    {
        readonly SortedDictionary<long, long> _ranges = new(); // start -> end, disjoint
        public long Cumulative;
        public readonly List<(long, long)> RecentBlocks = new();

        public void Receive(long start, long end)
        {
            if (end <= Cumulative) return;
            // Merge into ranges.
            long s = start, e = end;
            foreach (var kv in _ranges.ToList())
                if (kv.Key <= e && kv.Value >= s) { s = Math.Min(s, kv.Key); e = Math.Max(e, kv.Value); _ranges.Remove(kv.Key); }
            _ranges[s] = e;
            while (_ranges.Count > 0 && _ranges.First().Key <= Cumulative)
            {
                var first = _ranges.First();
                Cumulative = Math.Max(Cumulative, first.Value);
                _ranges.Remove(first.Key);
            }
            RecentBlocks.Clear();
            // RFC 2018: the block holding the latest segment first, then others.
            foreach (var kv in _ranges.OrderByDescending(k => k.Key <= start && start < k.Value).Take(3))
                RecentBlocks.Add((kv.Key, kv.Value));
        }
    }

    [Theory]
    [InlineData(1, 0.0, 0)]
    [InlineData(2, 0.02, 0)]
    [InlineData(3, 0.05, 0)]
    [InlineData(4, 0.15, 0)]
    [InlineData(5, 0.02, 3)]
    public void Transfer_OverLossyPath_DeliversEveryByte(int seed, double loss, int jitterMs)
    {
        const long total = 3_000_000;
        var rng = new Random(seed);
        var h = new SenderHarness(total, rttHint: 10);
        var client = new Client();
        var toClient = new List<(long At, long S, long E)>();
        var toSender = new List<(long At, long Ack, (long, long)[] Sacks)>();
        const int oneWay = 5;
        long sentBytes = 0;
        while (h.Sender.State == SenderState.Sending && h.Now < 600_000)
        {
            foreach (var seg in h.Drain())
            {
                Assert.InRange(seg.Offset + seg.Length, 1, total);
                sentBytes += seg.Length;
                if (rng.NextDouble() >= loss) toClient.Add((h.Now + oneWay + rng.Next(0, jitterMs + 1), seg.Offset, seg.Offset + seg.Length));
            }
            foreach (var p in toClient.Where(p => p.At <= h.Now).ToList())
            {
                toClient.Remove(p);
                client.Receive(p.S, p.E);
                if (rng.NextDouble() >= loss) toSender.Add((h.Now + oneWay, client.Cumulative, client.RecentBlocks.ToArray()));
            }
            foreach (var a in toSender.Where(a => a.At <= h.Now).ToList())
            {
                toSender.Remove(a);
                h.Ack(a.Ack, 65535, a.Sacks);
            }
            h.Advance(1);
        }
        Assert.Equal(SenderState.Finished, h.Sender.State);
        Assert.Equal(total, client.Cumulative);
        // Without reordering, retransmissions stay proportionate to the loss (no retransmission storms).
        if (jitterMs == 0) Assert.True(sentBytes < total * (1 + 4 * loss) + 50_000, $"sent {sentBytes} for {total} at loss {loss}: {h.Sender.Timeouts} timeouts, {h.Sender.FastRetransmits} fast retransmits, {h.Sender.RetransmittedSegments} segments resent");
    }
}
