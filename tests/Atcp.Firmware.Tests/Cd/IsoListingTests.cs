using Atcp.TestSupport;
using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

[Collection(CdImageCollection.Name)]
public class IsoListingTests(CdImageFixture images)
{
    public static TheoryData<ImageKind> Kinds => new(Enum.GetValues<ImageKind>());

    static List<string> SourceNames(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(p => Path.GetFileName(p)).ToList();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void List_WhenRoot_ReturnsEachEntryOnceWithoutSelfAndParent(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));

        var names = CdTestHelpers.List(volume, CdTestHelpers.Find(volume, "/"));

        var expected = SourceNames(images.SourceDir);
        if (CdImageFixture.IsJoliet(kind))
            Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        else
            Assert.Equal(expected.Select(n => n.ToUpperInvariant()).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(".", names);
        Assert.DoesNotContain("..", names);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void List_WhenDirectorySpansSeveralSectors_ReturnsAllEntries(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));
        var many = CdTestHelpers.Find(volume, "/many");

        var names = CdTestHelpers.List(volume, many);

        Assert.True(many.Size >= 3 * IsoVolume.SectorSize, "many/ is only " + many.Size + " bytes");
        Assert.Equal(CdImageFixture.ManyCount, names.Count);
        var expected = Enumerable.Range(0, CdImageFixture.ManyCount).Select(i => $"f{i:D3}.txt");
        if (!CdImageFixture.IsJoliet(kind)) expected = expected.Select(n => n.ToUpperInvariant());
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void List_WhenResumedFromSavedPosition_ContinuesWhereThePageEnded()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var many = CdTestHelpers.Find(volume, "/many");
        var entry = new IsoEntry();
        var pages = new List<string>();
        long position = 0;
        int pageCount = 0;

        while (true)
        {
            // A fresh cursor per page, as a web page or console command would have.
            var cursor = new IsoDirectoryCursor();
            Assert.Equal(IsoStatus.Ok, volume.OpenDirectory(many, cursor));
            cursor.Position = position;
            IsoStatus status = IsoStatus.Ok;
            for (int i = 0; i < 37 && (status = volume.ReadNext(cursor, entry)) == IsoStatus.Ok; i++) pages.Add(entry.NameToString());
            position = cursor.Position;
            pageCount++;
            if (status == IsoStatus.EndOfDirectory) break;
            Assert.Equal(IsoStatus.Ok, status);
        }

        Assert.Equal(CdTestHelpers.List(volume, many), pages);
        Assert.True(pageCount >= 9);
    }

    [Fact]
    public void List_WhenEntriesHaveFlagsAndDates_ReportsThem()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.GenisoimagePrimary));
        var root = CdTestHelpers.Find(volume, "/");
        var cursor = new IsoDirectoryCursor();
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, volume.OpenDirectory(root, cursor));
        var seen = new Dictionary<string, (bool Hidden, bool Directory, long Modified)>();

        while (volume.ReadNext(cursor, entry) == IsoStatus.Ok)
            seen[entry.NameToString()] = (entry.IsHidden, entry.IsDirectory, entry.ModifiedUnixSeconds);

        Assert.True(seen["HIDDEN.TXT"].Hidden);
        Assert.False(seen["README.TXT"].Hidden);
        Assert.True(seen["LEVEL1"].Directory);
        Assert.False(seen["README.TXT"].Directory);
        long expected = new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(images.SourceDir, "readme.txt"))).ToUnixTimeSeconds();
        Assert.InRange(seen["README.TXT"].Modified, expected - 1, expected + 1);
    }

    [Fact]
    public void OpenDirectory_WhenGivenAFile_ReturnsNotADirectory()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));

        var status = volume.OpenDirectory(CdTestHelpers.Find(volume, "/readme.txt"), new IsoDirectoryCursor());

        Assert.Equal(IsoStatus.NotADirectory, status);
        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadNext(new IsoDirectoryCursor(), new IsoEntry()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Walk_WhenTreeIsNested_VisitsEveryFileOnceAtItsDepth(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));
        var walker = new IsoTreeWalker(volume);
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, walker.Start(CdTestHelpers.Find(volume, "/")));
        int files = 0;
        int deepest = 0;
        IsoStatus status;

        while ((status = walker.Next(entry)) == IsoStatus.Ok)
        {
            if (!entry.IsDirectory) files++;
            deepest = Math.Max(deepest, walker.Depth);
            if (entry.NameToString().Equals("deep.txt", StringComparison.OrdinalIgnoreCase)) Assert.Equal(5, walker.Depth);
        }

        Assert.Equal(IsoStatus.EndOfDirectory, status);
        Assert.Equal(images.SourceFiles.Count, files);
        Assert.Equal(5, deepest);
    }

    [Fact]
    public void ReadNext_InSteadyState_DoesNotAllocate()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var many = CdTestHelpers.Find(volume, "/many");
        var cursor = new IsoDirectoryCursor();
        var entry = new IsoEntry();
        CdTestHelpers.List(volume, many);

        int count = 0;
        long allocated = Allocations.PerRun(() =>
        {
            volume.OpenDirectory(many, cursor);
            count = 0;
            while (volume.ReadNext(cursor, entry) == IsoStatus.Ok) count++;
        }, 3, 3);

        Assert.Equal(CdImageFixture.ManyCount, count);
        Assert.Equal(0, allocated);
    }
}
