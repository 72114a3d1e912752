using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Random, mutated and truncated input never throws, and every final answer is a well-formed
/// response the handler can produce.</summary>
public class RobustnessTests
{
    static readonly string[] Seeds =
    [
        Get("/hello.txt", "Range: bytes=0-9,20-", "If-None-Match: \"abc\"", "If-Range: \"abc\""),
        Head("/cd/VOL1/DOCS/README.TXT", "Connection: close", "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"),
        "GET http://storage.test/%2e%2e/x?y HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n",
    ];

    const string Interesting = "%./\r\n :\0\"-,*";

    static void CheckAnswer(HttpParseResult result, HttpRequestHandler handler)
    {
        if (result.Outcome == HttpParseOutcome.Incomplete) return;
        HttpDecision d = handler.Decide(result, Now);
        string text = Text(d.Bytes);
        Assert.StartsWith("HTTP/1.1 " + d.StatusCode + " ", text);
        Assert.Contains("\r\n\r\n", text);
        Assert.True(result.Consumed > 0);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(1234);
        var handler = new HttpRequestHandler(Catalog());
        for (int n = 0; n < 3000; n++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            CheckAnswer(HttpRequestParser.ParseOnce(bytes, ParserOptions), handler);
        }
    }

    [Fact]
    public void RandomPrintableText_NeverThrows()
    {
        var random = new Random(99);
        var handler = new HttpRequestHandler(Catalog());
        const string alphabet = "GETHEADPOST /%.?#:*-=,;\"\\\r\n\t 0123456789abcdefHTTP/1.1Host:Range:bytes";
        for (int n = 0; n < 3000; n++)
        {
            var chars = new char[random.Next(0, 200)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            CheckAnswer(HttpRequestParser.ParseOnce(Bytes("GET " + new string(chars)), ParserOptions), handler);
        }
    }

    [Fact]
    public void MutatedRequests_NeverThrow_AndSplitDoesNotChangeTheAnswer()
    {
        var random = new Random(42);
        var handler = new HttpRequestHandler(Catalog());
        for (int n = 0; n < 4000; n++)
        {
            byte[] bytes = Bytes(Seeds[n % Seeds.Length]);
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++)
            {
                int at = random.Next(bytes.Length);
                switch (random.Next(3))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes[at] = (byte)Interesting[random.Next(Interesting.Length)]; break;
                    default: bytes = bytes[..at].Concat(bytes[(at + 1)..]).ToArray(); break;
                }
            }
            HttpParseResult whole = HttpRequestParser.ParseOnce(bytes, ParserOptions);
            CheckAnswer(whole, handler);
            int split = random.Next(bytes.Length + 1);
            var parser = new HttpRequestParser(ParserOptions);
            HttpParseResult first = parser.Parse(bytes.AsSpan(0, split));
            Assert.Equal(whole, first.Outcome == HttpParseOutcome.Incomplete ? parser.Parse(bytes) : first);
        }
    }

    [Fact]
    public void EveryTruncation_NeverThrows()
    {
        var handler = new HttpRequestHandler(Catalog());
        foreach (string seed in Seeds)
        {
            byte[] bytes = Bytes(seed);
            for (int n = 0; n <= bytes.Length; n++)
                CheckAnswer(HttpRequestParser.ParseOnce(bytes.AsSpan(0, n), ParserOptions), handler);
        }
    }

    [Fact]
    public void RandomRangeFields_NeverThrow_AndStayInsideTheObject()
    {
        var random = new Random(7);
        const string alphabet = "0123456789-,= bytesBYTES";
        for (int n = 0; n < 5000; n++)
        {
            var chars = new char[random.Next(0, 30)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            string field = (random.Next(2) == 0 ? "bytes=" : "") + new string(chars);
            long size = random.Next(0, 50);
            RangeDecision decision = ByteRanges.Resolve(field, size, out ByteRange range);
            if (decision == RangeDecision.Unsatisfiable) continue;
            Assert.InRange(range.Offset, 0, Math.Max(0, size - 1));
            Assert.InRange(range.Length, decision == RangeDecision.Partial ? 1 : 0, size - range.Offset);
        }
    }

    [Fact]
    public void RandomPaths_NeverThrow()
    {
        var random = new Random(5);
        const string alphabet = "/.%2eEfF0aA5c";
        for (int n = 0; n < 5000; n++)
        {
            var chars = new char[random.Next(0, 24)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            string raw = "/" + new string(chars);
            if (HttpPath.TryNormalize(raw, out NormalizedPath path, out _) == 0)
                Assert.DoesNotContain(path.Segments, s => s is "." or ".." || s.Contains('/') || s.Length == 0);
        }
    }
}
