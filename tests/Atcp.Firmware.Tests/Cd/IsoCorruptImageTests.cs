using Atcp.Firmware.Cd;
using static Atcp.Firmware.Tests.Cd.IsoImageProbe;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>Good images with one field broken: each must give its status and the sector, never an
/// exception or an endless loop.</summary>
[Collection(CdImageCollection.Name)]
public class IsoCorruptImageTests(CdImageFixture images)
{
    byte[] Joliet() => images.SmallImage(ImageKind.XorrisoJoliet);

    static (IsoStatus Status, long Sector) MountStatus(byte[] image)
    {
        var volume = new IsoVolume(new MemoryBlockDevice(image));
        IsoStatus status = volume.Mount();
        Assert.False(volume.IsMounted && status != IsoStatus.Ok);
        return (status, volume.FailedSector);
    }

    static (IsoStatus Status, long Sector) LookupStatus(byte[] image, string path)
    {
        var volume = CdTestHelpers.Mount(image);
        IsoStatus status = volume.Lookup(path, new IsoEntry());
        return (status, volume.FailedSector);
    }

    static int DirectorySector(byte[] image, string path) => (int)Extent(image, FindRecord(image, true, path));

    [Fact]
    public void Mount_WhenImageCutInHalf_ReturnsTruncatedAtFirstMissingSector()
    {
        byte[] image = Joliet();
        int sectors = image.Length / Sector;

        Assert.Equal((IsoStatus.Truncated, (long)sectors / 2), MountStatus(image[..(sectors / 2 * Sector)]));
    }

    [Fact]
    public void Mount_WhenImageEndsInsideDescriptorSet_ReturnsTruncated()
    {
        Assert.Equal((IsoStatus.Truncated, 17L), MountStatus(Joliet()[..(17 * Sector)]));
    }

    [Fact]
    public void Mount_WhenImageShorterThanSystemArea_ReturnsNotIso9660()
    {
        Assert.Equal(IsoStatus.NotIso9660, MountStatus(Joliet()[..(10 * Sector)]).Status);
        Assert.Equal(IsoStatus.NotIso9660, MountStatus(new byte[100 * Sector]).Status);
    }

