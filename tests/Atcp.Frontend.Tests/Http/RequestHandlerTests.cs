using Atcp.Frontend.Http;
using static Atcp.Frontend.Tests.Http.HttpTestKit;

namespace Atcp.Frontend.Tests.Http;

/// <summary>The decision function: who answers, with which bytes, which part of which object.</summary>
public class RequestHandlerTests
{
    [Fact]
    public void Get_DelegatesWholeObjectWithExactPrefix()
    {
        var (_, d) = Serve(Get("/hello.txt"));
        Assert.Equal(HttpDecisionKind.DelegateToBoard, d.Kind);
        Assert.Equal(200, d.StatusCode);
        Assert.Equal(ObjectLocation.OnDisk("hello.txt"), d.Object!.Location);
        Assert.Equal("board-1", d.Object.Handle);
        Assert.Equal((0L, 1000L), (d.Offset, d.Length));
        Assert.False(d.CloseAfter);
        Assert.Equal("HTTP/1.1 200 OK\r\nServer: atcp\r\nDate: Tue, 15 Apr 2025 12:00:00 GMT\r\nContent-Type: text/plain\r\n" +
                     "Content-Length: 1000\r\nLast-Modified: Tue, 02 Jan 2024 03:04:05 GMT\r\nETag: \"abc\"\r\n" +
                     "Accept-Ranges: bytes\r\nConnection: keep-alive\r\n\r\n", Text(d.Bytes));
    }

