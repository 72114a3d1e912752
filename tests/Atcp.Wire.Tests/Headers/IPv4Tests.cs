using Atcp.Wire.IPv4;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>IPv4 header (RFC 791): golden headers both ways, options, flags and fragment offset,
/// checksum verification, and each way input can be malformed.</summary>
public class IPv4Tests
{
    // The widely used worked example of the header checksum: 192.168.0.1 > 192.168.0.199, UDP,
    // total length 115, DF, TTL 64, checksum 0xb861.
    static readonly byte[] ClassicExample = Convert.FromHexString("450000730000400040 11b861c0a80001c0a800c7".Replace(" ", ""));

    [Fact]
    public void Parse_OfClassicExample_GivesFields()
    {
        var ip = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, ip.Parse(WithPayload(ClassicExample, 95), 0, 115));
        Assert.Equal(IpProtocol.Udp, ip.Protocol);
        Assert.Equal(64, ip.Ttl);
        Assert.True(ip.DontFragment);
        Assert.False(ip.MoreFragments);
        Assert.Equal(0, ip.FragmentOffset);
        Assert.Equal("192.168.0.1", IPv4Address.Format(ip.Source));
        Assert.Equal("192.168.0.199", IPv4Address.Format(ip.Destination));
        Assert.Equal(95, ip.PayloadLength);
        Assert.Equal(20, ip.Length);
    }

    [Fact]
    public void Emit_OfClassicExampleFields_FillsChecksumB861()
    {
        var ip = new IPv4Repr
        {
            Protocol = IpProtocol.Udp, Ttl = 64, DontFragment = true, PayloadLength = 95,
            Source = 0xC0A80001, Destination = 0xC0A800C7,
        };
        var output = new byte[20];
        ip.Emit(output, 0);
        Assert.Equal(ClassicExample, output);
        Assert.Equal(0xb861, IPv4Header.GetChecksum(output, 0));
    }

    [Theory]
    [MemberData(nameof(GoldenFrames.All), MemberType = typeof(GoldenFrames))]
    public void ParseThenEmit_OfGoldenFrame_ReproducesHeader(string name, byte[] frame)
    {
        if (name.StartsWith("Arp")) return; // no IPv4 header
        var ip = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, ip.Parse(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
        Assert.Equal(frame.Length - GoldenFrames.L4, ip.PayloadLength);
        var output = new byte[ip.Length];
        ip.Emit(output, 0);
        Assert.Equal(frame[GoldenFrames.L3..GoldenFrames.L4], output);
    }

    [Fact]
    public void Parse_WithEthernetPadding_UsesTotalLength()
    {
        var frame = new byte[GoldenFrames.Udp.Length + 14];
        GoldenFrames.Udp.CopyTo(frame, 0);
        var ip = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, ip.Parse(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
        Assert.Equal(12, ip.PayloadLength);
    }

    [Fact]
    public void ParseAndEmit_WithOptions_KeepsRawBytes()
    {
        // Router Alert (RFC 2113): 94 04 00 00.
        var ip = new IPv4Repr { Protocol = 2, Source = 0x0A000001, Destination = 0xE0000016, PayloadLength = 8, Ttl = 1 };
        byte[] routerAlert = [0x94, 0x04, 0x00, 0x00];
        routerAlert.CopyTo(ip.Options, 0);
        ip.OptionsLength = 4;
        Assert.Equal(24, ip.Length);
        var packet = new byte[32];
        ip.Emit(packet, 0);
        Assert.Equal(0x46, packet[0]);
        Assert.Equal(32, IPv4Header.GetTotalLength(packet, 0));
        Assert.True(IPv4Header.VerifyChecksum(packet, 0));

        var parsed = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, parsed.Parse(packet, 0, packet.Length));
        Assert.Equal(4, parsed.OptionsLength);
        Assert.Equal(routerAlert, parsed.Options[..4]);
        Assert.Equal(8, parsed.PayloadLength);
    }

    [Fact]
    public void Emit_WithUnalignedOptions_PadsWithZeros()
    {
        var ip = new IPv4Repr { OptionsLength = 3 };
        ip.Options[0] = 1; ip.Options[1] = 1; ip.Options[2] = 1; // three NOPs
        var packet = Enumerable.Repeat((byte)0xEE, 24).ToArray();
        ip.Emit(packet, 0);
        Assert.Equal(24, ip.Length);
        Assert.Equal(new byte[] { 1, 1, 1, 0 }, packet[20..24]);
        Assert.True(IPv4Header.VerifyChecksum(packet, 0));
    }

    [Fact]
    public void FlagsAndFragmentOffset_RoundTrip()
    {
        var ip = new IPv4Repr { MoreFragments = true, FragmentOffset = 1480, Identification = 0xBEEF, Dscp = 46, Ecn = 2 };
        var packet = new byte[20];
        ip.Emit(packet, 0);
        Assert.Equal(0x2000 | (1480 / 8), NetworkOrder.ReadUInt16(packet, IPv4Header.FlagsFragmentOffset));
        Assert.Equal((46 << 2) | 2, packet[1]);
        Assert.True(IPv4Header.IsFragment(packet, 0));
        var parsed = new IPv4Repr();
        Assert.Equal(ParseStatus.Ok, parsed.Parse(packet, 0, 20));
        Assert.True(parsed.MoreFragments);
        Assert.False(parsed.DontFragment);
        Assert.Equal(1480, parsed.FragmentOffset);
        Assert.Equal(0xBEEF, parsed.Identification);
        Assert.Equal(46, parsed.Dscp);
        Assert.Equal(2, parsed.Ecn);
    }

    [Fact]
    public void IsFragment_OfUnfragmentedPacketWithDf_IsFalse()
    {
        Assert.False(IPv4Header.IsFragment(GoldenFrames.TcpSyn, GoldenFrames.L3));
    }

    [Fact]
    public void Parse_WithWrongChecksum_IsBadChecksum()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.TcpSyn);
        frame[GoldenFrames.L3 + IPv4Header.TtlOffset]--;
        var ip = new IPv4Repr();
        Assert.Equal(ParseStatus.BadChecksum, ip.Parse(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
        IPv4Header.FillChecksum(frame, GoldenFrames.L3);
        Assert.Equal(ParseStatus.Ok, ip.Parse(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
    }

    [Theory]
    [InlineData(0x65, ParseStatus.BadVersion)]
    [InlineData(0x44, ParseStatus.BadLength)]
    [InlineData(0x40, ParseStatus.BadLength)]
    [InlineData(0x4F, ParseStatus.Truncated)]
    public void Check_OfBadVersionOrIhl_ReportsWhy(byte versionIhl, ParseStatus expected)
    {
        var frame = GoldenFrames.Copy(GoldenFrames.Udp);
        frame[GoldenFrames.L3] = versionIhl;
        Assert.Equal(expected, IPv4Header.Check(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
    }

    [Fact]
    public void Check_WhenTotalLengthExceedsBuffer_IsTruncated()
    {
        Assert.Equal(ParseStatus.Truncated, IPv4Header.Check(GoldenFrames.Udp, GoldenFrames.L3, 31));
        Assert.Equal(ParseStatus.Ok, IPv4Header.Check(GoldenFrames.Udp, GoldenFrames.L3, 32));
    }

    [Fact]
    public void Check_WhenTotalLengthBelowHeader_IsBadLength()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.Udp);
        IPv4Header.SetTotalLength(frame, GoldenFrames.L3, 19);
        Assert.Equal(ParseStatus.BadLength, IPv4Header.Check(frame, GoldenFrames.L3, frame.Length - GoldenFrames.L3));
    }

    static byte[] WithPayload(byte[] header, int payloadLength)
    {
        var packet = new byte[header.Length + payloadLength];
        header.CopyTo(packet, 0);
        return packet;
    }
}
