using System.Text;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>The front-end engine and real board engines on a simulated switch, serving simulated
/// clients on a virtual clock: the whole ATCP exchange (seed Fig. 2) without a kernel.</summary>
public class ClusterSimulationTests
{
    static (string, byte[]) Obj(string name, int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return (name, b);
    }

    static SimulatedCluster Boot(int boards, params (string, byte[])[] objects)
    {
        var c = new SimulatedCluster(boards, objects);
        // Every board heard and its inventory loaded.
        c.Run(5000, () => c.FrontEnd.Boards.Registry.Boards.Count() == boards
            && c.FrontEnd.Boards.Registry.Boards.All(b => !c.FrontEnd.Boards.Registry.NeedsInventory(b.Id))
            && c.FrontEnd.Dispatcher.Catalog.Count == objects.Length);
        Assert.Equal(objects.Length, c.FrontEnd.Dispatcher.Catalog.Count);
        return c;
    }

    static string Get(string path, string extra = "") => $"GET {path} HTTP/1.1\r\nHost: storage\r\n{extra}\r\n";

    [Fact]
    public void Get_ObjectOnABoard_ArrivesExact_FromTheBoardsMac_WithTheServiceAddress()
    {
        var obj = Obj("videos/clip.bin", 300_000, 1);
        var c = Boot(2, obj);
        var client = c.AddClient(0xC6120064, 40001);
        client.Connect();
        client.Request(Get("/videos/clip.bin"));
        c.Run(20_000, () => client.Responses().Count == 1);
        var (head, body) = client.Responses().Single();
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.Equal(obj.Item2, body);
        Assert.Equal(0, client.ChecksumErrors);
        // The body came from a board's MAC, not the front-end's.
        string fe = Convert.ToHexString(SimulatedCluster.FrontEndMac);
        long fromBoards = client.DataBytesFromMac.Where(kv => kv.Key != fe).Sum(kv => kv.Value);
        Assert.True(fromBoards >= 300_000, $"board bytes {fromBoards}");
        // The client's last ACK still has to reach the board and its DONE the front-end.
        c.Run(100, () => c.FrontEnd.Dispatcher.Counters.Completed == 1);
        Assert.Equal(1, c.FrontEnd.Dispatcher.Counters.Completed);
        // Data never passes through the front-end: what it sent is a small fraction of the body.
        long feBytes = c.BytesFrom[fe];
        Assert.True(feBytes < 300_000 * 0.03, $"front-end sent {feBytes} bytes for a 300 KB reply");
    }

    [Fact]
    public void KeepAlive_ResponsesFromDifferentBoards_ArriveInOrderOnOneConnection()
    {
        var objects = Enumerable.Range(0, 6).Select(i => Obj($"o{i}.bin", 20_000 + i * 1111, 10 + i)).ToArray();
        var c = Boot(3, objects);
        var client = c.AddClient(0xC6120064, 40002);
        var sb = new StringBuilder();
        foreach (var o in objects) sb.Append(Get("/" + o.Item1));
        client.Connect();
        client.Request(sb.ToString());
        c.Run(30_000, () => client.Responses().Count == objects.Length);
        var responses = client.Responses();
        Assert.Equal(objects.Length, responses.Count);
        for (int i = 0; i < objects.Length; i++) Assert.Equal(objects[i].Item2, responses[i].Body);
        string fe = Convert.ToHexString(SimulatedCluster.FrontEndMac);
        Assert.True(client.DataBytesFromMac.Keys.Count(k => k != fe) >= 2, "responses came from one board only: " + string.Join(", ", client.DataBytesFromMac.Select(kv => kv.Key + "=" + kv.Value)));
    }

    [Fact]
    public void MissingObject_Gets404_FromTheFrontEnd_AndTheConnectionStaysUsable()
    {
        var obj = Obj("a.bin", 5000, 2);
        var c = Boot(1, obj);
        var client = c.AddClient(0xC6120064, 40003);
        client.Connect();
        client.Request(Get("/nope.bin") + Get("/a.bin"));
        c.Run(10_000, () => client.Responses().Count == 2);
        var r = client.Responses();
        Assert.StartsWith("HTTP/1.1 404", r[0].Head);
        Assert.StartsWith("HTTP/1.1 200", r[1].Head);
        Assert.Equal(obj.Item2, r[1].Body);
    }

