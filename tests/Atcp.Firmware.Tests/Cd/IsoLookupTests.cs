using Atcp.TestSupport;
using System.Text;
using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

[Collection(CdImageCollection.Name)]
public class IsoLookupTests(CdImageFixture images)
{
    public static TheoryData<ImageKind> JolietKinds => new(ImageKind.XorrisoJoliet, ImageKind.GenisoimageJoliet);
    public static TheoryData<ImageKind> PrimaryKinds => new(ImageKind.XorrisoPrimary, ImageKind.GenisoimagePrimary);

    [Theory]
    [MemberData(nameof(JolietKinds))]
    public void Lookup_WhenJoliet_FindsEverySourceFileWithItsBytesSizeAndName(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));

        foreach (string relative in images.SourceFiles)
        {
            var entry = CdTestHelpers.Find(volume, "/" + relative);
            byte[] expected = images.SourceBytes(relative);
            Assert.False(entry.IsDirectory);
            Assert.Equal(expected.Length, entry.Size);
            Assert.Equal(Path.GetFileName(relative), entry.NameToString());
            Assert.True(entry.NameEquals(Encoding.UTF8.GetBytes(Path.GetFileName(relative)), 0, Encoding.UTF8.GetByteCount(Path.GetFileName(relative))));
            Assert.Equal(expected, CdTestHelpers.ReadAll(volume, entry));
        }
    }

    [Theory]
    [MemberData(nameof(PrimaryKinds))]
    public void Lookup_WhenPrimaryOnly_FindsLevel1NamesGivenInLowerCase(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));
        int checkedFiles = 0;

        foreach (string relative in images.SourceFiles.Where(CdImageFixture.FitsLevel1))
        {
            var entry = CdTestHelpers.Find(volume, "/" + relative);
            Assert.Equal(Path.GetFileName(relative).ToUpperInvariant(), entry.NameToString());
            Assert.Equal(images.SourceBytes(relative), CdTestHelpers.ReadAll(volume, entry));
            checkedFiles++;
        }
        Assert.True(checkedFiles > CdImageFixture.ManyCount, "too few level-1 names checked: " + checkedFiles);
    }

    [Theory]
    [MemberData(nameof(PrimaryKinds))]
    public void Lookup_WhenPrimaryOnly_IgnoresCaseAndVersionSuffix(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));

        Assert.Equal("README.TXT", CdTestHelpers.Find(volume, "/README.TXT").NameToString());
        Assert.Equal("README.TXT", CdTestHelpers.Find(volume, "/ReadMe.Txt").NameToString());
        Assert.Equal("EMPTY.DAT", CdTestHelpers.Find(volume, "/Level1/LEVEL2/../../empty.dat").NameToString());
    }

    [Theory]
    [MemberData(nameof(JolietKinds))]
    public void Lookup_WhenJoliet_IsCaseSensitive(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));
        var entry = new IsoEntry();

        Assert.Equal(IsoStatus.Ok, volume.Lookup("/names/MixedCase.Txt", entry));
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/names/mixedcase.txt", entry));
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/README.TXT", entry));
    }

    [Fact]
    public void Lookup_WhenPathHasExtraSlashesDotsAndParents_ResolvesLikeAShell()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));

        Assert.Equal("deep.txt", CdTestHelpers.Find(volume, "//level1/./level2//level3/level4/level5/deep.txt").NameToString());
        Assert.Equal("mid.txt", CdTestHelpers.Find(volume, "/level1/level2/level3/../mid.txt").NameToString());
        Assert.Equal("readme.txt", CdTestHelpers.Find(volume, "/../../readme.txt").NameToString());
        Assert.Equal("readme.txt", CdTestHelpers.Find(volume, "/level1/level2/../../readme.txt").NameToString());
        var level2 = CdTestHelpers.Find(volume, "level1/level2/");
        Assert.True(level2.IsDirectory);
        Assert.Equal("level2", level2.NameToString());
        var root = CdTestHelpers.Find(volume, "/");
        Assert.True(root.IsDirectory);
        Assert.Equal(0, root.NameLength);
    }

    [Fact]
    public void Lookup_WhenUnicodeAndLongNames_MatchesUtf8Exactly()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var entry = new IsoEntry();

        Assert.Equal(64, CdImageFixture.LongName.Length);
        Assert.Equal(IsoStatus.Ok, volume.Lookup("/names/" + CdImageFixture.LongName, entry));
        Assert.Equal(IsoStatus.Ok, volume.Lookup("/names/日本語のファイル.txt", entry));
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/names/日本語のファイル.tx", entry));
        // Decomposed "é" (e + U+0301) is different bytes: no normalisation, no match.
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/names/he\u0301llo wörld.txt", entry));
    }

    [Fact]
    public void Lookup_WhenNamesNeedSurrogatePairs_FindsThemAndListsThemAsUtf8()
    {
        var volume = CdTestHelpers.Mount(images.AstralImage);

        foreach (string name in CdImageFixture.AstralNames)
        {
            var entry = CdTestHelpers.Find(volume, "/" + name);
            Assert.Equal(name, entry.NameToString());
            Assert.Equal(Encoding.UTF8.GetBytes(name), CdTestHelpers.ReadAll(volume, entry));
        }
        Assert.Equal(CdImageFixture.AstralNames.Order(StringComparer.Ordinal), CdTestHelpers.List(volume, CdTestHelpers.Find(volume, "/")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lookup_WhenMissingOrThroughAFile_ReportsWhichAndWhere()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var entry = new IsoEntry();
        long level2Sector = CdTestHelpers.Find(volume, "/level1/level2").DataSector;

        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/level1/level2/nothing.txt", entry));
        Assert.Equal(level2Sector, volume.FailedSector);
        Assert.Equal(IsoStatus.NotADirectory, volume.Lookup("/readme.txt/more", entry));
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/" + new string('x', 300), entry));
        Assert.Equal(IsoStatus.NotFound, volume.Lookup(new byte[] { (byte)'/', 0xC3, 0x28 }, 0, 3, entry));
        Assert.Equal(IsoStatus.InvalidArgument, volume.Lookup(new byte[4], 2, 3, entry));
        Assert.Equal(IsoStatus.InvalidArgument, volume.Lookup(new string('a', IsoVolume.MaxPathBytes + 1), entry));
    }

    [Fact]
    public void Lookup_WhenPathDeeperThanLimit_ReturnsTooDeepBeforeReading()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        long reads = device.ReadCalls;

        Assert.Equal(IsoStatus.TooDeep, volume.Lookup(string.Concat(Enumerable.Repeat("/x", IsoVolume.MaxDepth + 1)), new IsoEntry()));
        Assert.Equal(reads, device.ReadCalls);
        // Dot segments do not count towards the depth.
        string upAndDown = string.Concat(Enumerable.Repeat("/level1/./..", IsoVolume.MaxDepth * 2));
        Assert.Equal("readme.txt", CdTestHelpers.Find(volume, upAndDown + "/readme.txt").NameToString());
    }

    [Fact]
    public void Lookup_WhenEachDirectoryFitsOneSector_ReadsEachDirectoryOnce()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        long calls = device.ReadCalls, blocks = device.BlocksRead;

        CdTestHelpers.Find(volume, "/level1/level2/level3/level4/level5/deep.txt");

        // The root sector is still cached from the mount; level1..level5 are one sector each.
        Assert.Equal(5, device.ReadCalls - calls);
        Assert.Equal(5 * 4, device.BlocksRead - blocks);
    }

    [Fact]
    public void Lookup_WithByteArrayPath_DoesNotAllocate()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        byte[] path = Encoding.UTF8.GetBytes("xx/level1/level2/level3/level4/level5/deep.txt");
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, volume.Lookup(path, 2, path.Length - 2, entry));

        Assert.Equal(0, Allocations.PerRun(() => volume.Lookup(path, 2, path.Length - 2, entry)));
        Assert.Equal("deep.txt", entry.NameToString());
    }
}
