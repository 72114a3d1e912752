using Atcp.EndToEnd.Tests.Support;
using static Atcp.EndToEnd.Tests.Support.TestbedHosts;

namespace Atcp.EndToEnd.Tests.Cluster;

/// <summary>Persistent connections: one curl run fetches objects that different boards serve, one
/// after another on the same TCP connection; each reply continues the connection's sequence space
/// where the previous board (or the front-end) left it.</summary>
[Collection(ClusterCollection.Name)]
public class KeepAliveTests(ClusterFixture fixture)
{
    readonly ClusterContent _content = fixture.Content;

    [Fact]
    public void OneConnection_ObjectsOnEveryBoard_AllExact()
    {
        // One object whose first holder is board 1, one for board 2, one for board 3 (the front-end
        // asks the first holder that is up), then the first again and a CD file and a small one.
        var placement = fixture.Placement(_content.KeepAlive.Select(o => o.Name));
        var perBoard = Enumerable.Range(1, ClusterFixture.Boards)
            .Select(board => _content.KeepAlive.FirstOrDefault(o => placement[o.Name][0] == board)
                ?? throw new InvalidOperationException("no keep-alive object is placed first on board " + board + ": add names"))
            .ToList();
        var sequence = perBoard.Concat([perBoard[0], _content["cd:docs/manual.txt"], _content["small/o1461.bin"], perBoard[2]]).ToList();
        var files = sequence.Select(o => fixture.ScratchFile(Path.GetFileName(o.Name))).ToList();
        try
        {
            var args = new List<string> { "--fail" };
            for (int i = 0; i < sequence.Count; i++) { args.Add("-o"); args.Add(files[i]); args.Add(sequence[i].Url); }
            var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromMinutes(1), [.. args]);
            result.EnsureSuccess();

            Assert.Equal(sequence.Count, transfers.Count);
            Assert.All(transfers, t => Assert.Equal(200, t.HttpCode));
            // curl opened one connection (for the first URL) and reused it for all the others.
            Assert.Equal([1, .. Enumerable.Repeat(0, sequence.Count - 1)], transfers.Select(t => t.NumConnects));
            Assert.Single(transfers.Select(t => t.LocalPort).Distinct());
            for (int i = 0; i < sequence.Count; i++)
                ContentAssert.SameBytes(sequence[i].Source, files[i], "transfer " + (i + 1) + " " + sequence[i].Url);
        }
        finally
        {
            foreach (var file in files) File.Delete(file);
        }
    }

    [Fact]
    public void OneConnection_NotFoundBetweenObjects_KeepsTheConnection()
    {
        // A 404 the front-end answers itself between two board replies: the connection goes on.
        var first = _content.KeepAlive[0];
        var last = _content.KeepAlive[1];
        string a = fixture.ScratchFile("a.bin"), b = fixture.ScratchFile("b.bin");
        try
        {
            var (result, transfers) = Curl.Run(fixture.Testbed, Client, TimeSpan.FromMinutes(1),
                "-o", a, first.Url, "-o", "/dev/null", ClusterContent.Host + "/no/such/object", "-o", b, last.Url);
            result.EnsureSuccess();
            Assert.Equal([200, 404, 200], transfers.Select(t => t.HttpCode));
            Assert.Equal(1, transfers.Sum(t => t.NumConnects));
            ContentAssert.SameBytes(first.Source, a, first.Url);
            ContentAssert.SameBytes(last.Source, b, last.Url);
        }
        finally
        {
            File.Delete(a);
            File.Delete(b);
        }
    }
}
