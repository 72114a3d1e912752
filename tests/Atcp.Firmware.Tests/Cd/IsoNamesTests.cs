using System.Text;
using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

public class IsoNamesTests
{
    static byte[] Ucs2(string s) => Encoding.BigEndianUnicode.GetBytes(s);

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("héllo wörld")]
    [InlineData("日本語")]
    [InlineData("😀 and 𝄞")]
    [InlineData("")]
    public void Ucs2BeToUtf8_WhenValidUtf16_GivesSameBytesAsDotNet(string text)
    {
        byte[] source = Ucs2(text);
        var output = new byte[400];

        int n = IsoNames.Ucs2BeToUtf8(source, 0, source.Length, output, 0, output.Length);

        Assert.Equal(Encoding.UTF8.GetBytes(text), output[..n]);
    }

    [Theory]
    [InlineData(new byte[] { 0xD8, 0x3D, 0x00, 0x41 }, "\uFFFDA")] // high surrogate then 'A'
    [InlineData(new byte[] { 0xDE, 0x00 }, "\uFFFD")]              // lone low surrogate
    [InlineData(new byte[] { 0x00, 0x41, 0xD8, 0x3D }, "A\uFFFD")] // high surrogate at the end
    [InlineData(new byte[] { 0x00, 0x41, 0x42 }, "A")]             // odd trailing byte ignored
    public void Ucs2BeToUtf8_WhenSurrogatesUnpaired_WritesReplacementCharacter(byte[] source, string expected)
    {
        var output = new byte[20];

        int n = IsoNames.Ucs2BeToUtf8(source, 0, source.Length, output, 0, output.Length);

        Assert.Equal(Encoding.UTF8.GetBytes(expected), output[..n]);
    }

    [Fact]
    public void Conversions_WhenOutputTooSmall_ReturnMinusOne()
    {
        byte[] source = Ucs2("日本");
        Assert.Equal(-1, IsoNames.Ucs2BeToUtf8(source, 0, source.Length, new byte[5], 0, 5));
        Assert.Equal(-1, IsoNames.Utf8ToUcs2Be(Encoding.UTF8.GetBytes("😀"), 0, 4, new byte[3], 0, 3));
        Assert.Equal(-1, Atcp.Wire.Utf8.Encode("ab", new byte[1], 0, 1));
    }

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("日本語のファイル")]
    [InlineData("😀 smile")]
    public void Utf8ToUcs2Be_WhenValid_GivesUtf16BigEndian(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var output = new byte[200];

        int n = IsoNames.Utf8ToUcs2Be(utf8, 0, utf8.Length, output, 0, output.Length);

        Assert.Equal(Ucs2(text), output[..n]);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })]       // overlong
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // encoded surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    [InlineData(new byte[] { 0xE6, 0x97 })]             // cut sequence
    [InlineData(new byte[] { 0x80 })]                   // stray continuation
    public void Utf8ToUcs2Be_WhenMalformed_ReturnsMinusOne(byte[] utf8)
    {
        Assert.Equal(-1, IsoNames.Utf8ToUcs2Be(utf8, 0, utf8.Length, new byte[20], 0, 20));
    }

    [Theory]
    [InlineData("héllo 😀")]
    [InlineData("\uD83D lone")]
    public void StringToUtf8_ThenUtf8ToString_RoundTripsValidText(string text)
    {
        var utf8 = new byte[100];
        int n = Atcp.Wire.Utf8.Encode(text, utf8, 0, utf8.Length);

        Assert.Equal(Encoding.UTF8.GetBytes(text), utf8[..n]);
        Assert.Equal(Encoding.UTF8.GetString(utf8, 0, n), Atcp.Wire.Utf8.GetString(utf8, 0, n));
    }

    [Theory]
    [InlineData("README.TXT;1", "README.TXT")]
    [InlineData("NOEXT.;1", "NOEXT")]
    [InlineData("DIR", "DIR")]
    [InlineData("FILE.TXT;32767", "FILE.TXT")]
    [InlineData("A;B", "A;B")]
    [InlineData("V;", "V;")]
    [InlineData(".", ".")]
    [InlineData("X.", "X")]
    public void TrimmedIdentifierLength_StripsVersionAndOneTrailingDot(string identifier, string expected)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(identifier);
        byte[] ucs2 = Ucs2(identifier);

        Assert.Equal(expected.Length, IsoNames.TrimmedIdentifierLength(ascii, 0, ascii.Length, false));
        Assert.Equal(expected.Length * 2, IsoNames.TrimmedIdentifierLength(ucs2, 0, ucs2.Length, true));
    }

    [Fact]
    public void IdentifierEquals_WhenFoldingCase_MatchesOnlyAsciiLetters()
    {
        byte[] key = Encoding.ASCII.GetBytes("ABC_1.TXT");

        Assert.True(IsoNames.IdentifierEquals(Encoding.ASCII.GetBytes("abc_1.txt"), 0, 9, key, 9, true));
        Assert.False(IsoNames.IdentifierEquals(Encoding.ASCII.GetBytes("abc_1.txt"), 0, 9, key, 9, false));
        Assert.False(IsoNames.IdentifierEquals(Encoding.ASCII.GetBytes("ABC_1.TX"), 0, 8, key, 9, true));
    }
}

public class IsoDateTests
{
    [Fact]
    public void FromRecordingDate_WhenGmtOffsetGiven_ConvertsToUtc()
    {
        // 2024-02-29 12:34:56 at GMT+2 (8 quarter hours).
        byte[] date = [124, 2, 29, 12, 34, 56, 8];

        long seconds = IsoDate.FromRecordingDate(date, 0);

        Assert.Equal(new DateTimeOffset(2024, 2, 29, 10, 34, 56, TimeSpan.Zero).ToUnixTimeSeconds(), seconds);
    }

    [Fact]
    public void FromRecordingDate_WhenNegativeOffsetAndEarlyYear_ConvertsToUtc()
    {
        byte[] date = [70, 1, 1, 0, 0, 0, unchecked((byte)-20)]; // 1970-01-01 00:00 at GMT-5

        Assert.Equal(5 * 3600, IsoDate.FromRecordingDate(date, 0));
    }

    [Fact]
    public void FromDescriptorDate_WhenDigits_ConvertsAndWhenUnset_ReturnsZero()
    {
        byte[] date = [.. Encoding.ASCII.GetBytes("2031123123595900"), 0];
        byte[] unset = [.. Encoding.ASCII.GetBytes("0000000000000000"), 0];
        byte[] garbage = [.. Encoding.ASCII.GetBytes("20x1123123595900"), 0];

        Assert.Equal(new DateTimeOffset(2031, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), IsoDate.FromDescriptorDate(date, 0));
        Assert.Equal(0, IsoDate.FromDescriptorDate(unset, 0));
        Assert.Equal(0, IsoDate.FromDescriptorDate(garbage, 0));
    }

    [Fact]
    public void FromRecordingDate_WhenFieldsOutOfRange_ReturnsZero()
    {
        Assert.Equal(0, IsoDate.FromRecordingDate([124, 13, 1, 0, 0, 0, 0], 0));
        Assert.Equal(0, IsoDate.FromRecordingDate([124, 1, 1, 24, 0, 0, 0], 0));
        Assert.Equal(0, IsoDate.FromRecordingDate([0, 0, 0, 0, 0, 0, 0], 0));
    }
}
