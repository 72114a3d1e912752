using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Valid requests: what the parser reports for each part of the request.</summary>
public class RequestParserTests
{
    static HttpRequest ParseValid(string text, HttpParserOptions? options = null)
    {
        HttpParseResult result = HttpRequestParser.ParseOnce(Bytes(text), options ?? ParserOptions);
        Assert.True(result.Outcome == HttpParseOutcome.Request, result.ToString());
        Assert.Equal(text.Length, result.Consumed);
        return result.Request!;
    }

    [Fact]
    public void Get_ReportsMethodPathQueryVersionAndFields()
    {
        HttpRequest r = ParseValid("GET /objects/a%20b.txt?x=1&y=%2F HTTP/1.1\r\nHost: storage.test:80\r\nUser-Agent: curl/8.5\r\n" +
                                   "Range: bytes=0-9\r\nIf-None-Match: \"a\", W/\"b\"\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n" +
                                   "If-Range: \"a\"\r\nConnection: keep-alive\r\nX-Other: ignored\r\n\r\n");
        Assert.Equal(RequestMethod.Get, r.Method);
        Assert.Equal("/objects/a%20b.txt", r.RawPath);
        Assert.Equal("x=1&y=%2F", r.Query);
        Assert.Equal(HttpVersion.Http11, r.Version);
        Assert.Equal("storage.test:80", r.Host);
        Assert.Equal("curl/8.5", r.UserAgent);
        Assert.Equal("bytes=0-9", r.Range);
        Assert.Equal("\"a\", W/\"b\"", r.IfNoneMatch);
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", r.IfModifiedSince);
        Assert.Equal("\"a\"", r.IfRange);
        Assert.Equal(RequestTargetForm.Origin, r.TargetForm);
        Assert.True(r.KeepAlive);
    }

    [Fact]
    public void FieldNames_AreCaseInsensitive_AndValuesTrimmed()
    {
        HttpRequest r = ParseValid("GET / HTTP/1.1\r\nhOsT:storage.test \t\r\nRANGE: \t bytes=1-2  \r\n\r\n");
        Assert.Equal("storage.test", r.Host);
        Assert.Equal("bytes=1-2", r.Range);
    }

    [Fact]
    public void RepeatedListField_IsJoinedWithComma()
    {
        HttpRequest r = ParseValid(Get("/", "If-None-Match: \"a\"", "If-None-Match: \"b\""));
        Assert.Equal("\"a\", \"b\"", r.IfNoneMatch);
    }

    [Fact]
    public void Head_IsHead()
    {
        HttpRequest r = ParseValid(Head("/hello.txt"));
        Assert.Equal(RequestMethod.Head, r.Method);
        Assert.True(r.IsHead);
    }

    [Fact]
    public void OptionsAsterisk_IsAccepted()
    {
        HttpRequest r = ParseValid("OPTIONS * HTTP/1.1\r\nHost: storage.test\r\n\r\n");
        Assert.Equal(RequestTargetForm.Asterisk, r.TargetForm);
        Assert.Equal(RequestMethod.Options, r.Method);
    }

    [Fact]
    public void AbsoluteForm_ForServiceHost_UsesTargetAuthority()
    {
        HttpRequest r = ParseValid("GET http://STORAGE.test/hello.txt?q HTTP/1.1\r\nHost: ignored.test\r\n\r\n");
        Assert.Equal(RequestTargetForm.Absolute, r.TargetForm);
        Assert.Equal("/hello.txt", r.RawPath);
        Assert.Equal("q", r.Query);
        Assert.Equal("storage.test", r.Host);
    }

    [Fact]
    public void AbsoluteForm_WithEmptyPath_IsRoot()
    {
        HttpRequest r = ParseValid("GET http://storage.test:80 HTTP/1.1\r\nHost: storage.test\r\n\r\n");
        Assert.Equal("/", r.RawPath);
        Assert.Equal("storage.test:80", r.Host);
    }

    [Fact]
    public void AbsoluteForm_WithNoServiceHostsConfigured_AcceptsAnyHost()
    {
        HttpRequest r = ParseValid("GET http://anything.test/x HTTP/1.1\r\nHost: anything.test\r\n\r\n", HttpParserOptions.Default);
        Assert.Equal("/x", r.RawPath);
    }

    [Fact]
    public void Http10_WithoutHost_IsAccepted()
    {
        HttpRequest r = ParseValid("GET /hello.txt HTTP/1.0\r\n\r\n");
        Assert.Equal(HttpVersion.Http10, r.Version);
        Assert.Null(r.Host);
    }

    [Fact]
    public void Http12_IsReadAsHttp11()
    {
        HttpRequest r = ParseValid("GET / HTTP/1.2\r\nHost: storage.test\r\n\r\n");
        Assert.Equal(HttpVersion.Http11, r.Version);
    }

