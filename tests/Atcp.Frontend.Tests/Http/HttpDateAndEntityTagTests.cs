using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>HTTP-date (RFC 9110 5.6.7) and entity-tag (8.8.3) syntax.</summary>
public class HttpDateAndEntityTagTests
{
    static readonly DateTimeOffset Example = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Fact]
    public void Format_IsImfFixdate() => Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(Example));

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void Parse_AcceptsAllThreeForms(string value)
    {
        Assert.True(HttpDate.TryParse(value, Now, out DateTimeOffset t));
        Assert.Equal(Example, t);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 UTC")]
    [InlineData("Sun, 6 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Foo 1994 08:49:37 GMT")]
    [InlineData("Sun, 31 Feb 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 24:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Xyz, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("1994-11-06T08:49:37Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_RefusesOtherText(string? value) => Assert.False(HttpDate.TryParse(value, Now, out _));

    [Fact]
    public void Rfc850TwoDigitYear_IsNeverMoreThan50YearsAhead()
    {
        Assert.True(HttpDate.TryParse("Monday, 01-Jan-74 00:00:00 GMT", Now, out DateTimeOffset t));
        Assert.Equal(2074, t.Year);
        Assert.True(HttpDate.TryParse("Tuesday, 01-Jan-80 00:00:00 GMT", Now, out t));
        Assert.Equal(1980, t.Year);
    }

    [Fact]
    public void LeapSecond_IsAccepted() =>
        Assert.True(HttpDate.TryParse("Sat, 31 Dec 2016 23:59:60 GMT", Now, out _));

    [Theory]
    [InlineData("\"abc\"", "abc", false)]
    [InlineData("W/\"abc\"", "abc", true)]
    [InlineData("\"\"", "", false)]
    public void EntityTag_Parses(string text, string opaque, bool weak)
    {
        Assert.True(EntityTag.TryParse(text, out EntityTag tag));
        Assert.Equal(new EntityTag(opaque, weak), tag);
        Assert.Equal(text, tag.ToString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("\"a\"b\"")]
    [InlineData("w/\"abc\"")]
    [InlineData("\"abc")]
    [InlineData("\"a c\"")]
    public void EntityTag_RefusesMalformed(string text) => Assert.False(EntityTag.TryParse(text, out _));

    [Fact]
    public void Comparison_StrongAndWeak()
    {
        var strong = new EntityTag("1", false);
        var weak = new EntityTag("1", true);
        Assert.True(strong.StrongEquals(strong));
        Assert.False(weak.StrongEquals(weak));
        Assert.False(strong.StrongEquals(weak));
        Assert.True(weak.WeakEquals(strong));
        Assert.False(strong.WeakEquals(new EntityTag("2", false)));
    }

    [Theory]
    [InlineData("*", true, 0)]
    [InlineData(" \"a\" ", false, 1)]
    [InlineData("\"a\",W/\"b\" , \"c,d\"", false, 3)]
    [InlineData(", \"a\",,", false, 1)]
    public void List_Parses(string value, bool any, int count)
    {
        Assert.True(EntityTag.TryParseList(value, out bool gotAny, out var tags));
        Assert.Equal(any, gotAny);
        Assert.Equal(count, tags.Count);
    }

    [Theory]
    [InlineData("\"a\" \"b\"")]
    [InlineData("\"a\", *")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("\"a")]
    public void List_RefusesMalformed(string value) => Assert.False(EntityTag.TryParseList(value, out _, out _));
}
