using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Conditional requests (RFC 9110 13) against the test catalog: hello.txt has ETag "abc" and
/// Last-Modified Tue, 02 Jan 2024 03:04:05 GMT; weak.txt has W/"w1"; dir/file.bin has no time.</summary>
public class ConditionalRequestTests
{
    const string HelloDate = "Tue, 02 Jan 2024 03:04:05 GMT";

    [Theory]
    [InlineData("/hello.txt", "If-None-Match: \"abc\"", 304)]
    [InlineData("/hello.txt", "If-None-Match: \"x\", \"abc\"", 304)]
    [InlineData("/hello.txt", "If-None-Match: W/\"abc\"", 304)]
    [InlineData("/hello.txt", "If-None-Match: *", 304)]
    [InlineData("/hello.txt", "If-None-Match: \"x\"", 200)]
    [InlineData("/hello.txt", "If-None-Match: \"ABC\"", 200)]
    [InlineData("/hello.txt", "If-None-Match: abc", 200)]
    [InlineData("/weak.txt", "If-None-Match: \"w1\"", 304)]
    [InlineData("/weak.txt", "If-None-Match: W/\"w1\"", 304)]
    [InlineData("/hello.txt", "If-Modified-Since: " + HelloDate, 304)]
    [InlineData("/hello.txt", "If-Modified-Since: Wed, 03 Jan 2024 00:00:00 GMT", 304)]
    [InlineData("/hello.txt", "If-Modified-Since: Tue, 02 Jan 2024 03:04:04 GMT", 200)]
    [InlineData("/hello.txt", "If-Modified-Since: Tuesday, 02-Jan-24 03:04:05 GMT", 304)]
    [InlineData("/hello.txt", "If-Modified-Since: Tue Jan  2 03:04:05 2024", 304)]
    [InlineData("/hello.txt", "If-Modified-Since: yesterday", 200)]
    [InlineData("/dir/file.bin", "If-Modified-Since: " + HelloDate, 200)]
    [InlineData("/hello.txt", "If-Match: \"abc\"", 200)]
    [InlineData("/hello.txt", "If-Match: *", 200)]
    [InlineData("/hello.txt", "If-Match: \"nope\"", 412)]
    [InlineData("/hello.txt", "If-Match: W/\"abc\"", 412)]
    [InlineData("/hello.txt", "If-Match: garbage", 412)]
    [InlineData("/weak.txt", "If-Match: W/\"w1\"", 412)]
    [InlineData("/hello.txt", "If-Unmodified-Since: " + HelloDate, 200)]
    [InlineData("/hello.txt", "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT", 412)]
    [InlineData("/hello.txt", "If-Unmodified-Since: not a date", 200)]
    public void SingleCondition_GivesStatus(string path, string field, int status)
    {
        var (_, decision) = Serve(Get(path, field));
        Assert.Equal(status, decision.StatusCode);
    }

    [Fact]
    public void NoneMatchTakesPrecedenceOverModifiedSince()
    {
        // RFC 9110 13.2.2: If-Modified-Since is only looked at without If-None-Match.
        var (_, decision) = Serve(Get("/hello.txt", "If-None-Match: \"other\"", "If-Modified-Since: " + HelloDate));
        Assert.Equal(200, decision.StatusCode);
    }

    [Fact]
    public void IfMatchTakesPrecedenceOverUnmodifiedSince()
    {
        var (_, decision) = Serve(Get("/hello.txt", "If-Match: \"abc\"", "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT"));
        Assert.Equal(200, decision.StatusCode);
    }

    [Fact]
    public void FailedIfMatch_BeatsNoneMatch()
    {
        var (_, decision) = Serve(Get("/hello.txt", "If-Match: \"zzz\"", "If-None-Match: \"abc\""));
        Assert.Equal(412, decision.StatusCode);
    }

    [Fact]
    public void NotModified_RepeatsValidators_WithoutBodyOrLength()
    {
        var (_, decision) = Serve(Get("/hello.txt", "If-None-Match: \"abc\""));
        Assert.Equal(HttpDecisionKind.AnswerLocally, decision.Kind);
        Assert.Equal("\"abc\"", Field(decision.Bytes, "ETag"));
        Assert.Equal(HelloDate, Field(decision.Bytes, "Last-Modified"));
        Assert.Null(Field(decision.Bytes, "Content-Length"));
        Assert.Null(Field(decision.Bytes, "Content-Type"));
        Assert.Equal("", Body(decision.Bytes));
    }

    [Fact]
    public void NotModifiedOnHead_IsAlso304()
    {
        var (_, decision) = Serve(Head("/hello.txt", "If-None-Match: *"));
        Assert.Equal(304, decision.StatusCode);
    }

    [Fact]
    public void RepeatedIfModifiedSince_IsIgnored()
    {
        var (_, decision) = Serve(Get("/hello.txt", "If-Modified-Since: " + HelloDate, "If-Modified-Since: " + HelloDate));
        Assert.Equal(200, decision.StatusCode);
    }

    [Theory]
    [InlineData("If-Range: \"abc\"", 206)]
    [InlineData("If-Range: \"other\"", 200)]
    [InlineData("If-Range: W/\"abc\"", 200)]
    [InlineData("If-Range: " + HelloDate, 206)]
    [InlineData("If-Range: Tue, 02 Jan 2024 03:04:06 GMT", 200)]
    [InlineData("If-Range: nonsense", 200)]
    public void IfRange_DecidesBetweenRangeAndWhole(string field, int status)
    {
        var (_, decision) = Serve(Get("/hello.txt", "Range: bytes=0-9", field));
        Assert.Equal(status, decision.StatusCode);
        Assert.Equal(status == 206 ? 10 : 1000, decision.Length);
    }

    [Fact]
    public void IfRangeDate_JustModified_IsNotAStrongValidator()
    {
        var fresh = new InMemoryObjectCatalog();
        DateTimeOffset modified = Now.AddSeconds(-10);
        fresh.Add(new ObjectInfo(ObjectLocation.OnDisk("new"), 100, "text/plain", null, modified));
        var handler = new HttpRequestHandler(fresh);
        HttpRequest request = HttpRequestParser.ParseOnce(Bytes(Get("/new", "Range: bytes=0-9", "If-Range: " + HttpDate.Format(modified)))).Request!;
        Assert.Equal(200, handler.Decide(request, Now).StatusCode);
        Assert.Equal(206, handler.Decide(request, Now.AddMinutes(5)).StatusCode);
    }

    [Fact]
    public void IfRangeOnWeakEtag_NeverMatches()
    {
        var (_, decision) = Serve(Get("/weak.txt", "Range: bytes=0-9", "If-Range: W/\"w1\""));
        Assert.Equal(200, decision.StatusCode);
    }
}
