using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Firmware.Udp;
using Atcp.TestSupport;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Udp;
using static Atcp.Firmware.Tests.Udp.UdpStreamKit;

namespace Atcp.Firmware.Tests.Udp;

public class PseudoUdpPacketizer_Datagrams
{
    const int UdpAt = 34;

    static bool UdpChecksumOk(byte[] f) => UdpHeader.VerifyChecksum(ServiceIp, ClientIp, f, UdpAt, f.Length - UdpAt);

    [Theory]
    [InlineData(100_000, 292, 1460, AtcpDatagramFraming.TftpData, 0UL, AtcpStream.RangeToEnd)]
    [InlineData(100_001, 292, 1460, AtcpDatagramFraming.TftpData, 0UL, AtcpStream.RangeToEnd)]   // short last chunk
    [InlineData(8192, 512, 512, AtcpDatagramFraming.TftpData, 0UL, AtcpStream.RangeToEnd)]        // empty final block
    [InlineData(50_000, 292, 512, AtcpDatagramFraming.TftpData, 0UL, AtcpStream.RangeToEnd)]      // blocks off the grid
    [InlineData(50_000, 292, 1001, AtcpDatagramFraming.Raw, 777UL, 33_333UL)]                    // odd size, inner range
    [InlineData(5000, 0, 1468, AtcpDatagramFraming.TftpData, 3UL, AtcpStream.RangeToEnd)]        // medium without sums
    public void Datagrams_CarryTheRangeInOrder_WithValidChecksums(int size, int chunk, int blockSize, AtcpDatagramFraming framing,
        ulong rangeOffset, ulong rangeLength)
    {
        var (s, _, data) = Make(size, chunk, Command(blockSize, 8, framing, rangeOffset, rangeLength));
        var frames = SendAll(s, new PseudoUdpPacketizer(7));
        int header = framing == AtcpDatagramFraming.TftpData ? 4 : 0;
        long expectedLength = rangeLength == AtcpStream.RangeToEnd ? size - (long)rangeOffset : (long)rangeLength;
        var expected = data.Skip((int)rangeOffset).Take((int)expectedLength).ToArray();
        Assert.Equal(expected, frames.SelectMany(f => f.Skip(42 + header)).ToArray());
        ushort block = 1;
        foreach (var f in frames)
        {
            var d = DecodedFrame.Decode(f);
            Assert.Equal(ParseStatus.Ok, d.Status);
            Assert.True(UdpChecksumOk(f), "UDP checksum of " + d);
            Assert.Equal(TransferPort, d.Udp!.SourcePort);
            Assert.Equal(ClientPort, d.Udp.DestinationPort);
            Assert.Equal(ServiceIp, d.IPv4!.Source);
            Assert.True(IPv4Header.GetDontFragment(f, 14));
            Assert.True(d.Payload.Length <= blockSize + header);
            if (header > 0)
            {
                Assert.Equal(3, NetworkOrder.ReadUInt16(f, 42));
                Assert.Equal(block++, NetworkOrder.ReadUInt16(f, 44));
            }
        }
        if (framing == AtcpDatagramFraming.TftpData)
            Assert.True(frames[^1].Length - 46 < blockSize, "a TFTP transfer ends with a short block");
    }

    [Fact]
    public void BlocksOnTheChunkGrid_NeverSumPayloadInManagedCode()
    {
        // 1460 = 5 x 292: every block is five whole stored chunks; the last ends at the object's end.
        var (s, _, _) = Make(1_000_000, 292, Command(1460, 16));
        var p = new PseudoUdpPacketizer(1);
        var frames = SendAll(s, p);
        Assert.Equal(0, p.Checksum.BytesSummedInManagedCode);
        Assert.Equal(1_000_000, p.Checksum.BytesSummedFromStore);
        Assert.Equal(1_000_000 / 1460 + 1, frames.Count);
    }

    [Fact]
    public void BlocksOffTheChunkGrid_SumOnlyTheEdgesInManagedCode()
    {
        var (s, _, _) = Make(100_000, 292, Command(512, 16));
        var p = new PseudoUdpPacketizer(1);
        SendAll(s, p);
        Assert.Equal(100_000, p.Checksum.BytesSummedInManagedCode + p.Checksum.BytesSummedFromStore);
        Assert.True(p.Checksum.BytesSummedFromStore > 0);
    }

    [Fact]
    public void WrongStoredChunkSum_ShowsUpInTheUdpChecksumOfItsBlockOnly()
    {
        // Proves the UDP checksum comes from the stored sums, not from the payload bytes.
        var (s, source, _) = Make(10_000, 292, Command(1460, 8));
        source.CorruptSum(7); // bytes 2044..2335: the second block (1460..2919)
        var frames = SendAll(s, new PseudoUdpPacketizer(1));
        var bad = frames.Select((f, i) => (i, ok: UdpChecksumOk(f))).Where(x => !x.ok).Select(x => x.i).ToList();
        Assert.Equal(new[] { 1 }, bad);
    }

    [Fact]
    public void TftpBlockNumber_IsTheUnwrappedNumberModulo65536()
    {
        var (s, _, _) = Make(100, 0, Command(8));
        var p = new PseudoUdpPacketizer(1);
        var frame = new byte[46 + 8];
        foreach (var (block, wire) in new[] { (65535u, 0xFFFF), (65536u, 0), (65537u, 1), (131_074u, 2) })
        {
            Assert.Equal(BlockStatus.Ok, p.Build(s, block, 0, 8, frame, 0));
            Assert.Equal(wire, NetworkOrder.ReadUInt16(frame, 44));
            Assert.True(UdpChecksumOk(frame));
        }
    }

