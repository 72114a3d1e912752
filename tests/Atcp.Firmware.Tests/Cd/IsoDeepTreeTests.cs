using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>A real 40-level tree (xorriso's Joliet tree allows it): lookups and walks stop at
/// <see cref="IsoVolume.MaxDepth"/> with a status instead of going on.</summary>
[Collection(CdImageCollection.Name)]
public class IsoDeepTreeTests(CdImageFixture images)
{
    const int Levels = 40;

    byte[] DeepImage() => images.MakeXorrisoImage("deep", dir =>
    {
        string path = dir;
        for (int i = 1; i <= Levels; i++)
        {
            path = Path.Combine(path, "d" + i);
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "f.txt"), "level " + i);
        }
    }, "-J");

    static string PathTo(int level) => string.Concat(Enumerable.Range(1, level).Select(i => "/d" + i));

    [Fact]
    public void Lookup_WhenWithinDepthLimit_FindsFile()
    {
        var volume = CdTestHelpers.Mount(DeepImage());

        var file = CdTestHelpers.Find(volume, PathTo(IsoVolume.MaxDepth - 1) + "/f.txt");

        Assert.Equal("level " + (IsoVolume.MaxDepth - 1), System.Text.Encoding.UTF8.GetString(CdTestHelpers.ReadAll(volume, file)));
    }

    [Fact]
    public void Lookup_WhenBeyondDepthLimit_ReturnsTooDeep()
    {
        var volume = CdTestHelpers.Mount(DeepImage());

        Assert.Equal(IsoStatus.TooDeep, volume.Lookup(PathTo(IsoVolume.MaxDepth) + "/f.txt", new IsoEntry()));
    }

    [Fact]
    public void Walk_WhenBeyondDepthLimit_ReportsTooDeepOnceAndEnds()
    {
        var volume = CdTestHelpers.Mount(DeepImage());
        var walker = new IsoTreeWalker(volume);
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, walker.Start(CdTestHelpers.Find(volume, "/")));
        int tooDeep = 0, files = 0;

        for (IsoStatus status; (status = walker.Next(entry)) != IsoStatus.EndOfDirectory;)
        {
            if (status == IsoStatus.TooDeep) tooDeep++;
            else if (!entry.IsDirectory) files++;
        }

        Assert.Equal(1, tooDeep);
        Assert.Equal(IsoVolume.MaxDepth - 1, files); // d1/f.txt .. d31/f.txt: paths of up to MaxDepth components, as Lookup allows
    }
}
