using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Keep-alive versus close (RFC 9112 9.3) for HTTP/1.0 and 1.1, on success and on errors.</summary>
public class PersistenceTests
{
    [Theory]
    [InlineData("1.1", null, false)]
    [InlineData("1.1", "keep-alive", false)]
    [InlineData("1.1", "close", true)]
    [InlineData("1.1", "Close", true)]
    [InlineData("1.1", "keep-alive, close", true)]
    [InlineData("1.1", "upgrade, CLOSE", true)]
    [InlineData("1.1", "closed", false)]
    [InlineData("1.0", null, true)]
    [InlineData("1.0", "keep-alive", false)]
    [InlineData("1.0", "Keep-Alive", false)]
    [InlineData("1.0", "close", true)]
    [InlineData("1.0", "keep-alive, close", true)]
    public void ConnectionField_DecidesClose(string version, string? connection, bool close)
    {
        string request = "GET /hello.txt HTTP/" + version + "\r\nHost: storage.test\r\n" +
                         (connection == null ? "" : "Connection: " + connection + "\r\n") + "\r\n";
        var (parsed, d) = Serve(request);
        Assert.Equal(!close, parsed.Request!.KeepAlive);
        Assert.Equal(close, d.CloseAfter);
        Assert.Equal(close ? "close" : "keep-alive", Field(d.Bytes, "Connection"));
        Assert.StartsWith("HTTP/1.1 200 ", Text(d.Bytes));
    }

    [Fact]
    public void RepeatedConnectionLines_AreCombined()
    {
        var (_, d) = Serve(Get("/hello.txt", "Connection: keep-alive", "Connection: close"));
        Assert.True(d.CloseAfter);
    }

    [Fact]
    public void NotFound_KeepsAliveOn11_ClosesOn10()
    {
        Assert.False(Serve(Get("/nope")).Decision.CloseAfter);
        Assert.True(Serve("GET /nope HTTP/1.0\r\n\r\n").Decision.CloseAfter);
        Assert.False(Serve("GET /nope HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").Decision.CloseAfter);
    }

    [Fact]
    public void BadPath_AlwaysCloses()
    {
        var (_, d) = Serve(Get("/%00"));
        Assert.True(d.CloseAfter);
        Assert.Equal("close", Field(d.Bytes, "Connection"));
    }

    [Fact]
    public void NotModifiedAndRange_FollowTheRequest()
    {
        Assert.True(Serve(Get("/hello.txt", "If-None-Match: *", "Connection: close")).Decision.CloseAfter);
        Assert.True(Serve(Get("/hello.txt", "Range: bytes=0-1", "Connection: close")).Decision.CloseAfter);
        Assert.True(Serve(Get("/hello.txt", "Range: bytes=5000-", "Connection: close")).Decision.CloseAfter);
    }

    [Fact]
    public void RefusedMethod_WithCloseRequested_Closes()
    {
        Assert.True(Serve("DELETE / HTTP/1.1\r\nHost: storage.test\r\nConnection: close\r\n\r\n").Decision.CloseAfter);
    }
}
