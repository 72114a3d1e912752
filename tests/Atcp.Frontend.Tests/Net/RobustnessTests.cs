using Atcp.Frontend.Net;
using Atcp.Wire.Arp;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>Every parser-facing entry fed random, truncated and mutated frames never throws, and
/// everything the stack sends in reply still decodes with good checksums.</summary>
public class RobustnessTests
{
    // A stack with live state to disturb: connections in several states, a delegated reply
    // without a size, held ACKs, out-of-order data, and an upper layer that acts on events.
    static (NetHarness H, TestClient Client, List<byte[]> Seeds) Busy(int seed)
    {
        var random = new Random(seed);
        var h = new NetHarness(o => o with { SynBacklog = 4, MaxConnections = 64 });
        var owners = new List<(TcpConnection C, uint Start)>();
        h.Events.OnDataHandler = (c, now) =>
        {
            c.Consume(random.Next(c.Available + 1), now);
            switch (random.Next(4))
            {
                case 0: c.Send(new byte[random.Next(3000)], now); break;
                case 1: if (c.TryBeginDelegatedReply(new RecordingOwner(), now, out var s)) owners.Add((c, s.Sequence)); break;
                case 2: c.Close(now); break;
            }
            foreach (var (oc, start) in owners.ToArray())
            {
                if (random.Next(3) == 0) oc.SetDelegatedSize(start, random.Next(100_000), now);
                else if (random.Next(5) == 0) oc.CompleteDelegatedReply(start, now);
                else if (random.Next(50) == 0) oc.AbortDelegatedReply(start, now);
            }
        };
        var client = h.Client();
        var c = client.Connect();
        client.Send("GET / HTTP/1.1\r\n");
        c.TryBeginDelegatedReply(new RecordingOwner(), h.Now, out var start);
        client.SendAck(start.Sequence + 1000);
        client.SendAt(client.Seq + 50, "later");
        h.Client(11, 40001).Connect().Close(h.Now);
        h.Client(12, 40002).Syn();
        h.Link.Take();

        var seeds = new List<byte[]>
        {
            client.Frame(TcpFlags.Syn, 1, 0, configure: TestClient.DefaultSynOptions),
            client.Frame(TcpFlags.Ack | TcpFlags.Psh, client.Seq, client.Ack, "GET /more HTTP/1.1\r\n\r\n",
                t => { t.SackBlockCount = 2; t.SackLeft[0] = 5; t.SackRight[0] = 9; t.SackLeft[1] = 20; t.SackRight[1] = 30; }),
            client.Frame(TcpFlags.Fin | TcpFlags.Ack, client.Seq, start.Sequence + 500),
            client.Frame(TcpFlags.Rst, client.Seq + 3, 0),
            client.Frame(TcpFlags.Ack, client.Seq, start.Sequence + 2000),
            new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac)
                .Arp(ArpOperation.Request, client.Mac, client.Ip, new byte[6], NetHarness.ServiceIp).Build(),
            new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac).IPv4(client.Ip, NetHarness.ServiceIp)
                .Icmp(IcmpType.EchoRequest, 0, i => i.Identifier = 9).Payload("abcdefgh").Build(),
            new PacketBuilder().Ethernet(NetHarness.GatewayMac, NetHarness.ServiceMac).IPv4(NetHarness.GatewayIp, NetHarness.ServiceIp)
                .Icmp(IcmpType.DestinationUnreachable, IcmpUnreachableCode.FragmentationNeeded, i => i.NextHopMtu = 1000)
                .Payload(new PacketBuilder().IPv4(NetHarness.ServiceIp, client.Ip)
                    .Tcp(NetHarness.Port, client.Port, start.Sequence + 10, 0, TcpFlags.Ack).Build()[..28]).Build(),
        };
        return (h, client, seeds);
    }

    // A fresh connection for the same client port once the mutations have killed the last one.
    static void Reopen(NetHarness h, TestClient client, Random random)
    {
        h.Feed(new PacketBuilder().Ethernet(client.Mac, NetHarness.ServiceMac)
            .Arp(ArpOperation.Request, client.Mac, client.Ip, new byte[6], NetHarness.ServiceIp).Build());
        client.Isn = (uint)random.Next();
        client.Syn();
        var synAck = h.Link.Take().FirstOrDefault(f => f.Has(TcpFlags.Syn));
        if (synAck is null) return;
        client.ServerIsn = synAck.Tcp!.SequenceNumber;
        client.Ack = client.ServerIsn + 1;
        client.Send("GET / HTTP/1.1\r\n");
        h.Link.Take();
    }

    static void Feed(NetHarness h, byte[] frame, int length)
    {
        h.Stack.OnFrame(frame, length, h.Now);
        h.Link.Take(); // decodes every reply: a malformed one fails the test
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var (h, _, _) = Busy(1);
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            var frame = new byte[random.Next(0, 1600)];
            random.NextBytes(frame);
            if (frame.Length >= 14 && random.Next(2) == 0)
            {
                // Steer half of them past the Ethernet layer.
                NetHarness.ServiceMac.CopyTo(frame, 0);
                frame[12] = 0x08; frame[13] = (byte)(random.Next(2) == 0 ? 0x00 : 0x06);
            }
            Feed(h, frame, frame.Length);
            if (i % 100 == 0) h.Advance(random.Next(5000));
        }
    }

    [Fact]
    public void TruncatedValidFrames_AtEveryLength_NeverThrow()
    {
        var (h, _, seeds) = Busy(2);
        foreach (var seed in seeds)
            for (int length = -1; length <= seed.Length + 1; length++)
                Feed(h, (byte[])seed.Clone(), length);
    }

    [Fact]
    public void MutatedTcpSegmentsWithFixedChecksums_NeverThrowAndKeepTablesBounded()
    {
        for (int run = 0; run < 8; run++)
        {
            var (h, client, seeds) = Busy(100 + run);
            var random = new Random(run);
            for (int i = 0; i < 5000; i++)
            {
                byte[] frame = (byte[])seeds[random.Next(5)].Clone();
                int ip = 14, tcp = 34;
                int tcpLength = IPv4Header.GetTotalLength(frame, ip) - 20;
                // Mutate the TCP header (ports kept, so the segments reach connections), then fix the checksum.
                for (int m = random.Next(1, 6); m > 0; m--) frame[tcp + 4 + random.Next(16)] = (byte)random.Next(256);
                if (random.Next(4) == 0) frame[tcp + 12] = (byte)((random.Next(5, 16)) << 4);
                if (random.Next(3) == 0) TcpHeader.SetSequenceNumber(frame, tcp, client.Seq + (uint)random.Next(-100, 100));
                if (random.Next(3) == 0) TcpHeader.SetAcknowledgmentNumber(frame, tcp, client.Ack + (uint)random.Next(-100, 5000));
                TcpHeader.FillChecksum(client.Ip, NetHarness.ServiceIp, frame, tcp, tcpLength);
                Feed(h, frame, frame.Length);
                if (i % 50 == 0) { h.Advance(random.Next(3000)); h.Link.Take(); }
                if (i % 200 == 0 && client.Connection is null) Reopen(h, client, random);
                else if (i % 200 == 0) Feed(h, seeds[5], seeds[5].Length); // keep the client's ARP entry fresh
                Assert.True(h.Stack.Tcp.ConnectionCount <= 64);
            }
        }
    }

    [Fact]
    public void MutatedArpAndIcmp_NeverThrow()
    {
        var (h, _, seeds) = Busy(3);
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] frame = (byte[])seeds[5 + random.Next(3)].Clone();
            for (int m = random.Next(1, 6); m > 0; m--) frame[14 + random.Next(frame.Length - 14)] = (byte)random.Next(256);
            int ihl = IPv4Header.GetHeaderLength(frame, 14);
            if (frame[12] == 0x08 && frame[13] == 0x00 && random.Next(2) == 0 && ihl >= 20 && 14 + ihl <= frame.Length)
            {
                // Fix the checksums so the mutation reaches the ICMP and quoted-header code.
                IPv4Header.FillChecksum(frame, 14);
                int total = IPv4Header.GetTotalLength(frame, 14);
                if (total >= ihl + 8 && 14 + total <= frame.Length) IcmpHeader.FillChecksum(frame, 14 + ihl, total - ihl);
            }
            Feed(h, frame, frame.Length);
        }
    }
}
