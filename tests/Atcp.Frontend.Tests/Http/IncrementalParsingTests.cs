using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Bytes arriving in pieces: the result never depends on where a request was split, and
/// several requests in one buffer are read one after another.</summary>
public class IncrementalParsingTests
{
    // Tight limits so the over-long cases stay short enough to split at every point.
    static readonly HttpParserOptions Tight = ParserOptions with { MaxRequestLineLength = 200, MaxHeaderLineLength = 100, MaxHeaderCount = 8 };

    public static TheoryData<string> Requests => new()
    {
        Get("/hello.txt"),
        Get("/objects/dir/file.bin?x=1", "Range: bytes=0-4", "If-None-Match: \"f1\"", "Connection: close"),
        Head("/cd/VOL1/DOCS/README.TXT", "User-Agent: test"),
        "\r\nGET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: storage.test\r\n\r\n",
        "GET http://storage.test/hello.txt HTTP/1.1\r\nHost: storage.test\r\n\r\n",
        // Refusals must not depend on the split either.
        "GET / HTTP/1.1\r\nHost: storage.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: storage.test\r\nX: a\r\n b\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: storage.test\r\nBad Name: x\r\n\r\n",
        "GET /" + new string('a', 300) + " HTTP/1.1\r\n\r\n",
        Get("/", "X-Long: " + new string('v', 120)),
        Get("/", "A: 1", "B: 2", "C: 3", "D: 4", "E: 5", "F: 6", "G: 7", "H: 8"),
        "DELETE / HTTP/1.1\r\nHost: storage.test\r\n\r\n",
        "GET / HTTP/1.1\rHost: x\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void SplitAtEveryPoint_GivesSameResult(string request)
    {
        byte[] bytes = Bytes(request);
        HttpParseResult whole = HttpRequestParser.ParseOnce(bytes, Tight);
        Assert.NotEqual(HttpParseOutcome.Incomplete, whole.Outcome);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var parser = new HttpRequestParser(Tight);
            HttpParseResult first = parser.Parse(bytes.AsSpan(0, split));
            HttpParseResult final = first.Outcome == HttpParseOutcome.Incomplete ? parser.Parse(bytes) : first;
            Assert.True(whole.Equals(final), $"split at {split}: {final} vs {whole}");
        }
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void OneByteAtATime_GivesSameResult(string request)
    {
        byte[] bytes = Bytes(request);
        HttpParseResult whole = HttpRequestParser.ParseOnce(bytes, Tight);
        var parser = new HttpRequestParser(Tight);
        HttpParseResult result = HttpParseResult.Incomplete;
        int fed = 0;
        while (result.Outcome == HttpParseOutcome.Incomplete && fed < bytes.Length)
            result = parser.Parse(bytes.AsSpan(0, ++fed));
        Assert.Equal(whole, result);
        if (whole.Outcome == HttpParseOutcome.Request) Assert.Equal(bytes.Length, fed);
    }

    [Fact]
    public void EveryProperPrefixOfAValidRequest_IsIncomplete()
    {
        byte[] bytes = Bytes(Get("/hello.txt", "Range: bytes=1-2"));
        for (int n = 0; n < bytes.Length; n++)
            Assert.Equal(HttpParseOutcome.Incomplete, HttpRequestParser.ParseOnce(bytes.AsSpan(0, n), ParserOptions).Outcome);
    }

    [Fact]
    public void ThreePipelinedRequests_AreReadInOrder()
    {
        string a = Get("/hello.txt"), b = Head("/dir/file.bin"), c = Get("/empty", "Connection: close");
        byte[] buffer = Bytes(a + b + c);
        var parser = new HttpRequestParser(ParserOptions);
        var paths = new List<string>();
        int offset = 0;
        while (offset < buffer.Length)
        {
            HttpParseResult r = parser.Parse(buffer.AsSpan(offset));
            Assert.Equal(HttpParseOutcome.Request, r.Outcome);
            paths.Add(r.Request!.MethodName + " " + r.Request.RawPath);
            offset += r.Consumed;
        }
        Assert.Equal(["GET /hello.txt", "HEAD /dir/file.bin", "GET /empty"], paths);
        Assert.Equal(buffer.Length, offset);
    }

    [Fact]
    public void PipelinedRequestFollowedByPartialOne_LeavesThePartialPending()
    {
        string a = Get("/hello.txt"), b = Get("/empty");
        byte[] buffer = Bytes(a + b[..10]);
        var parser = new HttpRequestParser(ParserOptions);
        HttpParseResult first = parser.Parse(buffer);
        Assert.Equal(a.Length, first.Consumed);
        Assert.Equal(HttpParseOutcome.Incomplete, parser.Parse(buffer.AsSpan(first.Consumed)).Outcome);
        Assert.Equal("/empty", parser.Parse(Bytes(b)).Request!.RawPath);
    }

    [Fact]
    public void PipelinedRequests_SplitEverywhere_AreAllRead()
    {
        string stream = Get("/hello.txt") + "\r\n" + Head("/empty") + Get("/cd/", "Connection: close");
        byte[] bytes = Bytes(stream);
        for (int chunk = 1; chunk <= 17; chunk++)
        {
            var parser = new HttpRequestParser(ParserOptions);
            var pending = new List<byte>();
            var got = new List<string>();
            for (int i = 0; i < bytes.Length; i += chunk)
            {
                pending.AddRange(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)).ToArray());
                while (true)
                {
                    HttpParseResult r = parser.Parse(pending.ToArray());
                    if (r.Outcome == HttpParseOutcome.Incomplete) break;
                    got.Add(r.Request!.RawPath);
                    pending.RemoveRange(0, r.Consumed);
                }
            }
            Assert.Equal(["/hello.txt", "/empty", "/cd/"], got);
            Assert.Empty(pending);
        }
    }

    [Fact]
    public void PipelinedAfterNonClosingRefusal_NextRequestIsRead()
    {
        string refused = "BREW /pot HTTP/1.1\r\nHost: storage.test\r\n\r\n";
        byte[] buffer = Bytes(refused + Get("/hello.txt"));
        var parser = new HttpRequestParser(ParserOptions);
        HttpParseResult first = parser.Parse(buffer);
        Assert.Equal(501, first.Error!.StatusCode);
        Assert.False(first.Error.MustClose);
        Assert.Equal("/hello.txt", parser.Parse(buffer.AsSpan(first.Consumed)).Request!.RawPath);
    }
}
