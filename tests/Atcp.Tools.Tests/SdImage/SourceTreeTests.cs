using Atcp.SdImage;

namespace Atcp.Tools.Tests.SdImage;

public class SourceTreeTests
{
    [Fact]
    public void SymbolicLinks_AreFollowed_AndLoopsAreNot()
    {
        using var folder = new TempFolder();
        folder.Write("src/real/a.txt", "a");
        folder.Write("elsewhere/b.txt", "bb");
        File.CreateSymbolicLink(folder.PathOf("src/alias"), "real");
        File.CreateSymbolicLink(folder.PathOf("src/b-link.txt"), folder.PathOf("elsewhere/b.txt"));
        File.CreateSymbolicLink(folder.PathOf("src/real/up"), "..");
        var tree = SourceTree.Scan(folder.PathOf("src"), includeHidden: false);
        Assert.Equal(["alias/a.txt", "b-link.txt", "real/a.txt"], tree.Files.Select(f => f.Name));
        Assert.Equal(2, tree.Files.Single(f => f.Name == "b-link.txt").Length);
        Assert.Empty(tree.Problems);
        Assert.Equal(["alias/up", "real/up"], tree.Notes.Select(n => n.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BrokenLink_IsAProblem()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        File.CreateSymbolicLink(folder.PathOf("src/gone.mp4"), folder.PathOf("nowhere.mp4"));
        var tree = SourceTree.Scan(folder.PathOf("src"), includeHidden: false);
        Assert.Equal("gone.mp4", Assert.Single(tree.Problems).Name);
        var run = SdImageHarness.Run("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused 'gone.mp4': broken symbolic link", run.Error);
    }

    [Fact]
    public void Files_AreSortedByNameBytes_WithModificationTimesCapped()
    {
        using var folder = new TempFolder();
        foreach (var n in new[] { "b.txt", "a/z.txt", "é.txt", "Z.txt" }) folder.Write(Path.Combine("src", n), n);
        var tree = SourceTree.Scan(folder.PathOf("src"), includeHidden: false, modifiedCeiling: 1000);
        Assert.Equal(["Z.txt", "a/z.txt", "b.txt", "é.txt"], tree.Files.Select(f => f.Name));
        Assert.All(tree.Files, f => Assert.Equal(1000, f.ModifiedTime));
    }

    [Fact]
    public void OutputInsideTheSourceTree_IsNotStoredInItself()
    {
        using var folder = new TempFolder();
        folder.Write("a.txt", "a");
        SdImageHarness.RunOk("build", "--out", folder.PathOf("card.img"), folder.Root);
        SdImageHarness.RunOk("build", "--out", folder.PathOf("card.img"), folder.Root);
        using var image = SdImageHarness.Mount(folder.PathOf("card.img"));
        Assert.Equal(["a.txt"], SdImageHarness.Names(image.Store));
    }
}
