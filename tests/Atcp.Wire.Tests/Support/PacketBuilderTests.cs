using Atcp.TestSupport;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Support;

/// <summary>PacketBuilder builds the frames the golden tests pin, fills every length and checksum,
/// and its options (padding, corruption, raw EtherType, no Ethernet) do what they say.
/// DecodedFrame takes them apart again.</summary>
public class PacketBuilderTests
{
    const string MacA = "02:00:00:00:00:01", MacB = "02:00:00:00:00:02";

    [Fact]
    public void Build_OfGoldenSynFields_GivesGoldenBytes()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB)
            .IPv4("198.18.0.1", "198.18.0.2", ip => { ip.Identification = 0x0202; ip.DontFragment = true; })
            .Tcp(40000, 80, 0x11223344, 0, TcpFlags.Syn, t =>
            {
                t.Window = 64240; t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; t.SackPermitted = true;
                t.HasTimestamps = true; t.TimestampValue = 0x01020304; t.HasWindowScale = true; t.WindowScale = 7;
                t.UnknownOptions[0] = 0xfd; t.UnknownOptions[1] = 4; t.UnknownOptions[2] = 0x12; t.UnknownOptions[3] = 0x34;
                t.UnknownOptionsLength = 4;
            }).Build();
        Assert.Equal(GoldenFrames.TcpSyn, frame);
    }

    [Fact]
    public void Build_OfGoldenArpAndEchoAndUdpFields_GivesGoldenBytes()
    {
        Assert.Equal(GoldenFrames.ArpRequest, new PacketBuilder().Ethernet(MacA, "ff:ff:ff:ff:ff:ff")
            .Arp(ArpOperation.Request, MacA, "198.18.0.1", "00:00:00:00:00:00", "198.18.0.2").Build());
        Assert.Equal(GoldenFrames.IcmpEchoRequest, new PacketBuilder().Ethernet(MacA, MacB)
            .IPv4("198.18.0.1", "198.18.0.2", ip => { ip.Identification = 0x0101; ip.DontFragment = true; })
            .IcmpEchoRequest(0x1234, 1).Payload("abcdefgh").Build());
        Assert.Equal(GoldenFrames.Udp, new PacketBuilder().Ethernet(MacA, MacB)
            .IPv4("198.18.0.1", "198.18.0.2", ip => ip.Identification = 0x0505).Udp(40001, 9).Payload("ping").Build());
    }

    [Fact]
    public void Build_OfFragmentationNeeded_QuotesHeaderAndEightBytes()
    {
        var frame = new PacketBuilder().Ethernet(MacB, MacA)
            .IPv4("198.18.0.254", "198.18.0.1", ip => ip.Identification = 0x0404)
            .IcmpFragmentationNeeded(1400, GoldenFrames.TcpSyn.AsSpan(GoldenFrames.L3)).Build();
        Assert.Equal(GoldenFrames.IcmpFragmentationNeeded, frame);
    }

    [Fact]
    public void Build_FillsLengthsAndChecksums_ThatDecodedFrameAccepts()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2")
            .Tcp(1, 2, 3, 4, TcpFlags.Ack, t => t.HasTimestamps = true).Payload(new byte[1001]).Build();
        var d = DecodedFrame.Decode(frame);
        Assert.Equal(ParseStatus.Ok, d.Status);
        Assert.Equal(EtherType.IPv4, d.Ethernet.EtherType);
        Assert.Equal(IpProtocol.Tcp, d.IPv4!.Protocol);
        Assert.Equal(32 + 1001, d.IPv4.PayloadLength);
        Assert.Equal(1001, d.Payload.Length);
        Assert.True(d.Tcp!.HasTimestamps);
        Assert.Equal("ipv4 198.18.0.1 > 198.18.0.2 tcp 1 > 2 [ACK] seq 3 ack 4 len 1001", d.ToString());
    }

    [Fact]
    public void PadToMinimumFrame_PadsShortFrameTo60AndKeepsItDecodable()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2").Udp(1, 2).Payload("x").PadToMinimumFrame().Build();
        Assert.Equal(60, frame.Length);
        var d = DecodedFrame.Decode(frame);
        Assert.Equal(ParseStatus.Ok, d.Status);
        Assert.Equal("x"u8.ToArray(), d.Payload);
    }

    [Fact]
    public void Build_WithoutEthernet_StartsAtIPv4Header()
    {
        var packet = new PacketBuilder().IPv4("198.18.0.1", "198.18.0.2").Udp(1, 2).Payload("abc").Build();
        Assert.Equal(31, packet.Length);
        Assert.Equal(0x45, packet[0]);
        Assert.Equal(ParseStatus.Ok, new IPv4Repr().Parse(packet, 0, packet.Length));
    }

    [Fact]
    public void Build_WithExplicitEtherType_CarriesRawPayload()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB, EtherType.Atcp).Payload([0xA7, 0xC9]).Build();
        Assert.Equal(16, frame.Length);
        var d = DecodedFrame.Decode(frame);
        Assert.Equal(EtherType.Atcp, d.Ethernet.EtherType);
        Assert.Equal(new byte[] { 0xA7, 0xC9 }, d.Payload);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    [InlineData("icmp")]
    public void CorruptChecksum_MakesTransportLayerFail(string layer)
    {
        var b = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2");
        b = layer switch { "tcp" => b.Tcp(1, 2, 3, 4, TcpFlags.Ack), "udp" => b.Udp(1, 2), _ => b.IcmpEchoReply(1, 2) };
        var d = DecodedFrame.Decode(b.Payload("data").CorruptChecksum().Build());
        Assert.Equal(ParseStatus.BadChecksum, d.Status);
        Assert.Equal(layer, d.FailedLayer);
        Assert.NotNull(d.IPv4);
    }

    [Fact]
    public void CorruptIPv4Checksum_MakesIPv4LayerFail()
    {
        var d = DecodedFrame.Decode(new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2").Udp(1, 2).CorruptIPv4Checksum().Build());
        Assert.Equal(ParseStatus.BadChecksum, d.Status);
        Assert.Equal("ipv4", d.FailedLayer);
    }

    [Fact]
    public void Udp_WithoutChecksum_SendsZero()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2").Udp(1, 2, withChecksum: false).Build();
        Assert.Equal(0, NetworkOrder.ReadUInt16(frame, GoldenFrames.L4 + 6));
        Assert.False(DecodedFrame.Decode(frame).Udp!.HasChecksum);
    }

    [Fact]
    public void Icmp_OfUnknownType_KeepsRestOfHeader()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2")
            .Icmp(13, 0, i => i.RestOfHeader = 0x01020304).Payload(new byte[12]).Build();
        var d = DecodedFrame.Decode(frame);
        Assert.Equal(ParseStatus.Ok, d.Status);
        Assert.Equal(13, d.Icmp!.Type);
        Assert.Equal(0x01020304u, d.Icmp.RestOfHeader);
    }

    [Theory]
    [InlineData("02:00:00:00:00")]
    [InlineData("not a mac")]
    public void Ethernet_WithBadMacText_Throws(string mac)
    {
        Assert.Throws<ArgumentException>(() => new PacketBuilder().Ethernet(mac, MacB));
    }

    [Fact]
    public void IPv4_WithBadAddressText_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PacketBuilder().IPv4("198.18.0", "198.18.0.2"));
    }

    [Fact]
    public void Decode_OfUnknownIpProtocol_KeepsPayload()
    {
        var frame = new PacketBuilder().Ethernet(MacA, MacB).IPv4("198.18.0.1", "198.18.0.2", ip => ip.Protocol = 47).Payload([1, 2, 3]).Build();
        var d = DecodedFrame.Decode(frame);
        Assert.Equal(ParseStatus.Ok, d.Status);
        Assert.Equal(47, d.IPv4!.Protocol);
        Assert.Equal(new byte[] { 1, 2, 3 }, d.Payload);
        Assert.Null(d.Tcp);
    }

    [Fact]
    public void Decode_OfEchoRequest_GivesIcmpData()
    {
        var d = DecodedFrame.Decode(GoldenFrames.IcmpEchoRequest);
        Assert.Equal(IcmpType.EchoRequest, d.Icmp!.Type);
        Assert.Equal("abcdefgh"u8.ToArray(), d.Payload);
    }
}
