using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;

namespace Atcp.Wire.Tests.Headers;

/// <summary>The people-facing address helpers: dotted quads and MAC text.</summary>
public class AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("198.18.0.1", 0xC6120001u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("10.0.0.1", 0x0A000001u)]
    [InlineData("001.002.003.004", 0x01020304u)]
    public void TryParse_OfDottedQuad_GivesValue(string text, uint expected)
    {
        Assert.True(IPv4Address.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.0.0.1")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.0004")]
    [InlineData("a.b.c.d")]
    [InlineData("-1.2.3.4")]
    public void TryParse_OfNonAddress_ReturnsFalse(string text)
    {
        Assert.False(IPv4Address.TryParse(text, out var value));
        Assert.Equal(0u, value);
    }

    [Fact]
    public void TryParse_OfNull_ReturnsFalse()
    {
        Assert.False(IPv4Address.TryParse(null!, out _));
    }

    [Fact]
    public void Format_OfValue_GivesDottedQuad()
    {
        Assert.Equal("198.18.0.1", IPv4Address.Format(0xC6120001));
        Assert.Equal("255.255.255.255", IPv4Address.Format(IPv4Address.Broadcast));
        Assert.Equal(0xC61200FEu, IPv4Address.FromOctets(198, 18, 0, 254));
    }

    [Theory]
    [InlineData(0xC6120001u, 0xC61300FFu, 15, true)]
    [InlineData(0xC6120001u, 0xC61400FFu, 15, false)]
    [InlineData(0xC6120001u, 0xC6120001u, 32, true)]
    [InlineData(0xC6120001u, 0xC6120002u, 32, false)]
    [InlineData(0x01020304u, 0xFFFFFFFFu, 0, true)]
    public void SameNetwork_ComparesPrefix(uint a, uint b, int prefix, bool expected)
    {
        Assert.Equal(expected, IPv4Address.SameNetwork(a, b, prefix));
    }

    [Fact]
    public void MacFormatAndParse_RoundTrip()
    {
        var mac = new byte[8];
        Assert.True(MacAddress.TryParse("02-00-5E-0a-BC-ff", mac, 2));
        Assert.Equal("02:00:5e:0a:bc:ff", MacAddress.Format(mac, 2));
        Assert.False(MacAddress.IsGroup(mac, 2));
        Assert.False(MacAddress.IsBroadcast(mac, 2));
    }

    [Theory]
    [InlineData("02:00:00:00:00")]
    [InlineData("02:00:00:00:00:0g")]
    [InlineData("02:00:00:00:00:001")]
    [InlineData("02.00.00.00.00.01")]
    public void MacTryParse_OfNonAddress_ReturnsFalseAndLeavesBuffer(string text)
    {
        var mac = new byte[] { 9, 9, 9, 9, 9, 9 };
        Assert.False(MacAddress.TryParse(text, mac, 0));
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9, 9 }, mac);
    }

    [Fact]
    public void MacPredicates_RecogniseBroadcastGroupAndEquality()
    {
        var broadcast = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
        var multicast = new byte[] { 0x01, 0x00, 0x5E, 0x00, 0x00, 0x01 };
        Assert.True(MacAddress.IsBroadcast(broadcast, 0));
        Assert.True(MacAddress.IsGroup(broadcast, 0));
        Assert.True(MacAddress.IsGroup(multicast, 0));
        Assert.False(MacAddress.IsBroadcast(multicast, 0));
        Assert.True(MacAddress.Equal(new byte[] { 0, 1, 0, 0x5E, 0, 0, 1 }, 1, multicast, 0));
        Assert.False(MacAddress.Equal(broadcast, 0, multicast, 0));
    }
}
