using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>Entries without names (the board's per-stream CD handles, 333 bytes smaller) resolve
/// paths to the same file as named entries: names are compared on the medium, not in the entry.</summary>
[Collection(CdImageCollection.Name)]
public class IsoNamelessEntryTests(CdImageFixture images)
{
    public static TheoryData<ImageKind> Kinds => new(ImageKind.XorrisoJoliet, ImageKind.GenisoimagePrimary);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Lookup_IntoAnEntryWithoutName_FindsTheSameFileAndReadsIt(ImageKind kind)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(kind));
        var nameless = new IsoEntry(false);
        int checkedFiles = 0;
        foreach (string relative in images.SourceFiles.Where(r => kind == ImageKind.XorrisoJoliet || CdImageFixture.FitsLevel1(r)).Take(40))
        {
            var named = CdTestHelpers.Find(volume, "/" + relative);
            Assert.Equal(IsoStatus.Ok, volume.Lookup("/" + relative, nameless));
            Assert.False(nameless.KeepsName);
            Assert.Equal(0, nameless.NameLength);
            Assert.Equal(named.DataSector, nameless.DataSector);
            Assert.Equal(named.Size, nameless.Size);
            Assert.Equal(named.Flags, nameless.Flags);
            Assert.Equal(images.SourceBytes(relative), CdTestHelpers.ReadAll(volume, nameless));
            checkedFiles++;
        }
        Assert.True(checkedFiles > 10);
        Assert.Equal(IsoStatus.NotFound, volume.Lookup("/no-such-file.bin", nameless));
    }
}
