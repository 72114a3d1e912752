using Atcp.Frontend.Cluster;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.Ethernet;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>Relays decided while one loop round's frames are handled leave at the round's end, one
/// CLIENT_ACK per stream carrying the newest ACK: a burst of client ACKs costs the board one frame,
/// not one each, while loss signals still go one by one.</summary>
public class RelayMergingTests
{
    sealed record Relayed(long Now, uint Ack, byte Flags, int Sacks);

    static (SimulatedCluster Cluster, SimClient Client, List<Relayed> Relays, byte[] Object) Download(int size, double loss = 0, int seed = 1)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        var c = new SimulatedCluster(1, [("o.bin", data)]) { Rng = new Random(seed) };
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 1);
        var relays = new List<Relayed>();
        c.Drop = f =>
        {
            if (EthernetHeader.GetEtherType(f, 0) == EtherType.Atcp && Convert.ToHexString(f, 6, 6) == Convert.ToHexString(SimulatedCluster.FrontEndMac)
                && AtcpHeader.GetMessageType(f, AtcpFrame.HeaderOffset) == (byte)AtcpMessageType.ClientAck)
            {
                var m = new AtcpClientAckRepr();
                Assert.Equal(ParseStatus.Ok, m.Parse(f, AtcpFrame.BodyOffset, AtcpHeader.GetBodyLength(f, AtcpFrame.HeaderOffset)));
                relays.Add(new Relayed(c.Now, m.AckNumber, m.Flags, m.SackCount));
            }
            return false;
        };
        c.Loss = loss;
        var client = c.AddClient(0xC6120064, 40300);
        client.Connect();
        client.Request("GET /o.bin HTTP/1.1\r\nHost: storage\r\n\r\n");
        c.Run(60_000, () => client.Responses().Count == 1);
        c.Run(200, () => c.FrontEnd.Dispatcher.Counters.Completed == 1);
        return (c, client, relays, data);
    }

    [Fact]
    public void SlowStart_ClientAcksOfOneBurst_ReachTheBoardAsOneClientAckWithTheNewestAck()
    {
        var (c, client, relays, data) = Download(300_000);

        Assert.Equal(data, client.Responses().Single().Body);
        // The client acknowledges every segment, and every ACK of the first 64 KB is a relay
        // decision (eager start); the board's bursts arrive together, so their ACKs share rounds.
        uint first = relays[0].Ack;
        var eager = relays.Where(r => r.Ack - first < AckCoalescer.EagerStartBytes).ToList();
        long clientAcksInEager = AckCoalescer.EagerStartBytes / 1460;
        Assert.True(eager.Count * 3 < clientAcksInEager, eager.Count + " relays for about " + clientAcksInEager + " client ACKs");
        // Merged relays carry the newest ACK: the numbers only grow.
        for (int i = 1; i < relays.Count; i++) Assert.True((int)(relays[i].Ack - relays[i - 1].Ack) > 0, "relay " + i + " went back or repeated");
        Assert.Equal(c.FrontEnd.Dispatcher.Counters.RelayedAcks, relays.Count);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void UnderLoss_DuplicatesAndSackRelaysGoOneByOne_AndEveryByteArrives(int seed)
    {
        var (_, client, relays, data) = Download(400_000, loss: 0.02, seed: seed);

        Assert.Equal(data, client.Responses().Single().Body);
        Assert.Contains(relays, r => r.Sacks > 0);
        // A repeated ACK number reaches the board only as a loss signal (it counts those).
        for (int i = 1; i < relays.Count; i++)
            if (relays[i].Ack == relays[i - 1].Ack)
                Assert.True(relays[i].Sacks > 0 || (relays[i].Flags & AtcpClientAckFlags.Duplicate) != 0, "relay " + i + " repeats an ACK without a loss signal");
    }
}