    [Fact]
    public void EmptyHost_IsAccepted()
    {
        HttpRequest r = ParseValid("GET / HTTP/1.1\r\nHost:\r\n\r\n");
        Assert.Equal("", r.Host);
    }

    [Theory]
    [InlineData("Host: [2001:db8::1]:80")]
    [InlineData("Host: 198.18.0.1")]
    [InlineData("Host: storage.test:")]
    [InlineData("Host: xn--caf-dma.test")]
    public void HostForms_AreAccepted(string host) => ParseValid("GET / HTTP/1.1\r\n" + host + "\r\n\r\n");

    [Fact]
    public void LeadingEmptyLines_AreSkippedAndConsumed()
    {
        HttpRequest r = ParseValid("\r\n\r\n" + Get("/hello.txt"));
        Assert.Equal("/hello.txt", r.RawPath);
    }

    [Fact]
    public void ZeroContentLength_IsNotABody()
    {
        HttpRequest r = ParseValid(Get("/", "Content-Length: 0"));
        Assert.True(r.KeepAlive);
    }

    [Fact]
    public void Expect100Continue_WithoutBody_IsNotedAndIgnored()
    {
        HttpRequest r = ParseValid(Get("/", "Expect: 100-Continue"));
        Assert.True(r.ExpectContinue);
    }

    [Fact]
    public void ExpectOnHttp10_IsIgnored()
    {
        HttpRequest r = ParseValid("GET / HTTP/1.0\r\nExpect: anything\r\n\r\n");
        Assert.False(r.ExpectContinue);
    }

    [Fact]
    public void ObsTextInValue_IsAccepted()
    {
        HttpRequest r = ParseValid(Get("/", "User-Agent: caf\u00e9"));
        Assert.Equal("caf\u00e9", r.UserAgent);
    }

    [Fact]
    public void LongestAllowedLines_AreAccepted()
    {
        string target = "/" + new string('a', 8192 - "GET / HTTP/1.1".Length);
        string line = "GET " + target + " HTTP/1.1";
        Assert.Equal(8192, line.Length);
        ParseValid(line + "\r\nHost: storage.test\r\n\r\n");
        ParseValid(Get("/", "X: " + new string('v', 8192 - 3)));
        ParseValid(Get("/", Enumerable.Range(0, 99).Select(i => "X-" + i + ": v").ToArray()));
    }

    [Fact]
    public void OneByteLonger_IsRefused()
    {
        string target = "/" + new string('a', 8193 - "GET / HTTP/1.1".Length);
        Assert.Equal(414, HttpRequestParser.ParseOnce(Bytes("GET " + target + " HTTP/1.1\r\nHost: storage.test\r\n\r\n")).Error!.StatusCode);
        Assert.Equal(431, HttpRequestParser.ParseOnce(Bytes(Get("/", "X: " + new string('v', 8193 - 3)))).Error!.StatusCode);
    }

    [Fact]
    public void LongTarget_IsRefusedBeforeTheLineEnds()
    {
        // A client trickling an endless target is stopped at the limit, not buffered forever.
        byte[] partial = Bytes("GET /" + new string('a', 9000));
        Assert.Equal(414, HttpRequestParser.ParseOnce(partial).Error!.StatusCode);
    }

    [Fact]
    public void EndlessHeaderSection_IsRefusedAtTheLimit()
    {
        string fields = string.Concat(Enumerable.Range(0, 2000).Select(i => "X-" + i + ": v\r\n"));
        HttpParseResult r = HttpRequestParser.ParseOnce(Bytes("GET / HTTP/1.1\r\n" + fields), new HttpParserOptions { MaxHeaderCount = 10000 });
        Assert.Equal(431, r.Error!.StatusCode);
    }

    [Fact]
    public void CustomLimits_AreHonoured()
    {
        var tight = new HttpParserOptions { MaxHeaderCount = 2 };
        Assert.Equal(431, HttpRequestParser.ParseOnce(Bytes(Get("/", "A: 1", "B: 2")), tight).Error!.StatusCode);
        Assert.Equal(HttpParseOutcome.Request, HttpRequestParser.ParseOnce(Bytes(Get("/", "A: 1")), tight).Outcome);
    }

    [Fact]
    public void Parse_WithShorterBufferThanBefore_Throws()
    {
        var parser = new HttpRequestParser();
        parser.Parse(Bytes("GET / HT"));
        Assert.Throws<ArgumentException>(() => parser.Parse(Bytes("GET")));
    }

    [Fact]
    public void Reset_ForgetsPartialRequest()
    {
        var parser = new HttpRequestParser(ParserOptions);
        parser.Parse(Bytes("GET /a HT"));
        parser.Reset();
        Assert.Equal("/b", parser.Parse(Bytes(Get("/b"))).Request!.RawPath);
    }
}
