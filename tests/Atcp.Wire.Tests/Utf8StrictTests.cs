using System.Text;


namespace Atcp.Wire.Tests;

/// <summary>The firmware UTF-8 codec agrees with .NET strict decoding on names the store keeps.</summary>
public class Utf8StrictTests
{
    static readonly UTF8Encoding Strict = new(false, true);

    [Theory]
    [InlineData("")]
    [InlineData("videos/a.mp4")]
    [InlineData("vidéos/日本語.mp4")]
    [InlineData("emoji/😀🎉.png")]
    [InlineData("\u007f\u0080\u07ff\u0800\uffff")]
    public void GetBytesAndGetString_RoundTripLikeDotNet(string text)
    {
        var bytes = Utf8.GetBytes(text);
        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes);
        Assert.True(Utf8.IsValid(bytes, 0, bytes.Length));
        Assert.Equal(text, Utf8.GetString(bytes, 0, bytes.Length));
    }

    [Fact]
    public void GetBytes_UnpairedSurrogate_BecomesReplacementCharacter() =>
        Assert.Equal(new byte[] { 0x61, 0xEF, 0xBF, 0xBD, 0x62 }, Utf8.GetBytes("a\ud800b"));

    [Fact]
    public void IsValid_AgreesWithAStrictDecoderOnRandomBytes()
    {
        var random = new Random(8);
        for (int i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 6)];
            random.NextBytes(bytes);
            bool dotnet;
            try { Strict.GetString(bytes); dotnet = true; } catch (DecoderFallbackException) { dotnet = false; }
            Assert.True(dotnet == Utf8.IsValid(bytes, 0, bytes.Length), Convert.ToHexString(bytes));
        }
    }

    [Fact]
    public void GetString_MalformedBytes_BecomeReplacementCharacters() =>
        Assert.Equal("a\ufffd\ufffdb", Utf8.GetString([0x61, 0xC0, 0xAF, 0x62], 0, 4));
}
