using System.Text;
using Atcp.SdImage;

namespace Atcp.Tools.Tests.SdImage;

public class BuildErrorTests
{
    [Fact]
    public void MissingSourceDirectory_FailsWithItsName()
    {
        using var folder = new TempFolder();
        var run = SdImageHarness.Run("build", "--out", folder.PathOf("x.img"), folder.PathOf("nope"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("source directory not found: " + folder.PathOf("nope"), run.Error);
        Assert.False(File.Exists(folder.PathOf("x.img")));
    }

    [Fact]
    public void NameOver255Bytes_IsRefused_AndNoImageIsLeft()
    {
        using var folder = new TempFolder();
        folder.Write("src/ok.txt", "fine");
        string longName = new string('d', 200) + "/" + new string('é', 40) + ".txt"; // 200 + 1 + 80 + 4 bytes
        folder.Write(Path.Combine("src", longName), "too long");
        var run = SdImageHarness.Run("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"refused '{longName}': name is 285 bytes of UTF-8, the store takes at most 255", run.Error);
        Assert.Contains("--skip-bad", run.Error);
        Assert.Empty(Directory.GetFiles(folder.Root)); // neither the image nor a partial one
    }

    [Fact]
    public void NameNotUtf8_IsRefused_UnlessSkipped()
    {
        using var folder = new TempFolder();
        folder.Write("src/ok.txt", "fine");
        SdImageHarness.CreateRawName(folder.PathOf("src"), [0x62, 0xFF, 0xFE, 0x2E, 0x74, 0x78, 0x74]); // "b\xff\xfe.txt"
        var refused = SdImageHarness.Run("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not valid UTF-8", refused.Error);

        var skipped = SdImageHarness.Run("build", "--skip-bad", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("skipped 'b", skipped.Error);
        Assert.Contains("skipped   1 files with names the store refuses", skipped.Out);
        using var image = SdImageHarness.Mount(folder.PathOf("x.img"));
        Assert.Equal(["ok.txt"], SdImageHarness.Names(image.Store));
    }

    [Fact]
    public void ImageTooSmall_SaysTheSizeNeeded_AndThatSizeWorks()
    {
        using var folder = new TempFolder();
        folder.Write("src/big.bin", new byte[3_000_000]);
        for (int i = 0; i < 50; i++) folder.Write($"src/s{i}.txt", "small");
        var run = SdImageHarness.Run("build", "--size", "2M", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        var match = System.Text.RegularExpressions.Regex.Match(run.Error,
            @"image too small: 2\.00 MiB cannot hold 51 objects \(2\.86 MiB of content\); it needs at least .* \(([0-9,]+) bytes\)\. Use --size (\d+)M");
        Assert.True(match.Success, run.Error);
        long needed = long.Parse(match.Groups[1].Value.Replace(",", ""));
        Assert.Equal(needed >> 20, long.Parse(match.Groups[2].Value));
        Assert.False(File.Exists(folder.PathOf("x.img")));

        SdImageHarness.RunOk("build", "--size", needed.ToString(), "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        var oneLess = SdImageHarness.Run("build", "--size", (needed - (1 << 20)).ToString(), "--out", folder.PathOf("y.img"), folder.PathOf("src"));
        Assert.Equal(1, oneLess.ExitCode);
    }

    [Fact]
    public void DirectoryTooSmallForTheObjects_IsACardFullKindOfError()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 100; i++) folder.Write($"src/f{i}.txt", "x");
        // One bucket of 61 entries cannot take 100 names.
        var run = SdImageHarness.Run("build", "--max-objects", "1", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("directory full at", run.Error);
        Assert.False(File.Exists(folder.PathOf("x.img")));
    }

    [Theory]
    [InlineData("0123456789abcdef")] // 16 characters of text are not a 128-bit key in hex
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("")]
    public void BadKeyFile_IsRefused(string content)
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        string key = folder.Write("key", content + "\n");
        var run = SdImageHarness.Run("build", "--board-id", "1", "--cluster-key-file", key, "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad cluster key file", run.Error);
        Assert.Contains("32 hex digits", run.Error);
    }

    [Fact]
    public void MissingKeyFile_IsRefused()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "a");
        var run = SdImageHarness.Run("build", "--board-id", "1", "--cluster-key-file", folder.PathOf("nokey"), "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cluster key file not found", run.Error);
    }

    [Theory]
    [InlineData("build", "--out", "x.img")]
    [InlineData("build", "src")]
    [InlineData("build", "--out", "x.img", "--size", "lots", "src")]
    [InlineData("build", "--out", "x.img", "--boards", "3", "src")]
    [InlineData("build", "--out", "x.img", "--board-id", "4", "--boards", "3", "src")]
    [InlineData("build", "--out", "x.img", "--cluster-id", "a7c90001", "src")]
    [InlineData("build", "--out", "x.img", "--board-id", "1", "--cluster-id", "xyz", "src")]
    [InlineData("build", "--out", "x.img", "--label", "a-label-that-is-longer-than-32-bytes", "src")]
    [InlineData("build", "--out", "x.img", "--frobnicate", "src")]
    [InlineData("inspect")]
    [InlineData("shrink", "x.img")]
    public void BadCommandLines_AreUsageErrors(params string[] args)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.PathOf("src"));
        var absolute = args.Select(a => a is "src" or "x.img" ? folder.PathOf(a) : a).ToArray();
        var run = SdImageHarness.Run(absolute);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: sdimage", run.Error);
    }

    [Fact]
    public void ReservedSettingsName_IsRefusedEvenWithHiddenFiles()
    {
        using var folder = new TempFolder();
        folder.Write("src/.atcp/board.conf", "board-id=9\n");
        var run = SdImageHarness.Run("build", "--include-hidden", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'.atcp/board.conf'", run.Error);
    }

    [Fact]
    public void IncludeHidden_StoresDotFiles()
    {
        using var folder = new TempFolder();
        folder.Write("src/.well-known/security.txt", "contact");
        folder.Write("src/a.txt", "a");
        SdImageHarness.RunOk("build", "--include-hidden", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        using var image = SdImageHarness.Mount(folder.PathOf("x.img"));
        Assert.Equal([".well-known/security.txt", "a.txt"], SdImageHarness.Names(image.Store).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SameTree_GivesTheSameImageBytes()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 30; i++) folder.Write($"src/d{i % 4}/f{i}.txt", Encoding.UTF8.GetBytes(new string('x', i * 100)));
        SdImageHarness.RunOk("build", "--out", folder.PathOf("one.img"), folder.PathOf("src"));
        SdImageHarness.RunOk("build", "--out", folder.PathOf("two.img"), folder.PathOf("src"));
        Assert.True(File.ReadAllBytes(folder.PathOf("one.img")).AsSpan().SequenceEqual(File.ReadAllBytes(folder.PathOf("two.img"))));
    }

    [Fact]
    public void Rebuild_ReplacesTheImage_AndLeavesNoPartialFile()
    {
        using var folder = new TempFolder();
        folder.Write("src/a.txt", "first");
        SdImageHarness.RunOk("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        File.Delete(folder.PathOf("src/a.txt"));
        folder.Write("src/b.txt", "second");
        SdImageHarness.RunOk("build", "--out", folder.PathOf("x.img"), folder.PathOf("src"));
        using var image = SdImageHarness.Mount(folder.PathOf("x.img"));
        Assert.Equal(["b.txt"], SdImageHarness.Names(image.Store));
        Assert.Equal([folder.PathOf("x.img")], Directory.GetFiles(folder.Root));
    }
}
