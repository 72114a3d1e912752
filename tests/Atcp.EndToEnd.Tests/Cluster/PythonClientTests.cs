using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Python's http.client (Cluster/Scripts/http_client_check.py in the client namespace): GETs
/// on one kept-alive connection, HEADs, and a Range GET, all on that one connection.</summary>
[Collection(ClusterCollection.Name)]
public class PythonClientTests(ClusterFixture fixture)
{
    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void HttpClient_GetsHeadsAndRange_OnOneConnection_Exact()
    {
        var objects = new[]
        {
            _content["index.html"], _content["small/o1460.bin"], _content.KeepAlive[2], _content["small/empty.dat"],
            _content["cd:docs/manual.txt"], _content.Medium,
        };
        string script = RepoPaths.Under("tests", "Atcp.EndToEnd.Tests", "Cluster", "Scripts", "http_client_check.py");
        var run = fixture.Testbed.Exec(TimeSpan.FromMinutes(2), Client,
            [Support.Testbed.Python, script, ServiceIp, .. objects.Select(o => new Uri(o.Url).AbsolutePath + ":" + o.Length + ":" + o.Sha256)]);
        run.EnsureSuccess();
        var report = Support.Testbed.LastJson(run.Stdout, run.Describe());
        string why = report.ToString();

        // One connection throughout: http.client reconnects silently when a server closes, so a
        // second local port would show a dropped keep-alive.
        Assert.Equal(report.GetProperty("local_port").GetInt32(), Assert.Single(report.GetProperty("ports").EnumerateArray()).GetInt32());

        var gets = report.GetProperty("gets").EnumerateArray().ToList();
        Assert.Equal(objects.Length, gets.Count);
        foreach (var get in gets)
        {
            Assert.True(get.GetProperty("status").GetInt32() == 200, why);
            Assert.True(get.GetProperty("length").GetInt64() == get.GetProperty("expected_length").GetInt64(), why);
            Assert.True(get.GetProperty("sha_ok").GetBoolean(), "body differs from the source: " + get);
            Assert.Equal(get.GetProperty("expected_length").GetInt64().ToString(), get.GetProperty("content_length").GetString());
        }

        var heads = report.GetProperty("heads").EnumerateArray().ToList();
        Assert.Equal(objects.Length, heads.Count);
        for (int i = 0; i < objects.Length; i++)
        {
            Assert.True(heads[i].GetProperty("status").GetInt32() == 200, why);
            Assert.Equal(objects[i].Length.ToString(), heads[i].GetProperty("content_length").GetString());
            Assert.Equal("bytes", heads[i].GetProperty("accept_ranges").GetString());
            Assert.Equal(0, heads[i].GetProperty("body_length").GetInt32());
        }

        var range = report.GetProperty("range");
        var last = objects[^1];
        long first = range.GetProperty("first").GetInt64();
        Assert.Equal(206, range.GetProperty("status").GetInt32());
        Assert.Equal("bytes " + first + "-" + (first + 999) + "/" + last.Length, range.GetProperty("content_range").GetString());
        Assert.Equal(ContentAssert.Sha256(last.Source, first, 1000), range.GetProperty("sha256").GetString());
    }
}
