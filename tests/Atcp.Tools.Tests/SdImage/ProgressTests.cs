namespace Atcp.Tools.Tests.SdImage;

public class ProgressTests
{
    static TempFolder Tree()
    {
        var folder = new TempFolder();
        for (int i = 0; i < 4; i++) folder.Write($"src/f{i}.bin", new byte[3 << 20]);
        return folder;
    }

    [Fact]
    public void ProgressFlag_DrawsABarWithRateAndEta()
    {
        using var folder = Tree();
        var run = SdImageHarness.RunOk("build", "--progress", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Contains("\r[", run.Error);
        Assert.Contains("100%  12.0 MiB / 12.0 MiB", run.Error);
        Assert.Contains("ETA", run.Error);
        Assert.Contains("MiB/s", run.Error);
    }

    [Fact]
    public void NotATerminal_PrintsOneFinalLineOnly()
    {
        using var folder = Tree();
        var run = SdImageHarness.RunOk("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.DoesNotContain("\r", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wrote 12.0 MiB in ", run.Error);
    }

    [Fact]
    public void SmallImage_OnATerminal_GetsNoBar()
    {
        using var folder = Tree();
        var run = SdImageHarness.Run(true, "build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("\r", run.Error);
    }
}
