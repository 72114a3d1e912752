using Atcp.Frontend.Engine;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>How long the daemon may leave client ACKs unseen (HttpDispatcher.TolerableAckWaitUs) is
/// judged per board: its steady streams' allowances add up at their combined rate, so the stream
/// with the smallest window does not cut every pause short while its siblings keep the link busy.</summary>
public class PauseAllowanceTests
{
    [Fact]
    public void SteadyStreamsOnOneBoard_WaitForTheBoardsCombinedAllowance_NotTheSmallestStreams()
    {
        var objects = Enumerable.Range(0, 3).Select(i => { var d = new byte[1_500_000]; new Random(i).NextBytes(d); return ("o" + i + ".bin", d); }).ToList();
        var c = new SimulatedCluster(1, objects, copies: 1) { Rng = new Random(5), BoardBytesPerMs = 2500, LinkDelayMs = 1 };
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 3);
        var clients = objects.Select((o, i) =>
        {
            var client = c.AddClient(0xC6120064u + (uint)i, (ushort)(40400 + i));
            client.Connect();
            client.Request("GET /" + o.Item1 + " HTTP/1.1\r\nHost: storage\r\n\r\n");
            return client;
        }).ToList();

        int samples = 0, longerThanSmallest = 0;
        c.Run(120_000, () =>
        {
            var steady = c.FrontEnd.Dispatcher.Streams.Where(s => s.Phase == StreamPhase.Running && s.Coalescer.Steady).ToList();
            if (steady.Count >= 2) // one board: its other streams do not count
            {
                samples++;
                long combined = steady.Sum(s => s.Coalescer.TolerableAckBytes) * 1000 / steady.Sum(s => s.Coalescer.BytesPerMs);
                long smallest = steady.Min(s => s.Coalescer.TolerableAckWaitUs);
                long wait = c.FrontEnd.Dispatcher.TolerableAckWaitUs;
                Assert.Equal(combined, wait);
                Assert.True(wait >= smallest, wait + " us < " + smallest + " us");
                if (wait > smallest) longerThanSmallest++;
            }
            return clients.All(x => x.Responses().Count == 1);
        });
        for (int i = 0; i < 3; i++) Assert.Equal(objects[i].Item2, clients[i].Responses().Single().Body);
        Assert.True(samples > 100, samples + " samples with two streams steady");
        Assert.True(longerThanSmallest > 0, "the combined allowance never exceeded the smallest stream's");
    }
}
