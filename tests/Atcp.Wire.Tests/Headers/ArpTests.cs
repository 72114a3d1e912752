using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>ARP for Ethernet/IPv4 (RFC 826): golden frames both ways, and what happens with other
/// address spaces and short input.</summary>
public class ArpTests
{
    [Fact]
    public void Parse_OfGoldenRequest_GivesOpcodeAddresses()
    {
        var arp = new ArpRepr();
        Assert.Equal(ParseStatus.Ok, arp.Parse(GoldenFrames.ArpRequest, GoldenFrames.L3, 28));
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal("02:00:00:00:00:01", MacAddress.Format(arp.SenderHardwareAddress, 0));
        Assert.Equal(0xC6120001u, arp.SenderProtocolAddress);
        Assert.Equal(new byte[6], arp.TargetHardwareAddress);
        Assert.Equal(0xC6120002u, arp.TargetProtocolAddress);
    }

    [Fact]
    public void Parse_OfGoldenReply_GivesOpcodeAddresses()
    {
        var arp = new ArpRepr();
        Assert.Equal(ParseStatus.Ok, arp.Parse(GoldenFrames.ArpReply, GoldenFrames.L3, 28));
        Assert.Equal(ArpOperation.Reply, arp.Operation);
        Assert.Equal("02:00:00:00:00:02", MacAddress.Format(arp.SenderHardwareAddress, 0));
        Assert.Equal(0xC6120002u, arp.SenderProtocolAddress);
        Assert.Equal("02:00:00:00:00:01", MacAddress.Format(arp.TargetHardwareAddress, 0));
        Assert.Equal(0xC6120001u, arp.TargetProtocolAddress);
    }

    [Theory]
    [InlineData("ArpRequest")]
    [InlineData("ArpReply")]
    public void Emit_AfterParse_ReproducesGoldenBytes(string name)
    {
        byte[] golden = name == "ArpRequest" ? GoldenFrames.ArpRequest : GoldenFrames.ArpReply;
        var arp = new ArpRepr();
        Assert.Equal(ParseStatus.Ok, arp.Parse(golden, GoldenFrames.L3, 28));
        var output = new byte[arp.Length + 3];
        arp.Emit(output, 3);
        Assert.Equal(golden[GoldenFrames.L3..], output[3..]);
    }

    [Fact]
    public void Emit_OfRequestBuiltFromFields_MatchesGolden()
    {
        var arp = new ArpRepr { Operation = ArpOperation.Request, SenderProtocolAddress = 0xC6120001, TargetProtocolAddress = 0xC6120002 };
        MacAddress.TryParse("02:00:00:00:00:01", arp.SenderHardwareAddress, 0);
        var output = new byte[arp.Length];
        arp.Emit(output, 0);
        Assert.Equal(GoldenFrames.ArpRequest[GoldenFrames.L3..], output);
    }

    [Fact]
    public void Parse_OfUnknownOpcode_KeepsNumber()
    {
        var frame = GoldenFrames.Copy(GoldenFrames.ArpRequest);
        frame[GoldenFrames.L3 + ArpPacket.OperationOffset + 1] = 9; // InARP request (RFC 2390)
        var arp = new ArpRepr();
        Assert.Equal(ParseStatus.Ok, arp.Parse(frame, GoldenFrames.L3, 28));
        Assert.Equal(9, arp.Operation);
    }

    [Theory]
    [InlineData(ArpPacket.HardwareTypeOffset + 1, 6, "hardware type IEEE 802")]
    [InlineData(ArpPacket.ProtocolTypeOffset, 0x86, "protocol type 0x86dd")]
    [InlineData(ArpPacket.HardwareLengthOffset, 8, "hardware length 8")]
    [InlineData(ArpPacket.ProtocolLengthOffset, 16, "protocol length 16")]
    public void Parse_OfOtherAddressSpace_ReportsUnknownWithTypes(int offset, byte value, string what)
    {
        var frame = GoldenFrames.Copy(GoldenFrames.ArpRequest);
        frame[GoldenFrames.L3 + offset] = value;
        var arp = new ArpRepr();
        Assert.True(ParseStatus.Unknown == arp.Parse(frame, GoldenFrames.L3, 28), what);
        Assert.Equal(ArpPacket.GetHardwareType(frame, GoldenFrames.L3), arp.HardwareType);
        Assert.Equal(ArpPacket.GetProtocolType(frame, GoldenFrames.L3), arp.ProtocolType);
    }

    [Fact]
    public void Parse_OfShortPacket_IsTruncated()
    {
        var arp = new ArpRepr();
        Assert.Equal(ParseStatus.Truncated, arp.Parse(GoldenFrames.ArpRequest, GoldenFrames.L3, 27));
        Assert.Equal(ParseStatus.Truncated, arp.Parse(GoldenFrames.ArpRequest, GoldenFrames.L3, 7));
    }

    [Fact]
    public void Setters_OfView_WriteWhereGettersRead()
    {
        var packet = new byte[ArpPacket.Length];
        ArpPacket.SetEthernetIPv4(packet, 0);
        ArpPacket.SetOperation(packet, 0, ArpOperation.Reply);
        ArpPacket.SetSenderAddress(packet, 0, 0x01020304);
        ArpPacket.SetTargetAddress(packet, 0, 0x05060708);
        Assert.Equal(ParseStatus.Ok, ArpPacket.Check(packet, 0, packet.Length));
        Assert.Equal(ArpOperation.Reply, ArpPacket.GetOperation(packet, 0));
        Assert.Equal(0x01020304u, ArpPacket.GetSenderAddress(packet, 0));
        Assert.Equal(0x05060708u, ArpPacket.GetTargetAddress(packet, 0));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packet[14..18]);
    }
}