    [Fact]
    public void RangeRequest_Gets206_WithExactlyThoseBytes()
    {
        var obj = Obj("big.bin", 100_000, 3);
        var c = Boot(2, obj);
        var client = c.AddClient(0xC6120064, 40004);
        client.Connect();
        client.Request(Get("/big.bin", "Range: bytes=12345-67889\r\n"));
        c.Run(10_000, () => client.Responses().Count == 1);
        var (head, body) = client.Responses().Single();
        Assert.StartsWith("HTTP/1.1 206", head);
        Assert.Contains("Content-Range: bytes 12345-67889/100000", head);
        Assert.Equal(obj.Item2.AsSpan(12345, 67889 - 12345 + 1).ToArray(), body);
    }

    [Fact]
    public void MoreClientsThanStreamSlots_RequestsWaitForASlot_EveryClientGetsItsObject()
    {
        // One board has 16 stream slots; 24 clients ask at once. The board answers the extra
        // COMMANDs Busy ("try later"): the front-end must ask again, not answer 503.
        var obj = Obj("popular.bin", 60_000, 7);
        var c = Boot(1, obj);
        var clients = Enumerable.Range(0, 24).Select(i => c.AddClient(0xC6120064, (ushort)(41000 + i))).ToList();
        foreach (var client in clients) client.Connect();
        foreach (var client in clients) client.Request(Get("/popular.bin"));
        c.Run(60_000, () => clients.All(x => x.Responses().Count == 1));
        Assert.All(clients, client =>
        {
            var (head, body) = Assert.Single(client.Responses());
            Assert.StartsWith("HTTP/1.1 200", head);
            Assert.Equal(obj.Item2, body);
        });
        Assert.True(c.FrontEnd.Dispatcher.Counters.Refusals > 0, "the board never said Busy: the test did not reach the limit");
    }

    [Theory]
    [InlineData(0.02, 5)]
    [InlineData(0.05, 6)]
    public void LossOnTheSwitch_EveryByteStillArrives(double loss, int seed)
    {
        var obj = Obj("lossy.bin", 400_000, 4);
        var c = Boot(2, obj);
        c.Loss = loss;
        c.Rng = new Random(seed);
        var client = c.AddClient(0xC6120064, 40005);
        client.Connect();
        client.Request(Get("/lossy.bin"));
        c.Run(120_000, () => client.Responses().Count == 1);
        Assert.True(c.FramesLost > 0);
        Assert.Equal(obj.Item2, client.Responses().Single().Body);
    }
}

/// <summary>Throughput under loss on the simulated cluster, in simulated time: a board link of
/// 20 Mbit/s, 1 ms each way, 2% of every frame dropped (data, client ACKs, relays, board messages).</summary>
public class LossyClusterThroughputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static long TimeToDownload(double loss, int seed, int size, out SimulatedCluster cluster, out byte[] data)
    {
        data = new byte[size];
        new Random(99).NextBytes(data);
        var c = new SimulatedCluster(1, [("big.bin", data)]);
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 1);
        Assert.Equal(1, c.FrontEnd.Dispatcher.Catalog.Count);
        c.LinkDelayMs = 1;
        c.BoardBytesPerMs = 2500; // 20 Mbit/s
        c.Loss = loss;
        c.Rng = new Random(seed);
        var client = c.AddClient(0xC6120064, 40100);
        client.Connect();
        client.Request("GET /big.bin HTTP/1.1\r\nHost: storage\r\n\r\n");
        long start = c.Now;
        c.Run(600_000, () => client.Responses().Count == 1);
        Assert.Equal(data, client.Responses().Single().Body);
        cluster = c;
        return c.Now - start;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TwoPercentLoss_KeepsMostOfTheLosslessRate(int seed)
    {
        const int size = 3_000_000;
        long clean = TimeToDownload(0, seed, size, out _, out _);
        long lossy = TimeToDownload(0.02, seed, size, out var c, out _);
        output.WriteLine("lossless " + clean + " ms, 2% loss " + lossy + " ms (" + c.FramesLost + " frames dropped)");
        Assert.True(c.FramesLost > 50, "only " + c.FramesLost + " frames dropped");
        // 2% loss with fast recovery costs a few RTTs per loss episode, not an RTO each.
        Assert.True(lossy < clean * 2, "lossless " + clean + " ms, 2% loss " + lossy + " ms");
    }
}
