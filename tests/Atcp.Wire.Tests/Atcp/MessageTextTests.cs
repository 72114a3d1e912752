using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>The firmware's own UTF-8 conversion (nanoFramework's mscorlib has no Encoding) agrees
/// with .NET's for valid text and turns malformed bytes into U+FFFD.</summary>
public class MessageTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("index.html")]
    [InlineData("café/naïve.txt")]
    [InlineData("日本語のファイル.iso")]
    [InlineData("emoji-😀-𝄞.bin")]
    public void EncodeDecode_ValidText_MatchesDotNet(string text)
    {
        var expected = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected.Length, Utf8.ByteCount(text));
        var buffer = new byte[expected.Length + 2];
        Assert.Equal(expected.Length, Utf8.Encode(text, buffer, 1, buffer.Length - 1));
        Assert.Equal(expected, buffer[1..^1]);
        Assert.Equal(text, Utf8.GetString(buffer, 1, expected.Length));
    }

    [Theory]
    [InlineData("ff", "\uFFFD")]
    [InlineData("c0af", "\uFFFD\uFFFD")]           // overlong '/'
    [InlineData("e282", "\uFFFD\uFFFD")]           // truncated euro sign
    [InlineData("eda080", "\uFFFD\uFFFD\uFFFD")]   // encoded surrogate
    [InlineData("41e282ac42", "A€B")]
    public void Decode_MalformedBytes_BecomeReplacementCharacters(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(expected, Utf8.GetString(bytes, 0, bytes.Length));
    }

    [Fact]
    public void ByteString_SetText_RefusesWhatDoesNotFit()
    {
        var field = new AtcpByteString(4);
        Assert.Equal(ParseStatus.Ok, field.SetText("€"));
        Assert.Equal(3, field.Length);
        Assert.Equal(ParseStatus.BadLength, field.SetText("€€"));
        Assert.Equal("€", field.ToText());
        Assert.True(field.EqualsBytes(new byte[] { 0xE2, 0x82, 0xAC }, 0, 3));
    }
}
