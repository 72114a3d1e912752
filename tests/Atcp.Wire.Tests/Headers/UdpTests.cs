using Atcp.Wire.Udp;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>UDP (RFC 768): golden datagrams both ways, the pseudo-header checksum with its two
/// special values, and malformed lengths.</summary>
public class UdpTests
{
    const uint A = 0xC6120001, B = 0xC6120002;

    [Fact]
    public void Parse_OfGoldenDatagram_GivesPortsAndPayload()
    {
        var udp = new UdpRepr();
        var frame = GoldenFrames.Udp;
        Assert.Equal(ParseStatus.Ok, udp.Parse(frame, GoldenFrames.L4, 12, A, B));
        Assert.Equal(40001, udp.SourcePort);
        Assert.Equal(9, udp.DestinationPort);
        Assert.True(udp.HasChecksum);
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(frame, udp.PayloadOffset, udp.PayloadLength));
    }

    [Fact]
    public void EmitAndFill_OfGoldenFields_ReproduceDatagram()
    {
        var udp = new UdpRepr { SourcePort = 40001, DestinationPort = 9, PayloadLength = 4 };
        var output = new byte[12];
        "ping"u8.CopyTo(output.AsSpan(8));
        udp.Emit(output, 0);
        UdpHeader.FillChecksum(A, B, output, 0, 12);
        Assert.Equal(GoldenFrames.Udp[GoldenFrames.L4..], output);
    }

    [Fact]
    public void FillWithPayloadSum_EqualsFillFromBuffer()
    {
        var udp = new UdpRepr { SourcePort = 40001, DestinationPort = 9, PayloadLength = 4 };
        var output = new byte[12];
        udp.Emit(output, 0);
        ushort payloadSum = InternetChecksum.Sum("ping"u8.ToArray(), 0, 4);
        UdpHeader.FillChecksum(A, B, output, 0, 4, payloadSum);
        Assert.Equal(0xf892, UdpHeader.GetChecksum(output, 0));
    }

    [Fact]
    public void Fill_WhenChecksumComputesToZero_SendsFfff()
    {
        var frame = GoldenFrames.UdpZeroChecksum;
        var datagram = frame[GoldenFrames.L4..];
        UdpHeader.FillChecksum(A, B, datagram, 0, datagram.Length);
        Assert.Equal(0xFFFF, UdpHeader.GetChecksum(datagram, 0));
        UdpHeader.FillChecksum(A, B, datagram, 0, 2, InternetChecksum.Sum(datagram, 8, 2));
        Assert.Equal(0xFFFF, UdpHeader.GetChecksum(datagram, 0));
        Assert.True(UdpHeader.VerifyChecksum(A, B, datagram, 0, datagram.Length));
    }

    [Fact]
    public void Parse_WithZeroChecksum_AcceptsAsNone()
    {
        var datagram = GoldenFrames.Udp[GoldenFrames.L4..];
        UdpHeader.SetChecksum(datagram, 0, 0);
        var udp = new UdpRepr();
        Assert.Equal(ParseStatus.Ok, udp.Parse(datagram, 0, datagram.Length, A, B));
        Assert.False(udp.HasChecksum);
    }

    [Fact]
    public void Parse_WithWrongChecksumOrAddress_IsBadChecksum()
    {
        var datagram = GoldenFrames.Udp[GoldenFrames.L4..];
        var udp = new UdpRepr();
        Assert.Equal(ParseStatus.BadChecksum, udp.Parse(datagram, 0, datagram.Length, A, B + 1));
        datagram[^1] ^= 1;
        Assert.Equal(ParseStatus.BadChecksum, udp.Parse(datagram, 0, datagram.Length, A, B));
        Assert.Equal(ParseStatus.Ok, udp.Parse(datagram, 0, datagram.Length));
    }

    [Theory]
    [InlineData(7, 12, ParseStatus.Truncated)]
    [InlineData(12, 13, ParseStatus.Truncated)]
    [InlineData(12, 7, ParseStatus.BadLength)]
    [InlineData(12, 8, ParseStatus.Ok)]
    [InlineData(12, 12, ParseStatus.Ok)]
    public void Check_OfLengths_ReportsWhy(int available, int lengthField, ParseStatus expected)
    {
        var datagram = GoldenFrames.Udp[GoldenFrames.L4..];
        UdpHeader.SetLength(datagram, 0, (ushort)lengthField);
        Assert.Equal(expected, UdpHeader.Check(datagram, 0, available));
    }
}
