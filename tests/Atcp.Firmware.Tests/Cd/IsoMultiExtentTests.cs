using Atcp.Firmware.Cd;
using static Atcp.Firmware.Tests.Cd.IsoImageProbe;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>Multi-extent files (ECMA-119 6.5.1) appear only above 4 GiB, so these tests patch two
/// neighbouring files of a real image into one file of two extents.</summary>
[Collection(CdImageCollection.Name)]
public class IsoMultiExtentTests(CdImageFixture images)
{
    // part1.bin (4096 bytes) gets the multi-extent flag, part2.bin is renamed to part1.bin.
    byte[] TwoExtentImage(out int first, out int second)
    {
        byte[] image = images.SmallImage(ImageKind.XorrisoJoliet);
        first = FindRecord(image, true, "multi/part1.bin");
        second = FindRecord(image, true, "multi/part2.bin");
        Assert.Equal(first + image[first], second);
        image[first + 25] |= 0x80;
        Array.Copy(image, first + 33, image, second + 33, image[first + 32]);
        return image;
    }

    [Fact]
    public void Lookup_WhenPartsAreBackToBack_ReturnsOneReadableFile()
    {
        byte[] image = TwoExtentImage(out int first, out int second);
        Assert.Equal(Extent(image, first) + 2, Extent(image, second));
        var volume = CdTestHelpers.Mount(image);

        var file = CdTestHelpers.Find(volume, "/multi/part1.bin");

        Assert.True(file.IsMultiExtent);
        Assert.Equal(2, file.ExtentCount);
        Assert.True(file.IsReadable);
        Assert.Equal(4096 + 3000, file.Size);
        byte[] expected = [.. images.SourceBytes("multi/part1.bin"), .. images.SourceBytes("multi/part2.bin")];
        Assert.Equal(expected, CdTestHelpers.ReadAll(volume, file, 1000));
        Assert.Equal(["part1.bin"], CdTestHelpers.List(volume, CdTestHelpers.Find(volume, "/multi")));
    }

    [Fact]
    public void ReadRange_WhenPartsAreScattered_RefusesWithUnsupportedFileLayout()
    {
        byte[] image = TwoExtentImage(out int first, out int second);
        WriteBothEndian32(image, second + 2, Extent(image, first) - 1);
        var volume = CdTestHelpers.Mount(image);

        var file = CdTestHelpers.Find(volume, "/multi/part1.bin");

        Assert.True(file.IsMultiExtent);
        Assert.False(file.IsContiguous);
        Assert.False(file.IsReadable);
        Assert.Equal(IsoStatus.UnsupportedFileLayout, volume.ReadRange(file, 0, new byte[10], 0, 10));
        Assert.Single(CdTestHelpers.List(volume, CdTestHelpers.Find(volume, "/multi")));
    }

    [Fact]
    public void Lookup_WhenChainRunsOffTheDirectory_ReturnsCorruptDirectory()
    {
        byte[] image = TwoExtentImage(out _, out int second);
        image[second + 25] |= 0x80;
        var volume = CdTestHelpers.Mount(image);

        Assert.Equal(IsoStatus.CorruptDirectory, volume.Lookup("/multi/part1.bin", new IsoEntry()));
    }

    [Fact]
    public void Lookup_WhenNextPartHasAnotherName_ReturnsCorruptDirectory()
    {
        byte[] image = images.SmallImage(ImageKind.XorrisoJoliet);
        image[FindRecord(image, true, "multi/part1.bin") + 25] |= 0x80;
        var volume = CdTestHelpers.Mount(image);

        Assert.Equal(IsoStatus.CorruptDirectory, volume.Lookup("/multi/part1.bin", new IsoEntry()));
    }

    [Fact]
    public void ReadRange_WhenFileIsInterleaved_RefusesWithUnsupportedFileLayout()
    {
        byte[] image = images.SmallImage(ImageKind.XorrisoJoliet);
        image[FindRecord(image, true, "odd.bin") + 26] = 1;
        var volume = CdTestHelpers.Mount(image);

        var file = CdTestHelpers.Find(volume, "/odd.bin");

        Assert.True(file.IsInterleaved);
        Assert.Equal(IsoStatus.UnsupportedFileLayout, volume.ReadRange(file, 0, new byte[10], 0, 10));
    }
}
