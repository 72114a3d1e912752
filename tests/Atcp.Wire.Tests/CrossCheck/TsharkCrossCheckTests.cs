using Atcp.TestSupport;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Wire.Tests.CrossCheck;

/// <summary>Frames emitted by our Repr types (through PacketBuilder, and by hand the way a board
/// does it) are decoded by tshark, an independent implementation, with checksum validation on.
/// tshark must report the fields we meant and no checksum error, and must flag the frames we broke
/// on purpose, which shows the check can fail.</summary>
public class TsharkCrossCheckTests
{
    const string MacA = "02:00:00:00:00:01", MacB = "02:00:00:00:00:02", MacR = "02:00:00:00:00:fe";
    const string IpA = "198.18.0.1", IpB = "198.18.0.2", IpR = "198.18.0.254";

    static readonly string[] Fields =
    [
        "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
        "ip.src", "ip.dst", "ip.len", "ip.id", "ip.ttl", "ip.flags.df", "ip.proto", "ip.checksum.status",
        "icmp.type", "icmp.code", "icmp.ident", "icmp.seq", "icmp.mtu", "icmp.checksum.status",
        "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.hdr_len",
        "tcp.window_size_value", "tcp.len", "tcp.option_kind", "tcp.options.mss_val", "tcp.options.wscale.shift",
        "tcp.options.sack_perm", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
        "tcp.options.sack_le", "tcp.options.sack_re", "tcp.options.experimental.exid", "tcp.checksum.status", "tcp.payload",
        "udp.srcport", "udp.dstport", "udp.length", "udp.checksum.status", "data.data",
    ];

    // Decoded once for the whole class: one tshark run.
    static readonly Lazy<(List<(string Name, byte[] Frame)> Sent, IReadOnlyList<TsharkFrame> Decoded)> Capture = new(Run);

    static (List<(string, byte[])>, IReadOnlyList<TsharkFrame>) Run()
    {
        var frames = BuildFrames();
        var path = Path.Combine(Path.GetTempPath(), "atcp-wire-crosscheck-" + Environment.ProcessId + ".pcap");
        try
        {
            using (var writer = PcapWriter.Create(path))
                for (int i = 0; i < frames.Count; i++) writer.Write(frames[i].Item2, TimeSpan.FromSeconds(1_700_000_000) + TimeSpan.FromMilliseconds(i));
            var decoded = Tshark.Decode(path, Fields, ["tcp.relative_sequence_numbers:FALSE", "tcp.analyze_sequence_numbers:FALSE"]);
            return (frames, decoded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    static List<(string, byte[])> BuildFrames()
    {
        var list = new List<(string, byte[])>();
        list.Add(("arp-request", new PacketBuilder().Ethernet(MacA, "ff:ff:ff:ff:ff:ff")
            .Arp(ArpOperation.Request, MacA, IpA, "00:00:00:00:00:00", IpB).PadToMinimumFrame().Build()));
        list.Add(("arp-reply", new PacketBuilder().Ethernet(MacB, MacA)
            .Arp(ArpOperation.Reply, MacB, IpB, MacA, IpA).PadToMinimumFrame().Build()));

        var echo = new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB, ip => ip.Identification = 0x4242)
            .IcmpEchoRequest(0x1234, 7).Payload("0123456789abcdefghijklmnopqrstuv").Build();
        list.Add(("echo-request", echo));
        list.Add(("echo-reply", EchoReplyInPlace(echo)));

        var syn = new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB, ip => ip.DontFragment = true)
            .Tcp(40000, 80, 0x11223344, 0, TcpFlags.Syn, t =>
            {
                t.Window = 64240;
                t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460;
                t.SackPermitted = true;
                t.HasTimestamps = true; t.TimestampValue = 0xA0B0C0D0; t.TimestampEcho = 0;
                t.HasWindowScale = true; t.WindowScale = 7;
                t.SackBlockCount = 1; t.SackLeft[0] = 0x11223300; t.SackRight[0] = 0x11223310;
                // RFC 6994 experimental option, ExID 0x1234 plus one data byte: odd length, so EOL padding follows.
                byte[] experimental = [253, 5, 0x12, 0x34, 0x56];
                experimental.CopyTo(t.UnknownOptions, 0);
                t.UnknownOptionsLength = 5;
            }).Build();
        list.Add(("tcp-syn-all-options", syn));
        list.Add(("tcp-data-payload-sum", TcpDataTheBoardWay()));
        list.Add(("icmp-frag-needed", new PacketBuilder().Ethernet(MacR, MacA).IPv4(IpR, IpA)
            .IcmpFragmentationNeeded(1400, syn.AsSpan(14)).Build()));
        list.Add(("udp", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).Udp(40001, 9).Payload("ping!").PadToMinimumFrame().Build()));
        list.Add(("udp-no-checksum", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).Udp(40001, 9, withChecksum: false).Payload("x").Build()));

