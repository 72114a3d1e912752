using System.Text.RegularExpressions;
using Atcp.EndToEnd.Tests.Support;
using Atcp.TestSupport;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>The whole cluster: the front-end and 3 virtual boards serving <see cref="ClusterContent"/>
/// (made once, deleted at the end) from their cards and a CD image, no shaping, no loss. Installs
/// the clients the tests use when they are missing (HTTP and TFTP).</summary>
public sealed class ClusterFixture : TestbedFixture
{
    /// <summary>Boards in the cluster.</summary>
    public const int Boards = 3;

    /// <summary>Up with the content, then waits until the front-end's catalog lists every object
    /// (boards are up as soon as they said HELLO; their inventories follow).</summary>
    public ClusterFixture()
    {
        try
        {
            WaitForCatalog();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    void WaitForCatalog()
    {
        int expected = Directory.EnumerateFiles(Content.ContentDirectory, "*", SearchOption.AllDirectories).Count() + Content.CdFiles.Count;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int objects;
        while ((objects = FrontEndStatus().GetProperty("engine").GetProperty("gauges").GetProperty("objects").GetInt32()) < expected)
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("the front-end lists " + objects + " objects, not " + expected + ", 30 s after start");
            Thread.Sleep(200);
        }
    }

    /// <summary>The content the boards serve.</summary>
    public ClusterContent Content { get; private set; } = null!;

    /// <summary>--boards 3 --content DIR --iso FILE; a generous start timeout (the first start JITs).</summary>
    public override IReadOnlyList<string> UpOptions =>
        ["--boards", Boards.ToString(), "--content", Content.ContentDirectory, "--iso", Content.IsoPath, "--timeout", "120"];

    /// <summary>Installs the clients, makes the content.</summary>
    protected override void Prepare()
    {
        HostTools.Require("curl:curl", "wget:wget", "wrk:wrk", "tcpdump:tcpdump", "tshark:tshark", "xorriso:xorriso", "ffmpeg:ffmpeg");
        HostTools.Require(TftpClients.Packages);
        Content = ClusterContent.Create();
    }

    /// <summary>Deletes the content.</summary>
    protected override void Cleanup() => Content?.Dispose();

    /// <summary>A fresh path in the scratch folder (the client namespaces share the file system).</summary>
    public string ScratchFile(string name) => Path.Combine(Content.Scratch, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    /// <summary>Boards holding each object name, best first (the front-end asks the first that is
    /// up), from tools/sdimage placement: the same rendezvous hashing the cards were made with.</summary>
    public IReadOnlyDictionary<string, int[]> Placement(IEnumerable<string> names)
    {
        var result = Commands.Run(RepoPaths.Under("tools", "sdimage"), ["placement", "--boards", Boards.ToString(), .. names],
            timeout: TimeSpan.FromMinutes(3)).EnsureSuccess();
        var placement = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n'))
        {
            var m = Regex.Match(line, @"^([0-9 ]+)\t(.+)$");
            if (m.Success) placement[m.Groups[2].Value] = m.Groups[1].Value.Split(' ').Select(int.Parse).ToArray();
        }
        return placement;
    }

    /// <summary>The front-end's /status JSON, fetched from the client over the management address.</summary>
    public System.Text.Json.JsonElement FrontEndStatus()
    {
        var result = Testbed.Exec(TestbedHosts.Client, "curl", "-fsS", "--max-time", "5",
            "http://" + TestbedHosts.FrontEndMgmtIp + ":" + TestbedHosts.MgmtPort + "/status").EnsureSuccess();
        using var doc = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }
}

/// <summary>Tests that share the cluster.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cluster with content";
}
