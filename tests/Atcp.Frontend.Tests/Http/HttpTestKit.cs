using System.Text;
using Atcp.Frontend.Http;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Shared fixtures: request text to bytes, a small catalog, a fixed clock, and a helper that
/// runs parser and handler the way a connection does.</summary>
internal static class HttpTestKit
{
    /// <summary>The time every test passes in: Tue, 15 Apr 2025 12:00:00 GMT.</summary>
    public static readonly DateTimeOffset Now = new(2025, 4, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset HelloModified = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Request text to bytes, one byte per char (so "\u00e9" is the single byte 0xE9).</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>A minimal valid GET for <paramref name="target"/> with extra header lines.</summary>
    public static string Get(string target, params string[] headers) => Request("GET", target, headers);

    public static string Head(string target, params string[] headers) => Request("HEAD", target, headers);

    public static string Request(string method, string target, params string[] headers)
    {
        var sb = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: storage.test\r\n");
        foreach (string h in headers) sb.Append(h).Append("\r\n");
        return sb.Append("\r\n").ToString();
    }

    public static InMemoryObjectCatalog Catalog()
    {
        var catalog = new InMemoryObjectCatalog();
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("hello.txt"), 1000, "text/plain", "\"abc\"", HelloModified, Handle: "board-1"));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("dir/file.bin"), 10, "application/octet-stream", "\"f1\""));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("empty"), 0, "text/plain", "\"e0\""));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("weak.txt"), 100, "text/plain", "W/\"w1\""));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("a <b>&\"c\".txt"), 3, "text/plain", null));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("badtype"), 5, "text/plain\r\nX-Evil: 1", "bad-etag-no-quotes"));
        catalog.Add(new ObjectInfo(ObjectLocation.OnDisk("caf\u00e9"), 7, "text/plain", "\"cafe\""));
        catalog.Add(new ObjectInfo(ObjectLocation.OnCd("VOL1", "DOCS/README.TXT"), 500, "text/plain", "\"cd1\""));
        catalog.AddVolume("EMPTYVOL");
        return catalog;
    }

    public static HttpParserOptions ParserOptions { get; } = new() { ServiceHosts = ["storage.test"] };

    /// <summary>Parses one request from <paramref name="request"/> and decides its answer.</summary>
    public static (HttpParseResult Parsed, HttpDecision Decision) Serve(string request, HttpServerOptions? options = null) =>
        Serve(Bytes(request), options);

    public static (HttpParseResult Parsed, HttpDecision Decision) Serve(byte[] request, HttpServerOptions? options = null)
    {
        HttpParseResult parsed = HttpRequestParser.ParseOnce(request, ParserOptions);
        Assert.NotEqual(HttpParseOutcome.Incomplete, parsed.Outcome);
        var handler = new HttpRequestHandler(Catalog(), options);
        return (parsed, handler.Decide(parsed, Now));
    }

    /// <summary>The header block of a response as text, up to and including the empty line.</summary>
    public static string HeaderText(byte[] response)
    {
        string all = Text(response);
        int end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? all : all[..(end + 4)];
    }

    /// <summary>The value of a header field in a response, or null.</summary>
    public static string? Field(byte[] response, string name)
    {
        foreach (string line in HeaderText(response).Split("\r\n"))
            if (line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase)) return line[(name.Length + 2)..];
        return null;
    }

    /// <summary>The bytes after the header block.</summary>
    public static string Body(byte[] response) => Text(response)[HeaderText(response).Length..];
}
