using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Frontend.Cluster;

namespace Atcp.Tools.Tests.SdImage;

public class PlacementTests
{
    static readonly ushort[] Boards = [1, 2, 3];

    [Fact]
    public void ThreeBoards_TwoCopies_EveryObjectOnExactlyItsTwoRendezvousBoards()
    {
        using var folder = new TempFolder();
        var names = Enumerable.Range(0, 120).Select(i => $"site/{i % 7}/page {i}.html").Append("über.txt").ToList();
        foreach (var n in names) folder.Write(Path.Combine("src", n), n);
        var holders = names.ToDictionary(n => n, _ => new List<ushort>());
        foreach (ushort board in Boards)
        {
            string image = folder.PathOf($"board{board}.img");
            SdImageHarness.RunOk("build", "--out", image, "--board-id", board.ToString(), "--boards", "3", folder.PathOf("src"));
            using var mounted = SdImageHarness.Mount(image);
            foreach (var n in SdImageHarness.Names(mounted.Store).Where(n => n != BoardSettings.ObjectName)) holders[n].Add(board);
            var config = new BoardConfig();
            Assert.True(BoardSettings.Load(mounted.Store, config, new BoardLog(), 0));
            Assert.Equal(board, config.BoardId);
        }
        foreach (var n in names)
        {
            Assert.Equal(2, holders[n].Count);
            Assert.Equal(Rendezvous.Choose(Boards, n, 2).Order(), holders[n].Order());
        }
    }

    [Fact]
    public void OneBoard_HoldsEverything()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 20; i++) folder.Write($"src/f{i}.txt", "x");
        string image = folder.PathOf("one.img");
        var run = SdImageHarness.RunOk("build", "--out", image, "--board-id", "1", "--boards", "1", folder.PathOf("src"));
        Assert.Contains("0 objects belong to other boards only", run.Out);
        using var mounted = SdImageHarness.Mount(image);
        Assert.Equal(21, mounted.Store.ObjectCount); // 20 files and the settings
    }

    [Fact]
    public void PlacementCommand_PrintsTheRendezvousHolders_BestFirst()
    {
        string[] names = ["videos/a.mp4", "index.html", "música/ñ.mp3"];
        var run = SdImageHarness.RunOk(["placement", "--boards", "5", "--copies", "3", .. names]);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(names.Length, lines.Count);
        ushort[] five = [1, 2, 3, 4, 5];
        for (int i = 0; i < names.Length; i++)
            Assert.Equal(string.Join(' ', Rendezvous.Choose(five, names[i], 3)) + "\t" + names[i], lines[i]);
    }

    [Fact]
    public void PlacementCommand_TakesUrlStylePaths()
    {
        var withSlash = SdImageHarness.RunOk("placement", "--boards", "4", "/videos/a.mp4");
        var without = SdImageHarness.RunOk("placement", "--boards", "4", "videos/a.mp4");
        Assert.Equal(without.Out, withSlash.Out);
    }

    [Theory]
    [InlineData("--boards", "0")]
    [InlineData("--boards", "3", "--copies", "4")]
    public void PlacementCommand_BadCounts_AreUsageErrors(params string[] options)
    {
        var run = SdImageHarness.Run(["placement", .. options, "x"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("must be a whole number from 1 to", run.Error);
    }
}