        list.Add(("bad-tcp", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).Tcp(40000, 80, 5, 6, TcpFlags.Ack).Payload("data").CorruptChecksum().Build()));
        list.Add(("bad-ip", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).Udp(40001, 9).Payload("data").CorruptIPv4Checksum().Build()));
        list.Add(("bad-udp", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).Udp(40001, 9).Payload("data").CorruptChecksum().Build()));
        list.Add(("bad-icmp", new PacketBuilder().Ethernet(MacA, MacB).IPv4(IpA, IpB).IcmpEchoRequest(1, 1).Payload("data").CorruptChecksum().Build()));
        return list;
    }

    // What a board does with a ping: swap addresses (the IP checksum is unchanged, the sum being
    // commutative), make the request a reply with an incremental checksum update.
    static byte[] EchoReplyInPlace(byte[] request)
    {
        var frame = (byte[])request.Clone();
        Array.Copy(request, 0, frame, 6, 6);
        Array.Copy(request, 6, frame, 0, 6);
        IPv4Header.SetSource(frame, 14, IPv4Header.GetDestination(request, 14));
        IPv4Header.SetDestination(frame, 14, IPv4Header.GetSource(request, 14));
        IcmpHeader.TurnEchoRequestIntoReply(frame, 34);
        return frame;
    }

    // What a board does to stream data: header reprs emitted into one buffer, payload copied in, and
    // the TCP checksum filled from a payload partial sum computed ahead of time.
    static byte[] TcpDataTheBoardWay()
    {
        byte[] payload = System.Text.Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog, 47 bytes.");
        ushort payloadSum = InternetChecksum.Sum(payload, 0, payload.Length); // "stored next to the data"
        var eth = new EthernetRepr { EtherType = EtherType.IPv4 };
        MacAddress.TryParse(MacB, eth.Source, 0);
        MacAddress.TryParse(MacA, eth.Destination, 0);
        var tcp = new TcpRepr
        {
            SourcePort = 80, DestinationPort = 40000, SequenceNumber = 0x55667701, AcknowledgmentNumber = 0x11223345,
            Flags = TcpFlags.Ack | TcpFlags.Psh, Window = 502, HasTimestamps = true, TimestampValue = 1000, TimestampEcho = 0xA0B0C0D0,
            SackBlockCount = 2,
        };
        tcp.SackLeft[0] = 0x11223345; tcp.SackRight[0] = 0x11223400;
        tcp.SackLeft[1] = 0x11223500; tcp.SackRight[1] = 0x11223600;
        var ip = new IPv4Repr { Source = PacketBuilder.Ip(IpB), Destination = PacketBuilder.Ip(IpA), Protocol = IpProtocol.Tcp, DontFragment = true, Identification = 0x0303, PayloadLength = tcp.Length + payload.Length };
        var frame = new byte[14 + ip.Length + tcp.Length + payload.Length];
        eth.Emit(frame, 0);
        ip.Emit(frame, 14);
        int t = 14 + ip.Length;
        tcp.Emit(frame, t);
        payload.CopyTo(frame, t + tcp.Length);
        TcpHeader.FillChecksum(ip.Source, ip.Destination, frame, t, tcp.Length, payload.Length, payloadSum);
        return frame;
    }

    static TsharkFrame Frame(string name)
    {
        var (sent, decoded) = Capture.Value;
        Assert.Equal(sent.Count, decoded.Count);
        int index = sent.FindIndex(s => s.Name == name);
        Assert.True(index >= 0, name);
        return decoded[index];
    }

    public static IEnumerable<object[]> GoodFrames() =>
        new[] { "arp-request", "arp-reply", "echo-request", "echo-reply", "tcp-syn-all-options", "tcp-data-payload-sum", "icmp-frag-needed", "udp", "udp-no-checksum" }
        .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(GoodFrames))]
    public void GoodFrame_HasNoChecksumErrorOrMalformation(string name)
    {
        var f = Frame(name);
        Assert.True(f.ChecksumErrors.Count == 0, name + ": " + string.Join("; ", f.ChecksumErrors));
        Assert.DoesNotContain(f.Expert, e => e.Message.Contains("Malformed", StringComparison.OrdinalIgnoreCase) || e.Severity >= 0x00800000);
        foreach (var status in new[] { "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "icmp.checksum.status" })
            Assert.DoesNotContain("0", f.All(status)); // 0 = Bad
    }

    [Theory]
    [InlineData("bad-tcp", "tcp.checksum.status")]
    [InlineData("bad-ip", "ip.checksum.status")]
    [InlineData("bad-udp", "udp.checksum.status")]
    [InlineData("bad-icmp", "icmp.checksum.status")]
    public void CorruptedFrame_IsFlaggedByTshark(string name, string statusField)
    {
        var f = Frame(name);
        Assert.NotEmpty(f.ChecksumErrors);
        Assert.Equal("0", f[statusField]);
    }

    [Fact]
    public void ArpFrames_DecodeAsSent()
    {
        var request = Frame("arp-request");
        Assert.Equal("1", request["arp.opcode"]);
        Assert.Equal(MacA, request["arp.src.hw_mac"]);
        Assert.Equal(IpA, request["arp.src.proto_ipv4"]);
        Assert.Equal("00:00:00:00:00:00", request["arp.dst.hw_mac"]);
        Assert.Equal(IpB, request["arp.dst.proto_ipv4"]);
        var reply = Frame("arp-reply");
        Assert.Equal("2", reply["arp.opcode"]);
        Assert.Equal(MacB, reply["arp.src.hw_mac"]);
        Assert.Equal(MacA, reply["arp.dst.hw_mac"]);
    }

    [Fact]
    public void IcmpEcho_DecodesAsSent_AndReplyKeepsData()
    {
        var request = Frame("echo-request");
        Assert.Equal("8", request["icmp.type"]);
        Assert.Equal("4660", request["icmp.ident"]);
        Assert.Equal("7", request["icmp.seq"]);
        Assert.Equal("0x4242", request["ip.id"]);
        Assert.Equal("60", request["ip.len"]);
        var reply = Frame("echo-reply");
        Assert.Equal("0", reply["icmp.type"]);
        Assert.Equal(IpB, reply["ip.src"]);
        Assert.Equal(IpA, reply["ip.dst"]);
        Assert.Equal(request["data.data"], reply["data.data"]);
    }

    [Fact]
    public void TcpSyn_DecodesEveryOptionKind()
    {
        var f = Frame("tcp-syn-all-options");
        Assert.Equal("40000", f["tcp.srcport"]);
        Assert.Equal("80", f["tcp.dstport"]);
        Assert.Equal("287454020", f["tcp.seq_raw"]);
        Assert.Equal("0x0002", f["tcp.flags"]);
        Assert.Equal("64240", f["tcp.window_size_value"]);
        Assert.Equal("60", f["tcp.hdr_len"]);
        Assert.Equal("1", f["ip.flags.df"]);
        // Layout: MSS, SACK-permitted + timestamps, NOP + window scale, NOP NOP + SACK, experimental,
        // then 3 EOL (zero) bytes of padding, which tshark lists one by one.
        Assert.Equal(["2", "4", "8", "1", "3", "1", "1", "5", "253", "0", "0", "0"], f.All("tcp.option_kind"));
        Assert.Equal("1460", f["tcp.options.mss_val"]);
        Assert.Equal("7", f["tcp.options.wscale.shift"]);
        Assert.NotNull(f["tcp.options.sack_perm"]);
        Assert.Equal(0xA0B0C0D0u.ToString(), f["tcp.options.timestamp.tsval"]);
        Assert.Equal("0", f["tcp.options.timestamp.tsecr"]);
        Assert.Equal([0x11223300u.ToString()], f.All("tcp.options.sack_le"));
        Assert.Equal([0x11223310u.ToString()], f.All("tcp.options.sack_re"));
        Assert.Equal("0x1234", f["tcp.options.experimental.exid"]);
    }

    [Fact]
    public void TcpData_WithPayloadSumChecksum_DecodesAsSent()
    {
        var f = Frame("tcp-data-payload-sum");
        Assert.Equal("1", f["tcp.checksum.status"]); // Good, from the supplied payload sum
        Assert.Equal(0x55667701u.ToString(), f["tcp.seq_raw"]);
        Assert.Equal(0x11223345u.ToString(), f["tcp.ack_raw"]);
        Assert.Equal("0x0018", f["tcp.flags"]);
        Assert.Equal("502", f["tcp.window_size_value"]);
        Assert.Equal("54", f["tcp.len"]);
        Assert.Equal(["1", "1", "8", "1", "1", "5"], f.All("tcp.option_kind"));
        Assert.Equal([0x11223345u.ToString(), 0x11223500u.ToString()], f.All("tcp.options.sack_le"));
        Assert.Equal([0x11223400u.ToString(), 0x11223600u.ToString()], f.All("tcp.options.sack_re"));
        Assert.Equal("1000", f["tcp.options.timestamp.tsval"]);
        Assert.StartsWith(Convert.ToHexString("The quick"u8).ToLowerInvariant(), f["tcp.payload"]);
    }

    [Fact]
    public void FragmentationNeeded_CarriesMtuAndQuotedSyn()
    {
        var f = Frame("icmp-frag-needed");
        Assert.Equal("3", f["icmp.type"]);
        Assert.Equal("4", f["icmp.code"]);
        Assert.Equal("1400", f["icmp.mtu"]);
        Assert.Equal([IpR, IpA], f.All("ip.src"));   // outer, then the quoted header
        Assert.Equal([IpA, IpB], f.All("ip.dst"));
        Assert.Equal("40000", f["tcp.srcport"]);
        Assert.Equal("287454020", f["tcp.seq"]); // only 8 bytes quoted: tshark shows the plain field
    }

    [Fact]
    public void Udp_DecodesAsSent_WithAndWithoutChecksum()
    {
        var f = Frame("udp");
        Assert.Equal("40001", f["udp.srcport"]);
        Assert.Equal("9", f["udp.dstport"]);
        Assert.Equal("13", f["udp.length"]);
        Assert.Equal("1", f["udp.checksum.status"]);
        Assert.Equal(Convert.ToHexString("ping!"u8).ToLowerInvariant(), f["data.data"]);
        var none = Frame("udp-no-checksum");
        Assert.Equal("9", none["udp.length"]);
        Assert.NotEqual("1", none["udp.checksum.status"]); // not verified: absent
    }
}
