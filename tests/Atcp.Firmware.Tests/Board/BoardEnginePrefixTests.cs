using Atcp.Firmware.Board;
using Atcp.Firmware.Tcp;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>Reply prefixes live in one shared pool from the COMMAND until the client acknowledges
/// them: sixteen streams with prefixes are served at once, a lost prefix is sent again, its bytes go
/// back to the pool once acknowledged, and a COMMAND arriving while the prefixes in flight fill the
/// pool waits (Busy, which the front-end retries) instead of failing.</summary>
public class BoardEngine_Prefixes
{
    static string Prefix(int stream, int length)
    {
        string head = "HTTP/1.1 200 OK\r\nX-Stream: " + stream + "\r\nX-Pad: ";
        return head + new string((char)('a' + stream % 26), length - head.Length - 4) + "\r\n\r\n";
    }

    [Fact]
    public void SixteenStreams_WithPrefixesAndLosses_AllArriveWhole_AndThePoolEmpties()
    {
        var objects = Enumerable.Range(0, BoardEngine.MaxStreams).Select(i => ("o" + i + ".bin", 20_000 + 3_001 * i)).ToArray();
        var h = new BoardEngineHarness(objects);
        var expected = new Dictionary<ushort, byte[]>();
        var next = new Dictionary<ushort, uint>();
        var got = new Dictionary<ushort, List<byte>>();
        var held = new Dictionary<ushort, SortedDictionary<uint, byte[]>>();
        for (int i = 0; i < BoardEngine.MaxStreams; i++)
        {
            string prefix = Prefix(i, 200 + 5 * i); // 16 typical HTTP headers: 3.8 KB in flight at once
            var c = h.Command((uint)(100 + i), "o" + i + ".bin", prefix: prefix, seq: (uint)(i * 1_000_000));
            c.ClientPort = (ushort)(41000 + i);
            h.Send(c);
            ushort port = c.ClientPort;
            expected[port] = System.Text.Encoding.ASCII.GetBytes(prefix).Concat(h.Objects["o" + i + ".bin"]).ToArray();
            next[port] = c.SequenceNumber;
            got[port] = [];
            held[port] = [];
        }

        var rng = new Random(5);
        var seen = new HashSet<(ushort, uint)>();
        int done = 0, accepted = 0;
        for (int p = 0; p < 20_000 && done < BoardEngine.MaxStreams; p++)
        {
            h.Poll();
            var (atcp, segments) = h.Take();
            foreach (var m in atcp)
            {
                if (m.Type == AtcpMessageType.Done) done++;
                if (m.Type == AtcpMessageType.ServiceAck && BoardEngineHarness.ServiceAck(m).Status == AtcpServiceStatus.Accepted) accepted++;
            }
            var touched = new HashSet<ushort>();
            foreach (var s in segments)
            {
                ushort port = s.Tcp!.DestinationPort;
                uint seq = s.Tcp.SequenceNumber;
                // Lose a tenth of first transmissions, the very first segment (the prefix) of every
                // fourth stream among them, so prefixes must be sent again before they are released.
                bool first = seen.Add((port, seq));
                bool isPrefixSegment = seq == (uint)((port - 41000) * 1_000_000);
                if (first && ((isPrefixSegment && port % 4 == 0) || rng.NextDouble() < 0.1)) continue;
                held[port][seq] = s.Payload;
                touched.Add(port);
            }
            foreach (ushort port in touched)
            {
                while (held[port].Remove(next[port], out var data)) { got[port].AddRange(data); next[port] += (uint)data.Length; }
                h.Ack((uint)(100 + port - 41000), next[port]);
            }
            h.Now += 5;
        }

        Assert.Equal(BoardEngine.MaxStreams, accepted);
        Assert.Equal(BoardEngine.MaxStreams, done);
        foreach (var (port, bytes) in expected) Assert.Equal(bytes, got[port].ToArray());
        Assert.True(h.Engine.Counters.Retransmissions > 0);
        Assert.Equal(0, h.Engine.Prefixes.Used);
        Assert.Equal(0, h.Engine.Counters.PrefixPoolFull);
    }

    [Fact]
    public void LostPrefix_IsSentAgainFromThePool_AndReleasedOnlyOnceAcknowledged()
    {
        var h = new BoardEngineHarness(("a.bin", 10_000));
        string prefix = Prefix(1, 300);
        h.Send(h.Command(21, "a.bin", prefix: prefix, seq: 0, mss: 536));
        h.Poll();
        var first = h.Take().Segments;
        Assert.Equal(300, h.Engine.Prefixes.Used);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(prefix), first[0].Payload.Take(300).ToArray());

        // The client got nothing: after the retransmission timeout the prefix comes again.
        h.Now += 5_000;
        h.Poll();
        var again = h.Take().Segments;
        Assert.Equal(0u, again[0].Tcp!.SequenceNumber);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(prefix), again[0].Payload.Take(300).ToArray());
        Assert.Equal(300, h.Engine.Prefixes.Used);

        h.Ack(21, 299); h.Poll(); // one byte short: still needed
        Assert.Equal(300, h.Engine.Prefixes.Used);
        h.Ack(21, 300); h.Poll();
        Assert.Equal(0, h.Engine.Prefixes.Used);
        var rest = h.Transfer(21, 300);
        Assert.Equal(h.Objects["a.bin"], rest.Skip(rest.Length - 10_000).ToArray());
    }

    [Fact]
    public void PrefixesInFlight_FillingThePool_MakeTheNextCommandBusy_UntilOneIsAcknowledged()
    {
        var h = new BoardEngineHarness(("a.bin", 100_000));
        int largest = ReplyStream.MaxPrefixLength;
        int fit = PrefixPool.DefaultCapacity / largest;
        for (int i = 0; i < fit; i++) h.Send(h.Command((uint)(31 + i), "a.bin", prefix: Prefix(i, largest), seq: 0, window: 0));
        h.Send(h.Command(99, "a.bin", prefix: Prefix(9, 200), seq: 0));
        h.Poll(2);
        var acks = h.Take().Atcp.Where(m => m.Type == AtcpMessageType.ServiceAck).Select(BoardEngineHarness.ServiceAck).ToList();
        Assert.Equal(fit, acks.Count(a => a.Status == AtcpServiceStatus.Accepted));
        Assert.Equal(AtcpServiceStatus.Busy, acks.Single(a => a.StreamId == 99).Status);
        Assert.Equal(1, h.Engine.Counters.PrefixPoolFull);
        Assert.Equal(PrefixPool.DefaultCapacity, h.Engine.Prefixes.Used);

        // Stream 31's window opens and the client acknowledges its prefix: the retried COMMAND fits.
        h.Ack(31, 0, window: 65535); h.Poll();
        h.Ack(31, (uint)largest); h.Poll();
        Assert.Equal(PrefixPool.DefaultCapacity - largest, h.Engine.Prefixes.Used);
        h.Take();
        h.Send(h.Command(99, "a.bin", prefix: Prefix(9, 200), seq: 0));
        h.Poll();
        Assert.Equal(AtcpServiceStatus.Accepted, BoardEngineHarness.ServiceAck(h.Take().Atcp.First()).Status);
    }
}