    [Fact]
    public void Mount_WhenPrimaryDescriptorMissing_ReturnsNotIso9660()
    {
        byte[] image = Joliet();
        image[DescriptorSector(image, 1) * Sector] = 3; // now a "partition" descriptor

        Assert.Equal((IsoStatus.NotIso9660, 16L), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenTerminatorDamaged_ReturnsCorruptDescriptorAtIt()
    {
        byte[] image = Joliet();
        int terminator = DescriptorSector(image, 255);
        image[terminator * Sector + 3] = (byte)'X';

        Assert.Equal((IsoStatus.CorruptDescriptor, (long)terminator), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenDescriptorsRepeatWithoutTerminator_StopsAtLimit()
    {
        byte[] image = Joliet();
        int joliet = DescriptorSector(image, 2);
        for (int s = DescriptorSector(image, 255); s < 16 + IsoVolume.MaxDescriptors + 10; s++)
            Array.Copy(image, joliet * Sector, image, s * Sector, Sector);

        Assert.Equal((IsoStatus.CorruptDescriptor, 16L + IsoVolume.MaxDescriptors - 1), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenPrimaryVersionUnknown_ReturnsUnsupportedVersion()
    {
        byte[] image = Joliet();
        image[16 * Sector + 6] = 2;

        Assert.Equal((IsoStatus.UnsupportedVersion, 16L), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenLogicalBlockSizeIsNot2048_ReturnsUnsupportedBlockSize()
    {
        byte[] image = Joliet();
        WriteBothEndian16(image, 16 * Sector + 128, 1024);

        Assert.Equal((IsoStatus.UnsupportedBlockSize, 16L), MountStatus(image));
    }

    [Theory]
    [InlineData(16 * 2048 + 128 + 2)] // logical block size, big-endian half
    [InlineData(16 * 2048 + 80 + 7)]  // volume space size, big-endian half
    public void Mount_WhenDescriptorHalvesDisagree_ReturnsEndianMismatch(int offset)
    {
        byte[] image = Joliet();
        image[offset] ^= 0x40;

        Assert.Equal((IsoStatus.EndianMismatch, 16L), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenRootRecordIsNotADirectory_ReturnsCorruptDescriptor()
    {
        byte[] image = Joliet();
        int joliet = DescriptorSector(image, 2);
        image[RootRecord(image, true) + 25] = 0;

        Assert.Equal((IsoStatus.CorruptDescriptor, (long)joliet), MountStatus(image));
    }

    [Fact]
    public void Mount_WhenRootPointsBeyondVolume_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        WriteBothEndian32(image, RootRecord(image, true) + 2, (uint)(image.Length / Sector + 5));

        Assert.Equal(IsoStatus.CorruptDirectory, MountStatus(image).Status);
    }

    [Fact]
    public void Mount_WhenRootPointsAtFileData_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        uint readme = Extent(image, FindRecord(image, true, "readme.txt"));
        WriteBothEndian32(image, RootRecord(image, true) + 2, readme);

        Assert.Equal((IsoStatus.CorruptDirectory, (long)readme), MountStatus(image));
    }

    [Fact]
    public void Lookup_WhenRecordLengthZeroedMidSector_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        int target = FindRecord(image, true, "many/f150.txt");
        Assert.NotEqual(0, target % Sector);
        image[target] = 0;

        Assert.Equal((IsoStatus.CorruptDirectory, (long)target / Sector), LookupStatus(image, "/many/f299.txt"));
        Assert.Equal(IsoStatus.Ok, LookupStatus(image, "/many/f000.txt").Status);
    }

    [Fact]
    public void List_WhenRecordLengthZeroAtSectorStart_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        int second = Records(image, FindRecord(image, true, "many")).First(r => r % Sector == 0 && r / Sector != DirectorySector(image, "many"));
        image[second] = 0;
        var volume = CdTestHelpers.Mount(image);
        var cursor = new IsoDirectoryCursor();
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, volume.OpenDirectory(CdTestHelpers.Find(volume, "/many"), cursor));

        IsoStatus status;
        int guard = 0;
        while ((status = volume.ReadNext(cursor, entry)) == IsoStatus.Ok) Assert.True(++guard < 1000);

        Assert.Equal(IsoStatus.CorruptDirectory, status);
        Assert.Equal(second / Sector, volume.FailedSector);
    }

    [Fact]
    public void Lookup_WhenRecordOverrunsItsSector_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        var records = Records(image, FindRecord(image, true, "many"));
        int last = records.First(r => r % Sector > 1800 && (r + image[r]) / Sector == r / Sector
            && records.Contains((r / Sector + 1) * Sector));
        image[last] = 255;

        Assert.Equal((IsoStatus.CorruptDirectory, (long)last / Sector), LookupStatus(image, "/many/f299.txt"));
    }

    [Fact]
    public void Lookup_WhenFilePointsBeyondVolume_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        int record = FindRecord(image, true, "readme.txt");
        WriteBothEndian32(image, record + 2, (uint)(image.Length / Sector));

        Assert.Equal((IsoStatus.CorruptDirectory, (long)record / Sector), LookupStatus(image, "/readme.txt"));
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x80000000u)]
    public void Lookup_WhenFileSizeHugeOrNegativeAsInt32_ReturnsCorruptDirectory(uint size)
    {
        byte[] image = Joliet();
        int record = FindRecord(image, true, "odd.bin");
        WriteBothEndian32(image, record + 10, size);

        Assert.Equal((IsoStatus.CorruptDirectory, (long)record / Sector), LookupStatus(image, "/odd.bin"));
    }

    [Theory]
    [InlineData(2 + 5)]  // extent, big-endian half
    [InlineData(10 + 4)] // data length, big-endian half
    public void Lookup_WhenRecordHalvesDisagree_ReturnsEndianMismatch(int field)
    {
        byte[] image = Joliet();
        int record = FindRecord(image, true, "odd.bin");
        image[record + field] ^= 0x01;

        Assert.Equal((IsoStatus.EndianMismatch, (long)record / Sector), LookupStatus(image, "/odd.bin"));
    }

    [Fact]
    public void Lookup_WhenDirectoryPointsBeyondVolumeOrHasNoSize_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        WriteBothEndian32(image, FindRecord(image, true, "level1") + 2, (uint)(image.Length / Sector + 100));
        Assert.Equal(IsoStatus.CorruptDirectory, LookupStatus(image, "/level1/level2/mid.txt").Status);

        image = Joliet();
        WriteBothEndian32(image, FindRecord(image, true, "level1") + 10, 0);
        Assert.Equal(IsoStatus.CorruptDirectory, LookupStatus(image, "/level1/level2/mid.txt").Status);
    }

    [Fact]
    public void Lookup_WhenDirectoryPointsAtFileData_ReturnsCorruptDirectory()
    {
        byte[] image = Joliet();
        uint data = Extent(image, FindRecord(image, true, "odd.bin"));
        WriteBothEndian32(image, FindRecord(image, true, "level1") + 2, data);

        Assert.Equal((IsoStatus.CorruptDirectory, (long)data), LookupStatus(image, "/level1/level2"));
    }

    [Fact]
    public void Walk_WhenDirectoryPointsBackAtRoot_ReportsCycleAndEnds()
    {
        byte[] image = Joliet();
        int root = RootRecord(image, true);
        int level2 = FindRecord(image, true, "level1/level2");
        WriteBothEndian32(image, level2 + 2, Extent(image, root));
        WriteBothEndian32(image, level2 + 10, DataLength(image, root));
        var volume = CdTestHelpers.Mount(image);
        var walker = new IsoTreeWalker(volume);
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, walker.Start(CdTestHelpers.Find(volume, "/")));
        int cycles = 0, entries = 0;

        for (IsoStatus status; (status = walker.Next(entry)) != IsoStatus.EndOfDirectory;)
        {
            Assert.True(++entries < 10_000, "walk does not end");
            if (status == IsoStatus.DirectoryCycle) cycles++;
            else Assert.Equal(IsoStatus.Ok, status);
        }

        Assert.Equal(1, cycles);
        // Lookups through the loop are bounded by the depth limit.
        Assert.Equal(IsoStatus.Ok, volume.Lookup("/level1/level2/level1/level2/readme.txt", entry));
        string loop = string.Concat(Enumerable.Repeat("/level1/level2", IsoVolume.MaxDepth));
        Assert.Equal(IsoStatus.TooDeep, volume.Lookup(loop + "/readme.txt", entry));
    }

