using Atcp.TestSupport;

namespace Atcp.Wire.Tests.Support;

/// <summary>The tshark runner: field access, repeated fields, errors surfaced.</summary>
public class TsharkTests
{
    [Fact]
    public void Decode_OfUnknownField_ThrowsWithTsharkMessage()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tshark.DecodeFrames([Golden.GoldenFrames.Udp], "no.such.field"));
        Assert.Contains("no.such.field", ex.Message);
    }

    [Fact]
    public void Frame_GivesFirstValueAllValuesAndNullWhenAbsent()
    {
        var f = Tshark.DecodeFrames([Golden.GoldenFrames.IcmpFragmentationNeeded], "ip.src", "udp.srcport").Single();
        Assert.Equal(1, f.Number);
        Assert.Equal("198.18.0.254", f["ip.src"]);
        Assert.Equal(2, f.All("ip.src").Count);
        Assert.Null(f["udp.srcport"]);
        Assert.Empty(f.All("udp.srcport"));
        Assert.Contains("ip.src=198.18.0.254,198.18.0.1", f.ToString());
    }

    [Fact]
    public void Decode_OfEmptyCapture_GivesNoFrames()
    {
        Assert.Empty(Tshark.DecodeFrames([], "ip.src"));
    }
}
