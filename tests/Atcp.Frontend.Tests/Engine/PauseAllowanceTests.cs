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
            var steady = c.FrontEnd.Dispatcher.Streams.Where(s => s.Phase == StreamPhase.Running && s.Coalescer.TolerableAckBytes > 0 && !s.FinalAcked).ToList();
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

    static (SimulatedCluster, List<(string, byte[])>) Cluster(int objects, int size)
    {
        var list = Enumerable.Range(0, objects).Select(i => { var d = new byte[size]; new Random(i).NextBytes(d); return ("o" + i + ".bin", d); }).ToList();
        var c = new SimulatedCluster(1, list, copies: 1) { Rng = new Random(7), BoardBytesPerMs = 2500, LinkDelayMs = 1 };
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == objects);
        return (c, list);
    }

    static SimClient Get(SimulatedCluster c, int i)
    {
        var client = c.AddClient(0xC6120064u + (uint)i, (ushort)(40500 + i));
        client.Connect();
        client.Request("GET /o" + i + ".bin HTTP/1.1\r\nHost: storage\r\n\r\n");
        return client;
    }

    [Fact]
    public void IdleBoard_WhileItsAnswerOrDoneIsAwaited_ThePauseEndsOnIt()
    {
        // A board's SERVICE_ACK and DONE do not end a pause (the daemon's request filter): while one
        // is awaited from an idle board the pause must end on it, or each would cost the client a pause.
        var (c, objects) = Cluster(1, 200_000);
        var client = Get(c, 0);
        bool sawCommanded = false, sawFinal = false;
        c.Run(60_000, () =>
        {
            var s = c.FrontEnd.Dispatcher.Streams.SingleOrDefault();
            if (s != null && s.Phase == StreamPhase.Commanded)
            {
                sawCommanded = true;
                Assert.True(c.FrontEnd.TolerableAckWaitUs >= 0);
                Assert.True(c.FrontEnd.PauseEndsOnBoardAnswer);
            }
            if (s != null && s.Phase == StreamPhase.Running && s.FinalAcked)
            {
                sawFinal = true; // the client acknowledged every byte: only DONE is awaited
                Assert.True(c.FrontEnd.TolerableAckWaitUs >= 0);
                Assert.True(c.FrontEnd.PauseEndsOnBoardAnswer);
            }
            return client.Responses().Count == 1 && c.FrontEnd.Dispatcher.Counters.Completed == 1;
        });
        Assert.Equal(objects[0].Item2, client.Responses().Single().Body);
        Assert.True(sawCommanded, "never saw the COMMAND awaiting its answer");
        Assert.True(sawFinal, "never saw the reply awaiting DONE");
    }

    [Fact]
    public void BusyBoard_NewRequestsAnswer_DoesNotStopThePause()
    {
        var (c, objects) = Cluster(2, 1_500_000);
        var first = Get(c, 0);
        c.Run(60_000, () => c.FrontEnd.Dispatcher.Streams.Any(s => s.Phase == StreamPhase.Running && s.Coalescer.Steady));
        var second = Get(c, 1);
        bool sawCommanded = false;
        c.Run(60_000, () =>
        {
            var streams = c.FrontEnd.Dispatcher.Streams.ToList();
            if (streams.Any(s => s.Phase == StreamPhase.Commanded) && streams.Any(s => s.Phase == StreamPhase.Running && s.Coalescer.Steady))
            {
                sawCommanded = true;
                Assert.True(c.FrontEnd.TolerableAckWaitUs > 0, "pause " + c.FrontEnd.TolerableAckWaitUs);
                Assert.False(c.FrontEnd.PauseEndsOnBoardAnswer); // its answer waits for the round
            }
            return first.Responses().Count == 1 && second.Responses().Count == 1;
        });
        Assert.Equal(objects[0].Item2, first.Responses().Single().Body);
        Assert.Equal(objects[1].Item2, second.Responses().Single().Body);
        Assert.True(sawCommanded, "never saw the second COMMAND awaiting its answer next to a steady stream");
    }

    [Fact]
    public void StreamsStartingTogether_OneWithoutARateYet_DoNotForceTheFloor()
    {
        // Four connections ask one board at once: until a stream has a measured rate it allows no
        // wait of its own, but its siblings keep the board's link busy, so their allowance counts.
        var (c, objects) = Cluster(4, 400_000);
        var clients = Enumerable.Range(0, 4).Select(i => Get(c, i)).ToList();
        int samples = 0;
        c.Run(60_000, () =>
        {
            var running = c.FrontEnd.Dispatcher.Streams.Where(s => s.Phase == StreamPhase.Running && !s.FinalAcked).ToList();
            if (running.Any(s => s.Coalescer.BytesPerMs <= 0) && running.Any(s => s.Coalescer.TolerableAckBytes > 0))
            {
                samples++;
                Assert.True(c.FrontEnd.Dispatcher.TolerableAckWaitUs > 0, "a stream without a rate forced the floor");
            }
            return clients.All(x => x.Responses().Count == 1);
        });
        for (int i = 0; i < 4; i++) Assert.Equal(objects[i].Item2, clients[i].Responses().Single().Body);
        Assert.True(samples > 0, "never saw a stream without a rate next to one with");
    }
}
