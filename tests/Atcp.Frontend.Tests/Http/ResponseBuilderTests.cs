using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Golden outputs of the response builder: exact bytes, field order, CRLFs.</summary>
public class ResponseBuilderTests
{
    static readonly HttpResponseBuilder Builder = new();

    [Fact]
    public void Full200_Golden()
    {
        var head = new HttpResponseHead
        {
            StatusCode = 200, Date = Now, ContentType = "text/plain", ContentLength = 1000,
            LastModified = HelloModified, ETag = "\"abc\"", AcceptRanges = true, KeepAlive = true,
        };
        Assert.Equal("HTTP/1.1 200 OK\r\n" +
                     "Server: atcp\r\n" +
                     "Date: Tue, 15 Apr 2025 12:00:00 GMT\r\n" +
                     "Content-Type: text/plain\r\n" +
                     "Content-Length: 1000\r\n" +
                     "Last-Modified: Tue, 02 Jan 2024 03:04:05 GMT\r\n" +
                     "ETag: \"abc\"\r\n" +
                     "Accept-Ranges: bytes\r\n" +
                     "Connection: keep-alive\r\n" +
                     "\r\n", Text(Builder.Build(head)));
    }

    [Fact]
    public void Partial206_Golden()
    {
        var head = new HttpResponseHead
        {
            StatusCode = 206, Date = Now, ContentType = "application/octet-stream", ContentLength = 100,
            ContentRange = "bytes 100-199/1000", AcceptRanges = true, KeepAlive = false,
        };
        Assert.Equal("HTTP/1.1 206 Partial Content\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\n" +
                     "Content-Type: application/octet-stream\r\nContent-Length: 100\r\nContent-Range: bytes 100-199/1000\r\n" +
                     "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n", Text(Builder.Build(head)));
    }

    [Fact]
    public void NotModified304_Golden()
    {
        var head = new HttpResponseHead { StatusCode = 304, Date = Now, ETag = "W/\"x\"", KeepAlive = true };
        Assert.Equal("HTTP/1.1 304 Not Modified\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\nETag: W/\"x\"\r\n" +
                     "Connection: keep-alive\r\n\r\n", Text(Builder.Build(head)));
    }

    [Fact]
    public void Error404_GoldenWithBody()
    {
        const string body = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>404 Not Found</h1></body></html>\n";
        Assert.Equal("HTTP/1.1 404 Not Found\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\n" +
                     "Content-Type: text/html; charset=utf-8\r\nContent-Length: " + body.Length + "\r\nConnection: keep-alive\r\n\r\n" + body,
                     Text(Builder.BuildError(404, Now, keepAlive: true, headOnly: false)));
    }

    [Fact]
    public void Error405_CarriesAllow_AndHeadOnlyHasNoBody()
    {
        string text = Text(Builder.BuildError(405, Now, keepAlive: false, headOnly: true));
        Assert.Equal("HTTP/1.1 405 Method Not Allowed\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\n" +
                     "Content-Type: text/html; charset=utf-8\r\nContent-Length: 125\r\nAllow: GET, HEAD, OPTIONS\r\n" +
                     "Connection: close\r\n\r\n", text);
        Assert.Equal(125, HtmlPages.Error(405).Length);
    }

    [Fact]
    public void Error416_GoldenHeader()
    {
        string text = HeaderText(Builder.BuildError(416, Now, keepAlive: true, headOnly: false, contentRange: "bytes */1000"));
        Assert.Equal("HTTP/1.1 416 Range Not Satisfiable\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\n" +
                     "Content-Type: text/html; charset=utf-8\r\nContent-Length: " + HtmlPages.Error(416).Length + "\r\n" +
                     "Content-Range: bytes */1000\r\nAccept-Ranges: bytes\r\nConnection: keep-alive\r\n\r\n", text);
    }

    [Fact]
    public void Redirect301_CarriesLocation()
    {
        byte[] response = Builder.BuildError(301, Now, keepAlive: true, headOnly: false, location: "/cd/");
        Assert.Equal("/cd/", Field(response, "Location"));
        Assert.StartsWith("HTTP/1.1 301 Moved Permanently\r\n", Text(response));
    }

    [Fact]
    public void TryWrite_IntoExactBuffer_AndRefusesSmallerOne()
    {
        var head = new HttpResponseHead { StatusCode = 200, Date = Now, ContentLength = 0, KeepAlive = true };
        byte[] expected = Builder.Build(head);
        var buffer = new byte[expected.Length];
        Assert.True(Builder.TryWrite(head, buffer, out int written));
        Assert.Equal(expected, buffer);
        Assert.Equal(expected.Length, written);
        Assert.False(Builder.TryWrite(head, new byte[expected.Length - 1], out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void LongHeader_IsBuiltWhole()
    {
        string location = "/" + new string('d', 5000) + "/";
        var head = new HttpResponseHead { StatusCode = 301, Date = Now, Location = location };
        byte[] built = Builder.Build(head);
        Assert.Equal(Builder.Measure(head), built.Length);
        Assert.Equal(location, Field(built, "Location"));
        Assert.EndsWith("Connection: close\r\n\r\n", Text(built));
    }

    [Fact]
    public void HeaderInjection_IsRefused()
    {
        var head = new HttpResponseHead { StatusCode = 200, Date = Now, ContentType = "text/plain\r\nSet-Cookie: x=1" };
        Assert.Throws<ArgumentException>(() => Builder.Build(head));
        Assert.Throws<ArgumentException>(() => new HttpResponseBuilder("bad\nname"));
    }

    [Fact]
    public void ServerName_IsConfigurable()
    {
        var head = new HttpResponseHead { StatusCode = 200, Date = Now };
        Assert.Equal("atcp-frontend/1.0", Field(new HttpResponseBuilder("atcp-frontend/1.0").Build(head), "Server"));
    }

    [Fact]
    public void DateInOtherOffset_IsWrittenInGmt()
    {
        var head = new HttpResponseHead { StatusCode = 200, Date = new DateTimeOffset(2025, 4, 15, 14, 0, 0, TimeSpan.FromHours(2)) };
        Assert.Equal("Tue, 15 Apr 2025 12:00:00 GMT", Field(new HttpResponseBuilder().Build(head), "Date"));
    }
}
