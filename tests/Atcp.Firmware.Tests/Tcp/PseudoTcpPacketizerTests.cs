using Atcp.Firmware.Tcp;
using Atcp.TestSupport;
using Atcp.Wire;
using Atcp.Wire.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

public class PseudoTcpPacketizerTests
{
    static readonly byte[] BoardMac = [0x02, 0xA7, 0xC9, 0, 0, 0x01];
    static readonly byte[] ClientMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    const uint ServiceIp = 0xC6120001; // 198.18.0.1
    const uint ClientIp = 0xC6120064;  // 198.18.0.100

    static (ReplyStream Stream, MemoryPayloadSource Source, byte[] Data) MakeStream(int size, int chunk, string prefix,
        long rangeOffset, long rangeLength, int mss = 1460)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var source = new MemoryPayloadSource(data, chunk);
        var s = new ReplyStream { Source = source, RangeOffset = rangeOffset, RangeLength = rangeLength, AckNumber = 0x01020304, AdvertisedWindow = 502 };
        var p = System.Text.Encoding.ASCII.GetBytes(prefix);
        // The prefix sits inside a larger shared buffer, as in the board's prefix pool.
        s.PrefixBuffer = new byte[7 + p.Length + 5];
        Array.Copy(p, 0, s.PrefixBuffer, 7, p.Length);
        s.PrefixOffset = 7;
        s.PrefixHeld = p.Length;
        s.PrefixLength = p.Length;
        s.PrefixSum = InternetChecksum.Sum(p, 0, p.Length);
        PseudoTcpPacketizer.WriteTemplate(s.HeaderTemplate, BoardMac, ClientMac, ServiceIp, 80, ClientIp, 40000, 64);
        s.Planner.Configure(p.Length, rangeOffset, rangeLength, chunk);
        s.Sender.Start(s.Planner, 0xFFFFFF00, s.TotalLength, mss, 65535, 7, 0, 0);
        return (s, source, data);
    }

    static List<byte[]> SendAll(ReplyStream s, PseudoTcpPacketizer p)
    {
        var frames = new List<byte[]>();
        while (s.Sender.State == SenderState.Sending)
        {
            while (s.Sender.NextSegment(0, out var off, out var len, out _))
            {
                var frame = new byte[PseudoTcpPacketizer.HeaderLength + len];
                bool last = off + len == s.TotalLength;
                Assert.Equal(Hal.BlockStatus.Ok, p.Build(s, off, len, (byte)(TcpFlags.Ack | (last ? TcpFlags.Psh : 0)), frame, 0));
                frames.Add(frame);
            }
            s.Sender.OnAck((uint)(s.Sender.InitialSequence + (ulong)s.Sender.HighestSent), 65535, [], [], 0, 0);
        }
        return frames;
    }

    static byte[] Reassemble(List<byte[]> frames) =>
        frames.SelectMany(f => f.Skip(PseudoTcpPacketizer.HeaderLength)).ToArray();

    [Theory]
    [InlineData(100_000, 292, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", 0, 100_000)]
    [InlineData(100_001, 292, "HTTP/1.1 206 Partial\r\n\r\n", 1001, 55_555)]   // odd prefix, unaligned range
    [InlineData(5000, 128, "", 0, 5000)]
    [InlineData(5000, 0, "X", 3, 4000)]                                          // medium without sums
    public void Segments_CarryPrefixThenRange_WithValidChecksums(int size, int chunk, string prefix, long rangeOffset, long rangeLength)
    {
        var (s, _, data) = MakeStream(size, chunk, prefix, rangeOffset, rangeLength);
        var p = new PseudoTcpPacketizer(7);
        var frames = SendAll(s, p);
        var expected = System.Text.Encoding.ASCII.GetBytes(prefix).Concat(data.Skip((int)rangeOffset).Take((int)rangeLength)).ToArray();
        Assert.Equal(expected, Reassemble(frames));
        foreach (var f in frames)
        {
            var d = DecodedFrame.Decode(f);
            Assert.Equal(ParseStatus.Ok, d.Status);
            Assert.True(TcpHeader.VerifyChecksum(ServiceIp, ClientIp, f, 34, f.Length - 34), "TCP checksum");
            Assert.Equal((ushort)80, d.Tcp!.SourcePort);
            Assert.Equal(0x01020304u, d.Tcp.AcknowledgmentNumber);
        }
    }

    [Fact]
    public void AlignedStream_NeverSumsPayloadInManagedCode_ExceptPrefix()
    {
        var (s, _, _) = MakeStream(1_000_000, 292, "", 0, 1_000_000);
        var p = new PseudoTcpPacketizer(1);
        var frames = SendAll(s, p);
        Assert.Equal(0, p.BytesSummedInManagedCode);
        Assert.Equal(1_000_000, p.BytesSummedFromStore);
        Assert.All(frames.SkipLast(1), f => Assert.Equal(1460, f.Length - PseudoTcpPacketizer.HeaderLength));
    }

    [Fact]
    public void WrongStoredSum_ShowsUpInTheEmittedChecksum()
    {
        // Proves the checksum comes from the stored sums, not from the payload bytes.
        var (s, source, _) = MakeStream(10_000, 292, "", 0, 10_000);
        source.CorruptSum(6); // bytes 1752..2043: second segment
        var frames = SendAll(s, new PseudoTcpPacketizer(1));
        var bad = frames.Select((f, i) => (i, ok: TcpHeader.VerifyChecksum(ServiceIp, ClientIp, f, 34, f.Length - 34)))
            .Where(x => !x.ok).Select(x => x.i).ToList();
        Assert.Equal(new[] { 1 }, bad);
    }

    [Fact]
    public void Segments_DecodeInTshark_WithoutChecksumErrors()
    {
        var (s, _, _) = MakeStream(30_000, 292, "HTTP/1.1 200 OK\r\n\r\n", 7, 20_000);
        var frames = SendAll(s, new PseudoTcpPacketizer(100));
        var decoded = Tshark.DecodeFrames(frames, "ip.src", "tcp.srcport", "tcp.seq_raw", "tcp.len", "ip.flags.df");
        Assert.Equal(frames.Count, decoded.Count);
        uint seq = 0xFFFFFF00;
        foreach (var d in decoded)
        {
            Assert.Empty(d.ChecksumErrors);
            Assert.Equal("198.18.0.1", d["ip.src"]);
            Assert.Equal("80", d["tcp.srcport"]);
            Assert.Equal(seq.ToString(), d["tcp.seq_raw"]);
            seq += uint.Parse(d["tcp.len"]!);
        }
    }
}
