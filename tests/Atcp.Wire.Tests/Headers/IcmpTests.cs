using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>ICMPv4 (RFC 792, RFC 1191): echo and fragmentation-needed golden messages both ways,
/// unknown types, checksums, and the in-place echo reply.</summary>
public class IcmpTests
{
    static int IcmpLength(byte[] frame) => IPv4Header.GetTotalLength(frame, GoldenFrames.L3) - 20;

    [Fact]
    public void Parse_OfGoldenEchoRequest_GivesIdSeqAndData()
    {
        var icmp = new IcmpRepr();
        var frame = GoldenFrames.IcmpEchoRequest;
        Assert.Equal(ParseStatus.Ok, icmp.Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
        Assert.Equal(IcmpType.EchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.Equal(0x1234, icmp.Identifier);
        Assert.Equal(1, icmp.SequenceNumber);
        Assert.Same(frame, icmp.Data);
        Assert.Equal(GoldenFrames.L4 + 8, icmp.DataOffset);
        Assert.Equal("abcdefgh", System.Text.Encoding.ASCII.GetString(frame, icmp.DataOffset, icmp.DataLength));
        Assert.False(icmp.IsError);
    }

    [Fact]
    public void Emit_OfEchoRequestFields_MatchesGolden()
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes("xxabcdefgh");
        var icmp = new IcmpRepr { Type = IcmpType.EchoRequest, Identifier = 0x1234, SequenceNumber = 1, Data = data, DataOffset = 2, DataLength = 8 };
        var output = new byte[icmp.Length];
        icmp.Emit(output, 0);
        Assert.Equal(GoldenFrames.IcmpEchoRequest[GoldenFrames.L4..], output);
    }

    [Fact]
    public void Parse_OfGoldenFragmentationNeeded_GivesMtuAndOffendingHeader()
    {
        var frame = GoldenFrames.IcmpFragmentationNeeded;
        var icmp = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, icmp.Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
        Assert.Equal(IcmpType.DestinationUnreachable, icmp.Type);
        Assert.Equal(IcmpUnreachableCode.FragmentationNeeded, icmp.Code);
        Assert.Equal(1400, icmp.NextHopMtu);
        Assert.True(icmp.IsError);
        Assert.Equal(28, icmp.DataLength);
        // The quoted header names the connection the MTU applies to.
        Assert.Equal(0xC6120001u, IPv4Header.GetSource(frame, icmp.DataOffset));
        Assert.Equal(0xC6120002u, IPv4Header.GetDestination(frame, icmp.DataOffset));
        Assert.Equal(IpProtocol.Tcp, IPv4Header.GetProtocol(frame, icmp.DataOffset));
        int tcp = icmp.DataOffset + IPv4Header.GetHeaderLength(frame, icmp.DataOffset);
        Assert.Equal(40000, TcpHeader.GetSourcePort(frame, tcp));
        Assert.Equal(80, TcpHeader.GetDestinationPort(frame, tcp));
        Assert.Equal(0x11223344u, TcpHeader.GetSequenceNumber(frame, tcp));
    }

    [Theory]
    [InlineData("IcmpEchoRequest")]
    [InlineData("IcmpFragmentationNeeded")]
    public void ParseThenEmitElsewhere_OfGolden_ReproducesBytes(string name)
    {
        var frame = name == "IcmpEchoRequest" ? GoldenFrames.IcmpEchoRequest : GoldenFrames.IcmpFragmentationNeeded;
        var icmp = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, icmp.Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
        var output = new byte[icmp.Length + 5];
        icmp.Emit(output, 5);
        Assert.Equal(frame[GoldenFrames.L4..], output[5..]);
    }

    [Fact]
    public void Emit_InPlaceOverParsedMessage_KeepsBytes()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.IcmpEchoRequest);
        var icmp = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, icmp.Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
        icmp.Emit(frame, GoldenFrames.L4);
        Assert.Equal(GoldenFrames.IcmpEchoRequest, frame);
    }

    [Fact]
    public void Parse_OfUnknownType_KeepsNumbersAndRestOfHeader()
    {
        // Type 13 (timestamp request) is not one this code knows.
        var message = new byte[20];
        message[0] = 13;
        NetworkOrder.WriteUInt32(message, 4, 0xCAFEF00D);
        IcmpHeader.FillChecksum(message, 0, message.Length);
        var icmp = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, icmp.Parse(message, 0, message.Length));
        Assert.Equal(13, icmp.Type);
        Assert.Equal(0xCAFEF00Du, icmp.RestOfHeader);
        Assert.Equal(12, icmp.DataLength);
        var output = new byte[icmp.Length];
        icmp.Emit(output, 0);
        Assert.Equal(message, output);
    }

    [Fact]
    public void Parse_WithWrongChecksum_IsBadChecksum()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.IcmpEchoRequest);
        frame[^1] ^= 0x40;
        Assert.Equal(ParseStatus.BadChecksum, new IcmpRepr().Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
    }

    [Fact]
    public void Parse_OfErrorQuotingTooLittle_IsTruncated()
    {
        // Same message with only 20 of the 28 quoted bytes.
        var message = GoldenFrames.IcmpFragmentationNeeded[GoldenFrames.L4..^8];
        IcmpHeader.FillChecksum(message, 0, message.Length);
        Assert.Equal(ParseStatus.Truncated, new IcmpRepr().Parse(message, 0, message.Length));
    }

    [Fact]
    public void Parse_OfErrorQuotingNonIPv4_IsBadField()
    {
        var message = GoldenFrames.IcmpFragmentationNeeded[GoldenFrames.L4..];
        message[8] = 0x60;
        IcmpHeader.FillChecksum(message, 0, message.Length);
        Assert.Equal(ParseStatus.BadField, new IcmpRepr().Parse(message, 0, message.Length));
    }

    [Fact]
    public void Parse_OfShortMessage_IsTruncated()
    {
        Assert.Equal(ParseStatus.Truncated, new IcmpRepr().Parse(GoldenFrames.IcmpEchoRequest, GoldenFrames.L4, 7));
    }

    [Fact]
    public void TurnEchoRequestIntoReply_GivesValidReplyWithSameData()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.IcmpEchoRequest);
        IcmpHeader.TurnEchoRequestIntoReply(frame, GoldenFrames.L4);
        var reply = new IcmpRepr();
        Assert.Equal(ParseStatus.Ok, reply.Parse(frame, GoldenFrames.L4, IcmpLength(frame)));
        Assert.Equal(IcmpType.EchoReply, reply.Type);
        Assert.Equal(0x1234, reply.Identifier);
        Assert.Equal(1, reply.SequenceNumber);
        Assert.Equal(GoldenFrames.IcmpEchoRequest[(GoldenFrames.L4 + 8)..], frame[(GoldenFrames.L4 + 8)..]);
        // Equal to a reply computed from scratch.
        var scratch = GoldenFrames.Copy(frame);
        IcmpHeader.FillChecksum(scratch, GoldenFrames.L4, IcmpLength(frame));
        Assert.Equal(scratch, frame);
    }
}
