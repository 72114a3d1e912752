using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Hostile and malformed requests, each pinned to the exact status the client gets and to
/// whether the connection closes afterwards.</summary>
public class HostileRequestTests
{
    const string H = "Host: storage.test\r\n";
    static readonly string LongTarget = "/" + new string('a', 9000);
    static readonly string ManyHeaders = string.Concat(Enumerable.Range(0, 101).Select(i => "X-H" + i + ": v\r\n"));
    static readonly string LongHeader = "X-Long: " + new string('v', 8200) + "\r\n";
    static readonly string BigSection = string.Concat(Enumerable.Range(0, 5).Select(i => "X-Big" + i + ": " + new string('v', 4000) + "\r\n"));

    public static TheoryData<string, string, int, bool> Cases => new()
    {
        // Request smuggling shapes (RFC 9112 6.1, 6.3): every one closes the connection.
        { "CL then TE", "GET / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400, true },
        { "TE then CL", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400, true },
        { "CL zero with TE", "GET / HTTP/1.1\r\n" + H + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, true },
        { "duplicate CL same value", "GET / HTTP/1.1\r\n" + H + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n", 400, true },
        { "duplicate CL different", "GET / HTTP/1.1\r\n" + H + "Content-Length: 0\r\nContent-Length: 7\r\n\r\n", 400, true },
        { "CL as a list", "GET / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\n", 400, true },
        { "CL with plus sign", "GET / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", 400, true },
        { "CL negative", "GET / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400, true },
        { "CL hex", "GET / HTTP/1.1\r\n" + H + "Content-Length: 0x10\r\n\r\n", 400, true },
        { "CL with inner space", "GET / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\n", 400, true },
        { "CL empty", "GET / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", 400, true },
        { "CL overflowing", "GET / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999\r\n\r\n", 400, true },
        { "CL body on GET", "GET / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\n0123456789", 413, true },
        { "CL body on HEAD", "HEAD / HTTP/1.1\r\n" + H + "Content-Length: 1\r\n\r\nx", 413, true },
        { "TE chunked on GET", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 413, true },
        { "TE chunked mixed case on GET", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: ChUnKeD\r\n\r\n", 413, true },
        { "TE chunked not last", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, true },
        { "TE identity", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", 400, true },
        { "TE chunked twice", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400, true },
        { "TE chunked twice over two lines", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400, true },
        { "TE unknown coding then chunked", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501, true },
        { "TE empty", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n\r\n", 400, true },
        { "TE in HTTP/1.0", "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, true },
        { "TE with space before colon", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n", 400, true },
        { "TE with tab before colon", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding\t: chunked\r\n\r\n", 400, true },
        { "TE folded onto next line", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", 400, true },
        { "TE hidden by leading whitespace", "GET / HTTP/1.1\r\n Transfer-Encoding: chunked\r\n" + H + "\r\n", 400, true },
        { "TE with vertical tab", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: \vchunked\r\n\r\n", 400, true },
        { "POST with body", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc", 405, true },
        { "Expect with body on GET", "GET / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 100\r\n\r\n", 413, true },

        // Request line (RFC 9112 3).
        { "target too long", "GET " + LongTarget + " HTTP/1.1\r\n" + H + "\r\n", 414, true },
        { "method too long", new string('M', 40) + " / HTTP/1.1\r\n" + H + "\r\n", 501, true },
        { "two spaces after method", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "space after version", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400, true },
        { "tab as separator", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "lowercase version", "GET / http/1.1\r\n" + H + "\r\n", 400, true },
        { "HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505, true },
        { "HTTP/0.9 version", "GET / HTTP/0.9\r\n" + H + "\r\n", 505, true },
        { "HTTP/3.0", "GET / HTTP/3.0\r\n" + H + "\r\n", 505, true },
        { "version without minor", "GET / HTTP/1\r\n" + H + "\r\n", 400, true },
        { "version with two-digit major", "GET / HTTP/10.1\r\n" + H + "\r\n", 400, true },
        { "version with extra part", "GET / HTTP/1.1.1\r\n" + H + "\r\n", 400, true },
        { "HTTP/0.9 simple request", "GET /\r\n\r\n", 400, true },
        { "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, true },
        { "NUL in method", "G\0ET / HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "NUL in target", "GET /a\0b HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "non-ASCII in method", "G\u00c9T / HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "non-ASCII in target", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "leading space before method", " GET / HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "too many empty lines first", string.Concat(Enumerable.Repeat("\r\n", 10)) + "GET / HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "bare LF line ends", "GET / HTTP/1.1\nHost: storage.test\n\n", 400, true },
        { "bare LF ends one header", "GET / HTTP/1.1\r\n" + H + "X-A: 1\n\r\n", 400, true },
        { "CR without LF in request line", "GET / HTTP/1.1\rHost: storage.test\r\n\r\n", 400, true },
        { "CR inside a header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n", 400, true },
        { "lowercase method", "get / HTTP/1.1\r\n" + H + "\r\n", 501, false },
        { "unknown method", "BREW / HTTP/1.1\r\n" + H + "\r\n", 501, false },
        { "DELETE", "DELETE /hello.txt HTTP/1.1\r\n" + H + "\r\n", 405, false },
        { "TRACE", "TRACE / HTTP/1.1\r\n" + H + "\r\n", 405, false },
        { "CONNECT authority-form", "CONNECT storage.test:443 HTTP/1.1\r\n" + H + "\r\n", 405, false },
        { "DELETE on HTTP/1.0 closes", "DELETE / HTTP/1.0\r\n\r\n", 405, true },
        { "asterisk with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "fragment in target", "GET /hello.txt#top HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "authority-form with GET", "GET storage.test:80 HTTP/1.1\r\n" + H + "\r\n", 421, false },
        { "relative target", "GET hello.txt HTTP/1.1\r\n" + H + "\r\n", 400, true },

        // Header fields (RFC 9112 5, RFC 9110 5.5).
        { "missing Host", "GET / HTTP/1.1\r\n\r\n", 400, true },
        { "duplicate Host", "GET / HTTP/1.1\r\n" + H + H + "\r\n", 400, true },
        { "two Hosts differing", "GET / HTTP/1.1\r\n" + H + "Host: other.test\r\n\r\n", 400, true },
        { "Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, true },
        { "Host with userinfo", "GET / HTTP/1.1\r\nHost: user@storage.test\r\n\r\n", 400, true },
        { "Host with open bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, true },
        { "Host with bad port", "GET / HTTP/1.1\r\nHost: storage.test:8x\r\n\r\n", 400, true },
        { "non-ASCII in header name", "GET / HTTP/1.1\r\n" + H + "X-\u00e9: 1\r\n\r\n", 400, true },
        { "NUL in header name", "GET / HTTP/1.1\r\n" + H + "X-\0: 1\r\n\r\n", 400, true },
        { "NUL in header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n", 400, true },
        { "DEL in header value", "GET / HTTP/1.1\r\n" + H + "X-A: a\u007fb\r\n\r\n", 400, true },
        { "empty header name", "GET / HTTP/1.1\r\n" + H + ": x\r\n\r\n", 400, true },
        { "header without colon", "GET / HTTP/1.1\r\n" + H + "NoColonHere\r\n\r\n", 400, true },
        { "obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: one\r\n two\r\n\r\n", 400, true },
        { "obs-fold with tab", "GET / HTTP/1.1\r\n" + H + "X-A: one\r\n\ttwo\r\n\r\n", 400, true },
        { "101 header fields", "GET / HTTP/1.1\r\n" + H + ManyHeaders + "\r\n", 431, true },
        { "header line too long", "GET / HTTP/1.1\r\n" + H + LongHeader + "\r\n", 431, true },
        { "header section too large", "GET / HTTP/1.1\r\n" + H + BigSection + "\r\n", 431, true },
        { "unknown expectation", "GET / HTTP/1.1\r\n" + H + "Expect: something\r\n\r\n", 417, false },

        // Absolute-form targets (RFC 9112 3.2.2).
        { "absolute-form other host", "GET http://evil.test/hello.txt HTTP/1.1\r\n" + H + "\r\n", 421, false },
        { "absolute-form other port", "GET http://storage.test:8080/hello.txt HTTP/1.1\r\n" + H + "\r\n", 421, false },
        { "absolute-form https", "GET https://storage.test/hello.txt HTTP/1.1\r\n" + H + "\r\n", 421, false },
        { "absolute-form userinfo", "GET http://u:p@storage.test/ HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "absolute-form empty host", "GET http:///hello.txt HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "absolute-form without slashes", "GET http:storage.test/ HTTP/1.1\r\n" + H + "\r\n", 400, true },

        // Paths (RFC 3986 5.2.4; choices in Http/README.md).
        { "traversal /../etc/passwd", Get("/../etc/passwd"), 400, true },
        { "traversal %2e%2e", Get("/%2e%2e/"), 400, true },
        { "traversal %2E%2E mixed", Get("/%2E./etc/passwd"), 400, true },
        { "traversal a/%2e%2e/%2e%2e/b", Get("/a/%2e%2e/%2e%2e/b"), 400, true },
        { "traversal after dot", Get("/./../hello.txt"), 400, true },
        { "traversal through objects prefix", Get("/objects/../../hello.txt"), 400, true },
        { "encoded slash", Get("/..%2fetc/passwd"), 400, true },
        { "encoded slash in a name", Get("/dir%2Ffile.bin"), 400, true },
        { "raw backslash", "GET /a\\b HTTP/1.1\r\n" + H + "\r\n", 400, true },
        { "encoded backslash", Get("/..%5c..%5cwindows"), 400, true },
        { "encoded NUL", Get("/hello.txt%00.png"), 400, true },
        { "encoded control", Get("/a%0d%0aSet-Cookie:x"), 400, true },
        { "invalid escape", Get("/%zz"), 400, true },
        { "truncated escape", Get("/abc%4"), 400, true },
        { "invalid UTF-8", Get("/%C3%28"), 400, true },
        { "overlong UTF-8 slash", Get("/%C0%AF"), 400, true },
        { "UTF-8 surrogate", Get("/%ED%A0%80"), 400, true },
        { "invalid escape in query", Get("/hello.txt?a=%g1"), 400, true },
        { "pipe in target", Get("/a|b"), 400, true },
        { "braces in target", Get("/{x}"), 400, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void HostileRequest_GetsExactStatus(string name, string request, int status, bool close)
    {
        var (parsed, decision) = Serve(request);
        Assert.True(status == decision.StatusCode, $"{name}: expected {status}, got {decision.StatusCode} ({parsed})");
        Assert.True(close == decision.CloseAfter, $"{name}: expected close={close} ({parsed})");
        Assert.Equal(HttpDecisionKind.AnswerLocally, decision.Kind);
        Assert.StartsWith("HTTP/1.1 " + status + " ", Text(decision.Bytes));
        Assert.Equal(close ? "close" : "keep-alive", Field(decision.Bytes, "Connection"));
    }

    [Fact]
    public void HostileCases_AreAtLeastSixty() => Assert.True(Cases.Count >= 60);

    [Fact]
    public void MethodNotAllowed_CarriesAllow()
    {
        var (_, decision) = Serve("PUT /x HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n");
        Assert.Equal(405, decision.StatusCode);
        Assert.False(decision.CloseAfter);
        Assert.Equal("GET, HEAD, OPTIONS", Field(decision.Bytes, "Allow"));
    }

    [Fact]
    public void ErrorOnHead_HasNoBody()
    {
        var (_, decision) = Serve("HEAD / HTTP/1.1\r\n\r\n");
        Assert.Equal(400, decision.StatusCode);
        Assert.Equal("", Body(decision.Bytes));
    }

    [Fact]
    public void RefusalWithoutBody_ConsumesExactlyTheRequest()
    {
        string first = "DELETE /hello.txt HTTP/1.1\r\n" + H + "\r\n";
        HttpParseResult result = HttpRequestParser.ParseOnce(Bytes(first + Get("/hello.txt")));
        Assert.Equal(405, result.Error!.StatusCode);
        Assert.Equal("Method Not Allowed", result.Error.Reason);
        Assert.Equal(first.Length, result.Consumed);
    }

    [Fact]
    public void ErrorBody_DoesNotEchoTheRequest()
    {
        var (_, decision) = Serve(Get("/<script>alert(1)</script>"));
        Assert.DoesNotContain("<script>", Text(decision.Bytes));
    }
}
