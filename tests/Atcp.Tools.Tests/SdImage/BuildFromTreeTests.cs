using System.Text.Json;
using Atcp.Firmware.Store;
using Atcp.SdImage;

namespace Atcp.Tools.Tests.SdImage;

/// <summary>A source tree with everything a real one has (nested folders, unicode names, an empty
/// file, a 20 MB video, many small files, a hidden file) built once into an image.</summary>
public sealed class BuiltTreeFixture : IDisposable
{
    /// <summary>Stored object names and their source files.</summary>
    public Dictionary<string, string> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the tree and the image are.</summary>
    public TempFolder Folder { get; } = new();

    /// <summary>The image built from the tree.</summary>
    public string Image => Folder.PathOf("card.img");

    /// <summary>Modification time given to index.html.</summary>
    public static readonly DateTime IndexTime = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    /// <summary>What the build printed.</summary>
    public ToolRun Build { get; }

    public BuiltTreeFixture()
    {
        var random = new Random(7);
        byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
        void Add(string name, byte[] content) => Sources[name] = Folder.Write(Path.Combine("src", name), content);
        Add("index.html", "<h1>hello</h1>"u8.ToArray());
        File.SetLastWriteTimeUtc(Sources["index.html"], IndexTime);
        Add("videos/2024/clip one.mp4", Bytes(20_000_000));
        Add("empty.txt", []);
        Add("música/canción ñ.mp3", Bytes(5_000));
        Add("日本語/ファイル.json", "{\"a\":1}"u8.ToArray());
        Add("deep/a/b/c/d/e/f/g/style.css", "body{}"u8.ToArray());
        Add("noext", Bytes(513));
        for (int i = 0; i < 400; i++) Add($"thumbs/t{i:D3}.png", Bytes(random.Next(1, 3000)));
        Folder.Write("src/.hidden/secret.txt", "no");
        Folder.Write("src/.env", "no");
        Build = SdImageHarness.RunOk("build", "--out", Image, Folder.PathOf("src"));
    }

    public void Dispose() => Folder.Dispose();
}

public class BuildFromTreeTests(BuiltTreeFixture tree) : IClassFixture<BuiltTreeFixture>
{
    [Fact]
    public void Build_StoresEveryFile_WithTheSourceBytes()
    {
        using var image = SdImageHarness.Mount(tree.Image);
        Assert.Equal(tree.Sources.Keys.Order(StringComparer.Ordinal), SdImageHarness.Names(image.Store).Order(StringComparer.Ordinal));
        foreach (var (name, path) in tree.Sources)
        {
            var o = image.Get(name);
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(SdImageHarness.ReadAll(image.Store, o)), "bytes differ: " + name);
        }
    }

    [Fact]
    public void Build_GivesContentTypesFromExtensions_AndModificationTimes()
    {
        using var image = SdImageHarness.Mount(tree.Image);
        Assert.Equal("text/html", image.Get("index.html").GetContentType());
        Assert.Equal("video/mp4", image.Get("videos/2024/clip one.mp4").GetContentType());
        Assert.Equal("audio/mpeg", image.Get("música/canción ñ.mp3").GetContentType());
        Assert.Equal("application/json", image.Get("日本語/ファイル.json").GetContentType());
        Assert.Equal("text/css", image.Get("deep/a/b/c/d/e/f/g/style.css").GetContentType());
        Assert.Equal("application/octet-stream", image.Get("noext").GetContentType());
        Assert.Equal(new DateTimeOffset(BuiltTreeFixture.IndexTime).ToUnixTimeSeconds(), image.Get("index.html").ModifiedTime);
    }

    [Fact]
    public void Build_LeavesHiddenFilesOut_AndSaysSo()
    {
        using var image = SdImageHarness.Mount(tree.Image);
        var o = new StoreObject();
        Assert.Equal(StoreStatus.NotFound, image.Store.Lookup(".env", o));
        Assert.Equal(StoreStatus.NotFound, image.Store.Lookup(".hidden/secret.txt", o));
        Assert.Contains("skipped   2 hidden", tree.Build.Out);
    }

    [Fact]
    public void Build_Summary_CountsObjectsBytesAndFreeSpace()
    {
        using var image = SdImageHarness.Mount(tree.Image);
        long bytes = tree.Sources.Values.Sum(p => new FileInfo(p).Length);
        Assert.Contains($"objects   {tree.Sources.Count} ({ByteSize.Format(bytes)})", tree.Build.Out);
        Assert.Contains($"free      {ByteSize.Format(image.Store.FreeBytes)} of {ByteSize.Format(image.Store.CapacityBytes)}", tree.Build.Out);
        Assert.Matches(@"^wrote .* in [0-9.]+ s \(.*/s\)\s*$", tree.Build.Error);
    }

    [Fact]
    public void Build_AutoSize_FitsTheSmallestSufficientCard_AsASparseFile()
    {
        // About 21 MB of content plus headroom: the 32 MB card's image, 93 % of 32,000,000 bytes in whole MiB.
        Assert.Equal(28L << 20, new FileInfo(tree.Image).Length);
        Assert.Contains("fits any 32 MB card", tree.Build.Out);
    }

    [Fact]
    public void Inspect_ListsEveryObject_WithSizeTypeAndETag()
    {
        var run = SdImageHarness.RunOk("inspect", tree.Image);
        using var image = SdImageHarness.Mount(tree.Image);
        Assert.Contains("label       atcp", run.Out);
        Assert.Contains("chunk size  292 bytes", run.Out);
        Assert.Contains($"objects     {tree.Sources.Count}", run.Out);
        foreach (var name in tree.Sources.Keys)
        {
            var o = image.Get(name);
            Assert.Matches($@"(?m)^\s*{o.Size}\s+{System.Text.RegularExpressions.Regex.Escape(o.GetContentType())}\s+{System.Text.RegularExpressions.Regex.Escape(o.GetETag())}\s+{System.Text.RegularExpressions.Regex.Escape(name)}$", run.Out);
        }
    }

    [Fact]
    public void InspectJson_AgreesWithTheStore()
    {
        var run = SdImageHarness.RunOk("inspect", "--json", tree.Image);
        using var json = JsonDocument.Parse(run.Out);
        using var image = SdImageHarness.Mount(tree.Image);
        var root = json.RootElement;
        Assert.Equal(image.Store.FreeBytes, root.GetProperty("freeBytes").GetInt64());
        Assert.Equal(image.Store.CapacityBytes, root.GetProperty("capacityBytes").GetInt64());
        Assert.Equal(292, root.GetProperty("chunkSize").GetInt32());
        var objects = root.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(tree.Sources.Count, objects.Count);
        foreach (var x in objects)
        {
            var o = image.Get(x.GetProperty("name").GetString()!);
            Assert.Equal(o.Size, x.GetProperty("size").GetInt64());
            Assert.Equal(o.GetETag(), x.GetProperty("etag").GetString());
            Assert.Equal(o.GetContentType(), x.GetProperty("contentType").GetString());
        }
    }

    [Fact]
    public void Verify_FreshImage_PassesEveryObject()
    {
        var run = SdImageHarness.Run("verify", tree.Image);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"verified {tree.Sources.Count} objects", run.Out);
        Assert.DoesNotContain("FAIL", run.Out);
    }
}
