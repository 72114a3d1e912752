using System.Text;

namespace Atcp.Wire.Tests;

public class Utf8Tests
{
    [Theory]
    [InlineData("")]
    [InlineData("plain ascii/path.txt")]
    [InlineData("Grüße, 東京, emoji 🎞️ and 𝄞")]
    public void Encode_MatchesDotNet_AndRoundTrips(string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected.Length, Utf8.ByteCount(text));
        Assert.Equal(expected, Utf8.GetBytes(text));
        Assert.Equal(text, Utf8.GetString(expected, 0, expected.Length));
        Assert.True(Utf8.IsValid(expected, 0, expected.Length));
    }

    [Fact]
    public void Encode_IntoTooSmallBuffer_ReportsMinusOne()
    {
        Assert.Equal(-1, Utf8.Encode("héllo", new byte[10], 0, 5));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 })]             // truncated
    [InlineData(new byte[] { 0x80 })]                   // lone continuation
    public void IsValid_RejectsMalformedSequences(byte[] bytes)
    {
        Assert.False(Utf8.IsValid(bytes, 0, bytes.Length));
        Assert.Contains('\uFFFD', Utf8.GetString(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Decode_RandomBytes_MatchesDotNetReplacementBehaviourOnValidInput()
    {
        var rng = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            var b = new byte[rng.Next(0, 12)];
            rng.NextBytes(b);
            var s = Utf8.GetString(b, 0, b.Length); // never throws
            if (Utf8.IsValid(b, 0, b.Length)) Assert.Equal(Encoding.UTF8.GetString(b), s);
        }
    }
}