    [Fact]
    public void Walk_WhenTwoRecordsLeadIntoOneCycle_ReportsEachAndEnds()
    {
        byte[] image = Joliet();
        int level1 = FindRecord(image, true, "level1");
        int level5 = FindRecord(image, true, "level1/level2/level3/level4/level5");
        int many = FindRecord(image, true, "many");
        // level5 -> level1 closes a cycle; many -> level1 is a second way into it.
        foreach (int record in new[] { level5, many })
        {
            WriteBothEndian32(image, record + 2, Extent(image, level1));
            WriteBothEndian32(image, record + 10, DataLength(image, level1));
        }
        var volume = CdTestHelpers.Mount(image);
        var walker = new IsoTreeWalker(volume);
        var entry = new IsoEntry();
        Assert.Equal(IsoStatus.Ok, walker.Start(CdTestHelpers.Find(volume, "/")));
        int entries = 0, cycles = 0;

        for (IsoStatus status; (status = walker.Next(entry)) != IsoStatus.EndOfDirectory;)
        {
            Assert.True(++entries < 10_000, "walk does not end");
            if (status == IsoStatus.DirectoryCycle) cycles++;
            else Assert.Equal(IsoStatus.Ok, status);
        }

        Assert.Equal(2, cycles);
    }

    [Fact]
    public void Lookup_WhenDeviceFailsOnDirectorySector_ReturnsIoError()
    {
        byte[] image = Joliet();
        int many = DirectorySector(image, "many");
        var device = new MemoryBlockDevice(image);
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        device.FailAtBlock = (many + 1) * 4;

        Assert.Equal(IsoStatus.IoError, volume.Lookup("/many/f299.txt", new IsoEntry()));
        Assert.Equal(many + 1, volume.FailedSector);
    }
}
