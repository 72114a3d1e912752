using Atcp.Wire.Ethernet;
using Atcp.Wire.Tests.Golden;

namespace Atcp.Wire.Tests.Headers;

/// <summary>Ethernet II header: golden frames both ways and short input.</summary>
public class EthernetTests
{
    [Theory]
    [MemberData(nameof(GoldenFrames.All), MemberType = typeof(GoldenFrames))]
    public void ParseThenEmit_OfGolden_ReproducesHeader(string name, byte[] frame)
    {
        var eth = new EthernetRepr();
        Assert.Equal(ParseStatus.Ok, eth.Parse(frame, 0, frame.Length));
        Assert.Equal(name.StartsWith("Arp") ? EtherType.Arp : EtherType.IPv4, eth.EtherType);
        var output = new byte[eth.Length];
        eth.Emit(output, 0);
        Assert.Equal(frame[..14], output);
    }

    [Fact]
    public void Parse_OfGoldenArpRequest_GivesBroadcastDestination()
    {
        var eth = new EthernetRepr();
        eth.Parse(GoldenFrames.ArpRequest, 0, 42);
        Assert.True(MacAddress.IsBroadcast(eth.Destination, 0));
        Assert.Equal("02:00:00:00:00:01", MacAddress.Format(eth.Source, 0));
    }

    [Fact]
    public void Parse_OfShortFrame_IsTruncated()
    {
        Assert.Equal(ParseStatus.Truncated, new EthernetRepr().Parse(GoldenFrames.Udp, 0, 13));
    }
}
