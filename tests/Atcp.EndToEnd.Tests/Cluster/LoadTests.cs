using System.Text.Json;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Many clients at once: wrk with 50 connections for 10 s on a mix of small objects, every
/// reply a 200 of a right length, no socket error; afterwards the cluster still serves exact bytes.</summary>
[Collection(ClusterCollection.Name)]
public class LoadTests(ClusterFixture fixture, ITestOutputHelper output)
{
    const int Connections = 50;
    const int Seconds = 10;

    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void FiftyConnections_TenSeconds_NoErrors_ThenStillExact()
    {
        var mix = _content.Small.Where(o => o.Length > 0).Append(_content["index.html"]).ToList();
        string script = RepoPaths.Under("tests", "Atcp.EndToEnd.Tests", "Cluster", "Scripts", "wrk-mix.lua");
        var run = fixture.Testbed.Exec(TimeSpan.FromSeconds(Seconds + 60), Client,
            ["wrk", "-t", "2", "-c", Connections.ToString(), "-d", Seconds + "s", "--timeout", "10s", "-s", script, ClusterContent.Host,
             "--", .. mix.Select(o => "/" + o.Name + ":" + o.Length)]);
        run.EnsureSuccess();
        var report = Support.Testbed.LastJson(run.Stdout, run.Describe());
        long Get(string name) => report.GetProperty(name).GetInt64();
        output.WriteLine(report.ToString());
        output.WriteLine((Get("requests") / (Get("duration_us") / 1e6)).ToString("0") + " requests/s, " +
            (Get("bytes") / (Get("duration_us") / 1e6) / 1e6).ToString("0.0") + " MB/s, p99 latency " +
            (Get("latency_p99_us") / 1000.0).ToString("0.0") + " ms");

        string why = run.Describe();
        Assert.True(Get("requests") >= Connections * 4, "too few requests for 50 connections in 10 s: " + why);
        Assert.Equal(0, Get("connect_errors"));
        Assert.Equal(0, Get("read_errors"));
        Assert.Equal(0, Get("write_errors"));
        Assert.Equal(0, Get("timeouts"));
        Assert.Equal(0, Get("status_errors"));
        Assert.Equal(0, Get("not_ok"));
        Assert.Equal(0, Get("bad_length"));
        Assert.Equal(Get("requests"), Get("ok"));

        // Afterwards: every board still up, and downloads still exact.
        Assert.Equal(ClusterFixture.Boards, fixture.FrontEndStatus().GetProperty("engine").GetProperty("boardsUp").GetInt32());
        foreach (var item in new[] { _content["small/o65536.bin"], _content.KeepAlive[3], _content.Medium, _content["cd:docs/manual.txt"] })
        {
            string file = fixture.ScratchFile("after.bin");
            try
            {
                Curl.Download(fixture.Testbed, Client, item.Url, file);
                ContentAssert.SameBytes(item.Source, file, "after the load: " + item.Url);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