    [Fact]
    public void ComputedChecksumOfZero_IsSentAsAllOnes()
    {
        // Choose the last data word so that the ones-complement sum of the datagram is 0xFFFF.
        var data = new byte[64];
        new Random(5).NextBytes(data);
        data[62] = 0; data[63] = 0;
        var command = Command(64, framing: AtcpDatagramFraming.Raw);
        var stream = new DatagramStream();
        var frame = new byte[42 + 64];
        Assert.Equal(AtcpServiceStatus.Accepted, stream.Start(command, BoardMac, new Tcp.MemoryPayloadSource(data, 32), 0));
        new PseudoUdpPacketizer(1).Build(stream, 1, 0, 64, frame, 0);
        ushort field = UdpHeader.GetChecksum(frame, UdpAt);
        // With the word w = 0 the checksum is field; adding w = field makes the folded sum 0xFFFF.
        NetworkOrder.WriteUInt16(data, 62, field);
        Assert.Equal(AtcpServiceStatus.Accepted, stream.Start(command, BoardMac, new Tcp.MemoryPayloadSource(data, 32), 0));
        new PseudoUdpPacketizer(1).Build(stream, 1, 0, 64, frame, 0);
        Assert.Equal(0xFFFF, UdpHeader.GetChecksum(frame, UdpAt));
        Assert.True(UdpChecksumOk(frame));
    }

    [Fact]
    public void MediumReadFailure_IsReturned()
    {
        var (s, _, _) = Make(1000, 0, Command(512));
        s.RangeLength = 5000; // the medium ends before the range now: reads fail
        var frame = new byte[46 + 512];
        Assert.Equal(BlockStatus.OutOfRange, new PseudoUdpPacketizer(1).Build(s, 3, 1024, 512, frame, 0));
    }

    [Fact]
    public void IpIdentification_IncreasesPerDatagram()
    {
        var (s, _, _) = Make(5000, 0, Command(1000));
        var frames = SendAll(s, new PseudoUdpPacketizer(0xFFFE));
        Assert.Equal(new ushort[] { 0xFFFE, 0xFFFF, 0, 1, 2, 3 }, frames.Select(f => IPv4Header.GetIdentification(f, 14)));
    }

    [Fact]
    public void SteadyState_AllocatesNothingPerDatagram()
    {
        var (s, _, _) = Make(1_000_000, 292, Command(1460, 8));
        var p = new PseudoUdpPacketizer(1);
        var frame = new byte[PseudoUdpPacketizer.MaxHeaderLength + 1460];
        long now = 0;
        void OneDatagram()
        {
            if (s.Sender.State != SenderState.Sending)
                s.Sender.Start(s.RangeLength, 1460, 8, 1, 1000, 5, true, now);
            if (!s.Sender.NextBlock(now, out var block, out var offset, out var length, out _))
            {
                s.Sender.OnAck((uint)(s.Sender.FirstBlock + s.Sender.NextIndex - 1), now);
                s.Sender.NextBlock(now, out block, out offset, out length, out _);
            }
            p.Build(s, block, offset, length, frame, 0);
            now++;
        }
        Assert.Equal(0, Allocations.PerRun(OneDatagram, iterations: 1000));
    }
}

public class PseudoUdpPacketizer_Tshark
{
    [Fact]
    public void TftpTransfer_DecodesInTshark_AsDataFromTheTransferPort_WithoutChecksumErrors()
    {
        var (s, _, _) = Make(30_000, 292, Command(1460, 8));
        var datagrams = SendAll(s, new PseudoUdpPacketizer(100));
        // The client's read request first: tshark follows the TFTP conversation it opens, whose
        // server side answers from another port (RFC 1350 section 4).
        var rrq = new PacketBuilder().Ethernet(ClientMac, BoardMac).IPv4(ClientIp, ServiceIp)
            .Udp(ClientPort, 69).Payload("\0\u0001boot/kernel.img\0octet\0blksize\u00001460\0").Build();
        var frames = new List<byte[]> { rrq };
        frames.AddRange(datagrams);
        var decoded = Tshark.DecodeFrames(frames, "ip.src", "udp.srcport", "udp.dstport", "tftp.opcode", "tftp.block", "ip.flags.df");
        Assert.Equal(frames.Count, decoded.Count);
        Assert.Equal("1", decoded[0]["tftp.opcode"]);
        int block = 1;
        foreach (var d in decoded.Skip(1))
        {
            Assert.Empty(d.ChecksumErrors);
            Assert.Equal("198.18.0.1", d["ip.src"]);
            Assert.Equal(TransferPort.ToString(), d["udp.srcport"]);
            Assert.Equal(ClientPort.ToString(), d["udp.dstport"]);
            Assert.Equal("3", d["tftp.opcode"]);
            Assert.Equal((block++).ToString(), d["tftp.block"]);
            Assert.Equal("1", d["ip.flags.df"]);
        }
        Assert.Equal(30_000 / 1460 + 2, block);
    }

    [Fact]
    public void WrongStoredChunkSum_IsFlaggedByTshark()
    {
        var (s, source, _) = Make(5000, 292, Command(1460, 8));
        source.CorruptSum(0);
        var frames = SendAll(s, new PseudoUdpPacketizer(1));
        var decoded = Tshark.DecodeFrames(frames, "udp.srcport");
        Assert.NotEmpty(decoded[0].ChecksumErrors);
        Assert.All(decoded.Skip(1), d => Assert.Empty(d.ChecksumErrors));
    }
}
