using Atcp.Emulation.Media;
using Atcp.Firmware.Cd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Cd;

[Collection(CdImageCollection.Name)]
public class IsoMountTests(CdImageFixture images)
{
    public static TheoryData<ImageKind> Kinds => new(Enum.GetValues<ImageKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mount_WhenImageFromTool_ReadsVolumeFields(ImageKind kind)
    {
        using var device = new FileBlockDevice(images.FullImage(kind));
        var volume = new IsoVolume(device);

        Assert.Equal(IsoStatus.Ok, volume.Mount());

        Assert.True(volume.IsMounted);
        Assert.Equal("ATCP_TEST", volume.VolumeIdentifier);
        Assert.Equal(device.BlockCount / 4, volume.VolumeSectors);
        Assert.Equal(CdImageFixture.IsJoliet(kind), volume.UsesJoliet);
        Assert.Equal(CdImageFixture.IsJoliet(kind) ? 3 : 0, volume.JolietLevel);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(volume.CreatedUnixSeconds, now - 3600, now + 60);
        var root = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, volume.GetRoot(root));
        Assert.True(root.IsDirectory);
        Assert.Equal(0, root.NameLength);
    }

    [Fact]
    public void Mount_WhenJolietPresentButNotPreferred_UsesPrimaryTree()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet), preferJoliet: false);

        Assert.False(volume.UsesJoliet);
        Assert.Equal(3, volume.JolietLevel);
        var names = CdTestHelpers.List(volume, CdTestHelpers.Find(volume, "/"));
        Assert.Contains("README.TXT", names);
        Assert.DoesNotContain("readme.txt", names);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Mount_WhenDeviceBlockDividesSector_Mounts(int blockSize)
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.GenisoimageJoliet), blockSize);

        var file = CdTestHelpers.Find(volume, "/odd.bin");
        Assert.Equal(images.SourceBytes("odd.bin"), CdTestHelpers.ReadAll(volume, file, 777));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(3000)]
    public void Mount_WhenDeviceBlockDoesNotDivideSector_ReturnsUnsupportedBlockSize(int blockSize)
    {
        var volume = new IsoVolume(new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet), blockSize));

        Assert.Equal(IsoStatus.UnsupportedBlockSize, volume.Mount());
        Assert.False(volume.IsMounted);
    }

    [Fact]
    public void Mount_WhenImageIsIso9660_1999_SkipsEnhancedDescriptor()
    {
        byte[] image = images.MakeXorrisoImage("level4", dir =>
            File.WriteAllBytes(Path.Combine(dir, "readme.txt"), images.SourceBytes("readme.txt")), "-iso-level", "4");

        var volume = CdTestHelpers.Mount(image);

        Assert.False(volume.UsesJoliet);
        Assert.Equal(images.SourceBytes("readme.txt"), CdTestHelpers.ReadAll(volume, CdTestHelpers.Find(volume, "/readme.txt")));
    }

    [Fact]
    public void Operations_BeforeMount_ReturnNotMounted()
    {
        var volume = new IsoVolume(new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet)));
        var entry = new IsoEntry();

        Assert.Equal(IsoStatus.NotMounted, volume.Lookup("/readme.txt", entry));
        Assert.Equal(IsoStatus.NotMounted, volume.GetRoot(entry));
        Assert.Equal(IsoStatus.NotMounted, volume.OpenDirectory(entry, new IsoDirectoryCursor()));
        Assert.Equal(IsoStatus.NotMounted, volume.ReadRange(entry, 0, new byte[1], 0, 1));
    }

    [Fact]
    public void Mount_WhenDeviceFails_ReturnsIoErrorWithSectorAndBlockStatus()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet)) { FailAtBlock = 17 * 4 + 2, FailStatus = BlockStatus.CrcError };
        var volume = new IsoVolume(device);

        Assert.Equal(IsoStatus.IoError, volume.Mount());
        Assert.Equal(17, volume.FailedSector);
        Assert.Equal(BlockStatus.CrcError, volume.LastBlockStatus);
    }

    [Fact]
    public void StatusText_ForEveryStatus_IsWordsNotNumbers()
    {
        foreach (IsoStatus status in Enum.GetValues<IsoStatus>())
        {
            string text = IsoStatusText.Describe(status);
            Assert.DoesNotContain("status ", text);
            Assert.False(string.IsNullOrWhiteSpace(text));
        }
    }
}
