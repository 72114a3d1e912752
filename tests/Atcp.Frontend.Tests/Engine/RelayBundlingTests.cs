using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>A round's relays for one board leave as one frame (CLIENT_ACKS, SPEC 5.12), which also
/// carries the held ACKs of the board's other streams worth carrying; loss signals still go alone as
/// CLIENT_ACK, and a frame only ever carries streams of the board it goes to.</summary>
public class RelayBundlingTests
{
    sealed record RelayFrame(string BoardMac, byte Type, uint[] Streams, int Sacks);

    sealed class Run
    {
        public required SimulatedCluster Cluster;
        public required List<SimClient> Clients;
        public required List<byte[]> Objects;
        public readonly List<RelayFrame> Relays = new();
        public readonly Dictionary<uint, string> CommandedTo = new();
    }

    static Run Download(int boards, int streams, int size, double loss = 0, int seed = 1)
    {
        var objects = Enumerable.Range(0, streams).Select(i => { var d = new byte[size]; new Random(seed + i).NextBytes(d); return d; }).ToList();
        var c = new SimulatedCluster(boards, objects.Select((d, i) => ("o" + i + ".bin", d)), copies: 1) { Rng = new Random(seed) };
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == streams);
        var run = new Run { Cluster = c, Clients = new(), Objects = objects };
        string fe = Convert.ToHexString(SimulatedCluster.FrontEndMac);
        c.Drop = f =>
        {
            if (EthernetHeader.GetEtherType(f, 0) != EtherType.Atcp || Convert.ToHexString(f, 6, 6) != fe) return false;
            byte type = AtcpHeader.GetMessageType(f, AtcpFrame.HeaderOffset);
            int length = AtcpHeader.GetBodyLength(f, AtcpFrame.HeaderOffset);
            string to = Convert.ToHexString(f, 0, 6);
            if (type == (byte)AtcpMessageType.Command)
                run.CommandedTo[NetworkOrder.ReadUInt32(f, AtcpFrame.BodyOffset)] = to;
            else if (type == (byte)AtcpMessageType.ClientAck)
            {
                var m = new AtcpClientAckRepr();
                Assert.Equal(ParseStatus.Ok, m.Parse(f, AtcpFrame.BodyOffset, length));
                run.Relays.Add(new RelayFrame(to, type, [m.StreamId], m.SackCount));
            }
            else if (type == (byte)AtcpMessageType.ClientAcks)
            {
                var m = new AtcpClientAcksRepr();
                Assert.Equal(ParseStatus.Ok, m.Parse(f, AtcpFrame.BodyOffset, length));
                run.Relays.Add(new RelayFrame(to, type, Enumerable.Range(0, m.Count).Select(i => m.Entry(i).StreamId).ToArray(), 0));
            }
            return false;
        };
        c.Loss = loss;
        for (int i = 0; i < streams; i++)
        {
            var client = c.AddClient(0xC6120064u + (uint)i, (ushort)(40300 + i));
            client.Connect();
            client.Request("GET /o" + i + ".bin HTTP/1.1\r\nHost: storage\r\n\r\n");
            run.Clients.Add(client);
        }
        c.Run(120_000, () => run.Clients.All(x => x.Responses().Count == 1));
        c.Run(500, () => c.FrontEnd.Dispatcher.Counters.Completed == streams);
        for (int i = 0; i < streams; i++) Assert.Equal(objects[i], run.Clients[i].Responses().Single().Body);
        return run;
    }

    [Fact]
    public void FourStreamsOnOneBoard_ShareRelayFrames_AndEveryByteArrives()
    {
        var run = Download(boards: 1, streams: 4, size: 600_000);

        var bundles = run.Relays.Where(r => r.Type == (byte)AtcpMessageType.ClientAcks).ToList();
        Assert.NotEmpty(bundles);
        Assert.All(bundles, b => Assert.Equal(b.Streams.Length, b.Streams.Distinct().Count())); // a stream at most once
        long relayedAcks = run.Cluster.FrontEnd.Dispatcher.Counters.RelayedAcks;
        Assert.Equal(relayedAcks, run.Relays.Sum(r => r.Streams.Length));
        Assert.Equal(run.Cluster.FrontEnd.Dispatcher.Counters.RelayFrames, run.Relays.Count);
        Assert.True(run.Relays.Count * 4 < relayedAcks * 3, run.Relays.Count + " frames for " + relayedAcks + " relayed ACKs");
    }

    [Fact]
    public void StreamsOnDifferentBoards_NeverShareAFrame()
    {
        var run = Download(boards: 3, streams: 6, size: 300_000);

        foreach (var r in run.Relays)
            foreach (uint stream in r.Streams)
                Assert.Equal(run.CommandedTo[stream], r.BoardMac);
        Assert.Contains(run.Relays, r => r.Streams.Length > 1);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void UnderLoss_SackRelaysGoAloneAsClientAck_AndEveryByteArrives(int seed)
    {
        var run = Download(boards: 1, streams: 3, size: 400_000, loss: 0.02, seed: seed);

        Assert.Contains(run.Relays, r => r.Type == (byte)AtcpMessageType.ClientAck && r.Sacks > 0);
        Assert.Contains(run.Relays, r => r.Type == (byte)AtcpMessageType.ClientAcks);
    }
}