    [Fact]
    public void RangeGet_DelegatesTheRangeWith206()
    {
        var (_, d) = Serve(Get("/hello.txt", "Range: bytes=100-199"));
        Assert.Equal(HttpDecisionKind.DelegateToBoard, d.Kind);
        Assert.Equal(206, d.StatusCode);
        Assert.Equal((100L, 100L), (d.Offset, d.Length));
        Assert.StartsWith("HTTP/1.1 206 Partial Content\r\n", Text(d.Bytes));
        Assert.Equal("bytes 100-199/1000", Field(d.Bytes, "Content-Range"));
        Assert.Equal("100", Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void CoalescingMultiRange_IsOne206()
    {
        var (_, d) = Serve(Get("/hello.txt", "Range: bytes=10-19,0-9,15-29"));
        Assert.Equal(206, d.StatusCode);
        Assert.Equal((0L, 30L), (d.Offset, d.Length));
        Assert.Equal("bytes 0-29/1000", Field(d.Bytes, "Content-Range"));
    }

    [Fact]
    public void DisjointMultiRange_IsWhole200()
    {
        var (_, d) = Serve(Get("/hello.txt", "Range: bytes=0-9,20-29"));
        Assert.Equal(200, d.StatusCode);
        Assert.Equal((0L, 1000L), (d.Offset, d.Length));
        Assert.Null(Field(d.Bytes, "Content-Range"));
    }

    [Fact]
    public void UnsatisfiableRange_IsLocal416WithStar()
    {
        var (_, d) = Serve(Get("/hello.txt", "Range: bytes=1000-"));
        Assert.Equal(HttpDecisionKind.AnswerLocally, d.Kind);
        Assert.Equal(416, d.StatusCode);
        Assert.Equal("bytes */1000", Field(d.Bytes, "Content-Range"));
        Assert.False(d.CloseAfter);
        Assert.Equal(Body(d.Bytes).Length.ToString(), Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void InvalidRange_IsWhole200()
    {
        var (_, d) = Serve(Get("/hello.txt", "Range: bytes=9-1"));
        Assert.Equal(200, d.StatusCode);
        Assert.Equal(1000, d.Length);
    }

    [Fact]
    public void Head_IsAnsweredLocallyWithGetHeadersAndNoBody()
    {
        var (_, get) = Serve(Get("/hello.txt"));
        var (_, head) = Serve(Head("/hello.txt"));
        Assert.Equal(HttpDecisionKind.AnswerLocally, head.Kind);
        Assert.Equal(Text(get.Bytes), Text(head.Bytes));
        Assert.Equal("", Body(head.Bytes));
    }

    [Fact]
    public void HeadWithRange_IgnoresRange()
    {
        // RFC 9110 14.2: range handling is defined for GET only.
        var (_, d) = Serve(Head("/hello.txt", "Range: bytes=0-9"));
        Assert.Equal(200, d.StatusCode);
        Assert.Equal("1000", Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void Head_WhenDelegated_IsPrefixOnlyWithZeroLength()
    {
        var (_, d) = Serve(Head("/hello.txt"), new HttpServerOptions { DelegateHead = true });
        Assert.Equal(HttpDecisionKind.DelegateToBoard, d.Kind);
        Assert.Equal((0L, 0L), (d.Offset, d.Length));
        Assert.Equal("1000", Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void ZeroLengthObject_IsLocal200WithZeroLength()
    {
        var (_, d) = Serve(Get("/empty"));
        Assert.Equal(HttpDecisionKind.AnswerLocally, d.Kind);
        Assert.Equal(200, d.StatusCode);
        Assert.Equal("0", Field(d.Bytes, "Content-Length"));
        Assert.Equal("", Body(d.Bytes));
    }

    [Fact]
    public void ZeroLengthObject_WithSuffixRange_Is200_WithOtherRange_Is416()
    {
        Assert.Equal(200, Serve(Get("/empty", "Range: bytes=-10")).Decision.StatusCode);
        var (_, d) = Serve(Get("/empty", "Range: bytes=0-"));
        Assert.Equal(416, d.StatusCode);
        Assert.Equal("bytes */0", Field(d.Bytes, "Content-Range"));
    }

    [Fact]
    public void UnknownObject_Is404()
    {
        var (_, d) = Serve(Get("/nope"));
        Assert.Equal(404, d.StatusCode);
        Assert.Equal(HtmlPages.ContentType, Field(d.Bytes, "Content-Type"));
        Assert.Contains("404 Not Found", Body(d.Bytes));
    }

    [Fact]
    public void FileWithTrailingSlash_Is404()
    {
        Assert.Equal(404, Serve(Get("/hello.txt/")).Decision.StatusCode);
    }

    [Fact]
    public void CdFile_IsDelegated()
    {
        var (_, d) = Serve(Get("/cd/VOL1/DOCS/README.TXT"));
        Assert.Equal(HttpDecisionKind.DelegateToBoard, d.Kind);
        Assert.Equal(ObjectLocation.OnCd("VOL1", "DOCS/README.TXT"), d.Object!.Location);
        Assert.Equal(500, d.Length);
    }

    [Fact]
    public void ObjectsPrefixAndRoot_ReachTheSameObject()
    {
        Assert.Equal(Serve(Get("/objects/dir/file.bin")).Decision.Object, Serve(Get("/dir//./file.bin")).Decision.Object);
    }

    [Fact]
    public void PercentEncodedName_FindsUtf8Object()
    {
        Assert.Equal(7, Serve(Get("/caf%C3%A9")).Decision.Length);
    }

    [Fact]
    public void DirectoryWithoutSlash_RedirectsToCanonicalDirectory()
    {
        var (_, d) = Serve(Get("/objects/./dir?x=1"));
        Assert.Equal(301, d.StatusCode);
        Assert.Equal("/objects/dir/", Field(d.Bytes, "Location"));
        Assert.Equal("/dir/", Field(Serve(Get("/dir")).Decision.Bytes, "Location"));
        Assert.Equal("/cd/", Field(Serve(Get("/cd")).Decision.Bytes, "Location"));
        Assert.Equal("/cd/VOL1/", Field(Serve(Get("/cd/VOL1")).Decision.Bytes, "Location"));
    }

    [Fact]
    public void DirectoryListing_EscapesNamesAndLinks()
    {
        var (_, d) = Serve(Get("/"));
        Assert.Equal(HttpDecisionKind.AnswerLocally, d.Kind);
        Assert.Equal(200, d.StatusCode);
        string body = Body(d.Bytes);
        string utf8Body = System.Text.Encoding.UTF8.GetString(d.Bytes.AsSpan(HeaderText(d.Bytes).Length));
        Assert.Contains("<a href=\"caf%C3%A9\">caf\u00e9</a> 7", utf8Body);
        Assert.Contains("<a href=\"dir/\">dir/</a>", body);
        Assert.Contains("<a href=\"hello.txt\">hello.txt</a> 1000 Tue, 02 Jan 2024 03:04:05 GMT", body);
        Assert.Contains("<a href=\"a%20%3Cb%3E%26%22c%22.txt\">a &lt;b&gt;&amp;&quot;c&quot;.txt</a> 3", body);
        Assert.DoesNotContain("<b>", body);
        Assert.DoesNotContain("href=\"../\"", body);
        Assert.Contains("<a href=\"cd/\">cd/</a>", body);
    }

    [Fact]
    public void SubdirectoryListing_HasParentLink()
    {
        string body = Body(Serve(Get("/cd/VOL1/DOCS/")).Decision.Bytes);
        Assert.Contains("<a href=\"../\">../</a>", body);
        Assert.Contains("<a href=\"README.TXT\">README.TXT</a> 500", body);
        Assert.Contains("Index of /cd/VOL1/DOCS/", body);
    }

    [Fact]
    public void VolumeList_ListsVolumes()
    {
        string body = Body(Serve(Get("/cd/")).Decision.Bytes);
        Assert.Contains("<a href=\"EMPTYVOL/\">EMPTYVOL/</a>", body);
        Assert.Contains("<a href=\"VOL1/\">VOL1/</a>", body);
        Assert.Equal(200, Serve(Get("/cd/EMPTYVOL/")).Decision.StatusCode);
        Assert.Equal(404, Serve(Get("/cd/NOVOL/")).Decision.StatusCode);
    }

    [Fact]
    public void ListingContentLength_MatchesBody()
    {
        var (_, d) = Serve(Get("/"));
        int headerLength = HeaderText(d.Bytes).Length;
        Assert.Equal((d.Bytes.Length - headerLength).ToString(), Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void HeadOfListing_HasLengthButNoBody()
    {
        var (_, get) = Serve(Get("/"));
        var (_, head) = Serve(Head("/"));
        Assert.Equal(Field(get.Bytes, "Content-Length"), Field(head.Bytes, "Content-Length"));
        Assert.Equal("", Body(head.Bytes));
    }

    [Fact]
    public void ListingsDisabled_Is403()
    {
        Assert.Equal(403, Serve(Get("/"), new HttpServerOptions { DirectoryListings = false }).Decision.StatusCode);
    }

    [Fact]
    public void RootIndex_ListsPrefixes_WhenRootDoesNotServeDisk()
    {
        var options = new HttpServerOptions { Routes = new HttpRouteOptions { RootServesDisk = false } };
        string body = Body(Serve(Get("/"), options).Decision.Bytes);
        Assert.Contains("href=\"objects/\"", body);
        Assert.Contains("href=\"cd/\"", body);
        Assert.Equal(404, Serve(Get("/hello.txt"), options).Decision.StatusCode);
    }

    [Fact]
    public void ListingLongerThanLimit_IsTruncated()
    {
        var options = new HttpServerOptions { MaxListingEntries = 2 };
        string body = Body(Serve(Get("/"), options).Decision.Bytes);
        Assert.Contains("more not shown", body);
    }

    [Fact]
    public void MalformedInventoryTypeAndEtag_AreReplacedOrDropped()
    {
        var (_, d) = Serve(Get("/badtype"));
        Assert.Equal("application/octet-stream", Field(d.Bytes, "Content-Type"));
        Assert.Null(Field(d.Bytes, "ETag"));
        Assert.DoesNotContain("X-Evil", Text(d.Bytes));
    }

    [Fact]
    public void Options_AnswersAllowWithEmptyBody()
    {
        var (_, d) = Serve("OPTIONS * HTTP/1.1\r\nHost: storage.test\r\n\r\n");
        Assert.Equal(200, d.StatusCode);
        Assert.Equal("GET, HEAD, OPTIONS", Field(d.Bytes, "Allow"));
        Assert.Equal("0", Field(d.Bytes, "Content-Length"));
    }

    [Fact]
    public void DecideOnIncomplete_Throws()
    {
        var handler = new HttpRequestHandler(Catalog());
        Assert.Throws<ArgumentException>(() => handler.Decide(HttpParseResult.Incomplete, Now));
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("text/plain;charset=\"utf-8\"", true)]
    [InlineData("text", false)]
    [InlineData("text/", false)]
    [InlineData("text/plain; charset", false)]
    [InlineData("text/plain\r\nX: y", false)]
    [InlineData("", false)]
    public void IsMediaType_ChecksSyntax(string value, bool valid) => Assert.Equal(valid, HttpRequestHandler.IsMediaType(value));
}
