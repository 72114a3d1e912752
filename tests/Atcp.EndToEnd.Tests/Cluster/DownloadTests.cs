using System.Diagnostics;
using Atcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Whole downloads with curl and wget from the client on the service network: every byte as
/// on the source, for small objects, the 200 MiB object and files of the CD.</summary>
[Collection(ClusterCollection.Name)]
public class DownloadTests(ClusterFixture fixture, ITestOutputHelper output)
{
    readonly ClusterContent _content = fixture.Content;

    [Theory]
    [InlineData("curl")]
    [InlineData("wget")]
    public void SmallObjects_AreExact(string client)
    {
        foreach (var item in _content.Small.Append(_content["index.html"]).Append(_content.Player))
            Fetch(client, item);
    }

    [Theory]
    [InlineData("curl")]
    [InlineData("wget")]
    public void CdFiles_AreExact(string client)
    {
        foreach (var item in _content.CdFiles) Fetch(client, item);
    }

    [Theory]
    [InlineData("curl")]
    [InlineData("wget")]
    public void LargeObject_IsExact(string client)
    {
        var elapsed = Fetch(client, _content.Large, TimeSpan.FromMinutes(4));
        output.WriteLine(client + ": " + _content.Large.Length + " bytes in " + elapsed.TotalSeconds.ToString("0.0") + " s, " +
            (_content.Large.Length / elapsed.TotalSeconds / 1e6).ToString("0.0") + " MB/s");
    }

    TimeSpan Fetch(string client, ContentObject item, TimeSpan? timeout = null)
    {
        string file = fixture.ScratchFile(Path.GetFileName(item.Name));
        var limit = timeout ?? TimeSpan.FromMinutes(1);
        var clock = Stopwatch.StartNew();
        try
        {
            if (client == "curl")
            {
                var transfer = Curl.Download(fixture.Testbed, Client, item.Url, file, limit);
                Assert.Equal(200, transfer.HttpCode);
            }
            else
            {
                // wget exits 8 on an HTTP error status; --tries=1: a retry would hide a broken transfer.
                fixture.Testbed.Exec(limit, Client, "wget", "-q", "--tries=1", "--timeout=" + (int)limit.TotalSeconds,
                    "-O", file, item.Url).EnsureSuccess();
            }
            clock.Stop();
            ContentAssert.SameBytes(item.Source, file, client + " " + item.Url);
            return clock.Elapsed;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
