using System.Text.Json;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>A real browser: Debian's headless Chromium, driven by playwright-core from
/// tests/e2e-browser inside the client's namespace, loads a page from the cluster, plays its WebM
/// video (fetched with Range requests, answered 206 by a board), seeks, and fetches byte ranges of
/// the 200 MiB object and a CD file with fetch() whose bytes are checked.</summary>
[Collection(ClusterCollection.Name)]
public class BrowserTests(ClusterFixture fixture, ITestOutputHelper output)
{
    static readonly string BrowserFolder = RepoPaths.Under("tests", "e2e-browser");

    // Near the end of the 60 s video, beyond what Chromium reads ahead from the start.
    const double SeekTo = 50.0;

    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void Chromium_PlaysTheVideoWithRanges_AndFetchedRangesAreExact()
    {
        PrepareBrowser();
        var large = _content.Large;
        var cdClip = _content["cd:media/clip.webm"];
        var ranges = new[]
        {
            (Item: large, First: 150_000_000L, Last: 150_999_999L),
            (Item: large, First: large.Length - 200, Last: large.Length - 1),
            (Item: cdClip, First: 1000L, Last: 50_999L),
        };
        var spec = new
        {
            page = _content.Player.Url,
            video = _content.Video.Url,
            seekTo = SeekTo,
            stampedUrl = large.Url,
            timeoutMs = 60_000,
            ranges = ranges.Select(r => new { url = r.Item.Url, first = r.First, last = r.Last }),
        };
        var run = fixture.Testbed.Exec(TimeSpan.FromMinutes(4), Client, "node", Path.Combine(BrowserFolder, "video-range.mjs"), JsonSerializer.Serialize(spec));
        var report = Support.Testbed.LastJson(run.Stdout, run.Describe());
        output.WriteLine(report.ToString());
        string why = run.Describe();
        Assert.True(run.Succeeded && report.GetProperty("ok").GetBoolean(), why);
        Assert.Empty(report.GetProperty("errors").EnumerateArray());

        Assert.Equal(200, report.GetProperty("pageStatus").GetInt32());
        Assert.Equal("atcp video", report.GetProperty("title").GetString());

        // The video decoded: its size and length are the ones ffmpeg made, and it played past 1.5 s,
        // then past the seek target.
        var play = report.GetProperty("play");
        Assert.Equal(ClusterContent.VideoWidth, play.GetProperty("width").GetInt32());
        Assert.Equal(ClusterContent.VideoHeight, play.GetProperty("height").GetInt32());
        Assert.InRange(play.GetProperty("duration").GetDouble(), ClusterContent.VideoSeconds - 0.5, ClusterContent.VideoSeconds + 0.5);
        Assert.True(report.GetProperty("seek").GetProperty("currentTime").GetDouble() >= SeekTo + 1, why);
        // The frame on screen is the colourful test pattern ffmpeg drew (a blank frame has 1 colour).
        Assert.True(report.GetProperty("seek").GetProperty("frameColours").GetInt32() >= 8, why);

        // Chromium asked for the media with Range and a board answered 206 with Content-Range.
        var media = report.GetProperty("media").EnumerateArray().ToList();
        Assert.NotEmpty(media);
        Assert.All(media, m => Assert.Equal(206, m.GetProperty("status").GetInt32()));
        Assert.All(media, m => Assert.StartsWith("bytes=", m.GetProperty("range").GetString()));
        Assert.All(media, m => Assert.EndsWith("/" + _content.Video.Length, m.GetProperty("contentRange").GetString()));
        Assert.All(media, m => Assert.Equal("video/webm", m.GetProperty("contentType").GetString()));
        Assert.Contains(media, m => m.GetProperty("phase").GetString() == "play" && m.GetProperty("range").GetString() == "bytes=0-");
        // The seek went past what was read from the start: Chromium asked for a later range (its
        // cache may narrow what goes on the wire; the response it reports starts at the same byte).
        var seeks = media.Where(m => m.GetProperty("phase").GetString() == "seek").ToList();
        Assert.Contains(seeks, m => FirstByte(m.GetProperty("range").GetString()!, "bytes=") > 0);
        Assert.All(seeks, m => Assert.Equal(FirstByte(m.GetProperty("range").GetString()!, "bytes="),
            FirstByte(m.GetProperty("contentRange").GetString()!, "bytes ")));

        var fetched = report.GetProperty("ranges").EnumerateArray().ToList();
        Assert.Equal(ranges.Length, fetched.Count);
        for (int i = 0; i < ranges.Length; i++)
        {
            var (item, first, last) = ranges[i];
            var got = fetched[i];
            Assert.Equal(206, got.GetProperty("status").GetInt32());
            Assert.Equal("bytes " + first + "-" + last + "/" + item.Length, got.GetProperty("contentRange").GetString());
            Assert.Equal(last - first + 1, got.GetProperty("length").GetInt64());
            Assert.Equal(ContentAssert.Sha256(item.Source, first, last - first + 1), got.GetProperty("sha256").GetString());
            Assert.Equal(0, got.GetProperty("badStamps").GetInt32());
            if (item == large) Assert.True(got.GetProperty("stamps").GetInt32() > 0 || last - first < 4096, "no stamp checked in " + got);
        }
    }

    static long FirstByte(string range, string prefix) =>
        range.StartsWith(prefix, StringComparison.Ordinal) ? long.Parse(range[prefix.Length..].Split('-')[0]) : -1;

    // Chromium from Debian, Node.js and npm when missing; playwright-core (pinned in
    // tests/e2e-browser/package-lock.json) when node_modules is missing. No browser download:
    // playwright-core drives the system Chromium.
    static void PrepareBrowser()
    {
        HostTools.Require("chromium:chromium", "node:nodejs", "npm:npm");
        if (Directory.Exists(Path.Combine(BrowserFolder, "node_modules", "playwright-core"))) return;
        var environment = new Dictionary<string, string> { ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1" };
        Commands.Run("npm", ["ci", "--prefix", BrowserFolder, "--no-audit", "--no-fund"], environment, TimeSpan.FromMinutes(5)).EnsureSuccess();
    }
}
