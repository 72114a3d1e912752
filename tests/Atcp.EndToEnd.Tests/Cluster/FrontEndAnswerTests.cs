using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Replies the front-end makes itself, without a board: 404 for an unknown name, the
/// listing of /, and HEAD (headers only, from the catalog).</summary>
[Collection(ClusterCollection.Name)]
public class FrontEndAnswerTests(ClusterFixture fixture)
{
    readonly ClusterContent _content = fixture.Content;

    [Theory]
    [InlineData("/no-such-object.bin")]
    [InlineData("/small/no-such.txt")]
    [InlineData("/cd/" + ClusterContent.Volume + "/no/such/file")]
    [InlineData("/cd/NO_SUCH_VOLUME/README.TXT")]
    public void UnknownName_Is404_WithAnHtmlPage(string path)
    {
        var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromSeconds(30), ClusterContent.Host + path);
        result.EnsureSuccess();
        var transfer = Assert.Single(transfers);
        Assert.Equal(404, transfer.HttpCode);
        Assert.StartsWith("text/html", transfer.ContentType);
        Assert.Contains("404 Not Found", result.Stdout);
    }

    [Fact]
    public void RootListing_LinksEveryTopLevelNameAndTheCd()
    {
        var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromSeconds(30), ClusterContent.Host + "/");
        result.EnsureSuccess();
        var transfer = Assert.Single(transfers);
        Assert.Equal(200, transfer.HttpCode);
        Assert.StartsWith("text/html", transfer.ContentType);
        foreach (var name in new[] { "index.html", "player.html", "small/", "ka/", "mid/", "large/", "media/", "cd/" })
            Assert.Contains("href=\"" + name + "\"", result.Stdout);

        var cd = Curl.Run(fixture.Testbed, Client, TimeSpan.FromSeconds(30), ClusterContent.Host + "/cd/");
        cd.Result.EnsureSuccess();
        Assert.Equal(200, Assert.Single(cd.Transfers).HttpCode);
        Assert.Contains("href=\"" + ClusterContent.Volume + "/\"", cd.Result.Stdout);
    }

    [Theory]
    [InlineData("large/big.bin")]
    [InlineData("cd:docs/manual.txt")]
    public void Head_AnsweredByTheFrontEnd_HeadersOnly(string name)
    {
        var item = _content[name];
        IReadOnlyList<TsharkFrame> frames;
        (CommandResult Result, IReadOnlyList<CurlTransfer> Transfers) run;
        using (var capture = PacketCapture.Start(Client, fixture.ScratchFile("head.pcap"), "tcp and host " + ServiceIp))
        {
            run = Curl.Run(fixture.Testbed, Client, TimeSpan.FromSeconds(30), "-I", item.Url);
            frames = capture.Decode(["eth.src", "ip.dst", .. FrameFields.ForPayload]);
        }
        run.Result.EnsureSuccess();
        Assert.Equal(200, Assert.Single(run.Transfers).HttpCode);
        Assert.Contains("Content-Length: " + item.Length + "\r\n", run.Result.Stdout);
        Assert.Contains("Accept-Ranges: bytes\r\n", run.Result.Stdout);

        // Every segment the client got, the header block included, came from the front-end's MAC.
        var toClient = frames.Where(f => f["ip.dst"] == ClientIp).ToList();
        Assert.Contains(toClient, f => f.TcpPayloadLength() > 0);
        Assert.All(toClient, f => Assert.Equal(FrontEndMac, f["eth.src"]));
        Assert.All(frames, f => Assert.Empty(f.ChecksumErrors));
    }
}
