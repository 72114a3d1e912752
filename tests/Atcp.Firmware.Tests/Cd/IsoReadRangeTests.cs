using Atcp.TestSupport;
using System.Security.Cryptography;
using Atcp.Emulation.Media;
using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

[Collection(CdImageCollection.Name)]
public class IsoReadRangeTests(CdImageFixture images)
{
    public static TheoryData<ImageKind> Kinds => new(Enum.GetValues<ImageKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReadRange_WhenWholeLargeFileInOddPieces_HashEqualsSource(ImageKind kind)
    {
        using var device = new FileBlockDevice(images.FullImage(kind));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        var big = CdTestHelpers.Find(volume, "/" + CdImageFixture.BigName);

        byte[] data = CdTestHelpers.ReadAll(volume, big, 61_001);

        Assert.Equal(CdImageFixture.BigLength, big.Size);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(images.BigPath)), SHA256.HashData(data));
    }

    [Fact]
    public void ReadRange_WhenRandomRanges_MatchSourceBytes()
    {
        using var device = new FileBlockDevice(images.FullImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        var big = CdTestHelpers.Find(volume, "/" + CdImageFixture.BigName);
        byte[] source = File.ReadAllBytes(images.BigPath);
        var random = new Random(1234);
        var buffer = new byte[300_000];

        for (int i = 0; i < 500; i++)
        {
            int count = random.Next(0, i % 10 == 0 ? buffer.Length : 5000);
            long offset = random.NextInt64(0, source.Length - count + 1);
            int at = random.Next(0, buffer.Length - count + 1);

            Assert.Equal(IsoStatus.Ok, volume.ReadRange(big, offset, buffer, at, count));

            Assert.True(source.AsSpan((int)offset, count).SequenceEqual(buffer.AsSpan(at, count)), "range " + offset + "+" + count);
        }
    }

    [Theory]
    [InlineData(2047, 2)]
    [InlineData(2048, 2048)]
    [InlineData(511, 2)]
    [InlineData(1000, 10_000)]
    [InlineData(4095, 4098)]
    [InlineData(0, 1)]
    public void ReadRange_WhenRangeCrossesSectorOrBlockBoundaries_MatchesSource(long offset, int count)
    {
        foreach (int blockSize in new[] { 512, 1024, 2048 })
        {
            var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet), blockSize);
            var file = CdTestHelpers.Find(volume, "/odd.bin");
            byte[] source = images.SourceBytes("odd.bin");
            int length = (int)Math.Min(count, source.Length - offset);
            var buffer = new byte[length + 3];

            Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, offset, buffer, 3, length));

            Assert.Equal(source.AsSpan((int)offset, length).ToArray(), buffer.AsSpan(3).ToArray());
        }
    }

    [Fact]
    public void ReadRange_WhenFirstAndLastByte_MatchSourceAndNothingBeyond()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.GenisoimageJoliet));
        var file = CdTestHelpers.Find(volume, "/odd.bin");
        byte[] source = images.SourceBytes("odd.bin");
        var one = new byte[1];

        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, 0, one, 0, 1));
        Assert.Equal(source[0], one[0]);
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, source.Length - 1, one, 0, 1));
        Assert.Equal(source[^1], one[0]);
        Assert.Equal(IsoStatus.OutOfRange, volume.ReadRange(file, source.Length, one, 0, 1));
        Assert.Equal(IsoStatus.OutOfRange, volume.ReadRange(file, source.Length - 1, new byte[2], 0, 2));
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, source.Length, one, 0, 0));
    }

    [Fact]
    public void ReadRange_WhenFileIsExactlyOneSectorOrEmpty_ReadsExactly()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var exact = CdTestHelpers.Find(volume, "/exact.bin");
        var empty = CdTestHelpers.Find(volume, "/empty.dat");

        Assert.Equal(2048, exact.Size);
        Assert.Equal(images.SourceBytes("exact.bin"), CdTestHelpers.ReadAll(volume, exact, 2048));
        Assert.Equal(0, empty.Size);
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(empty, 0, new byte[1], 0, 0));
        Assert.Equal(IsoStatus.OutOfRange, volume.ReadRange(empty, 0, new byte[1], 0, 1));
    }

    [Fact]
    public void ReadRange_WhenArgumentsAreBad_RefusesWithoutReading()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        var file = CdTestHelpers.Find(volume, "/odd.bin");
        long reads = device.ReadCalls;

        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadRange(file, 0, new byte[10], 5, 6));
        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadRange(file, -1, new byte[10], 0, 1));
        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadRange(file, 0, new byte[10], 0, -1));
        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadRange(file, 0, null!, 0, 1));
        Assert.Equal(IsoStatus.InvalidArgument, volume.ReadRange(null!, 0, new byte[10], 0, 1));
        Assert.Equal(IsoStatus.OutOfRange, volume.ReadRange(file, long.MaxValue, new byte[10], 0, 1));
        Assert.Equal(IsoStatus.IsADirectory, volume.ReadRange(CdTestHelpers.Find(volume, "/many"), 0, new byte[10], 0, 1));
        Assert.Equal(reads, device.ReadCalls);
    }

    [Fact]
    public void ReadRange_WhenAligned_ReadsBlocksStraightIntoCallerBufferInOneDeviceCall()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        var file = CdTestHelpers.Find(volume, "/multi/part1.bin");
        var buffer = new byte[4096];

        long calls = device.ReadCalls, blocks = device.BlocksRead;
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, 0, buffer, 0, 4096));
        Assert.Equal(1, device.ReadCalls - calls);
        Assert.Equal(8, device.BlocksRead - blocks);

        // Unaligned at both ends: a head block, the whole blocks in one call, a tail block.
        calls = device.ReadCalls;
        blocks = device.BlocksRead;
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, 100, buffer, 0, 3000));
        Assert.Equal(3, device.ReadCalls - calls);
        Assert.Equal(7, device.BlocksRead - blocks);
        Assert.Equal(images.SourceBytes("multi/part1.bin").AsSpan(100, 3000).ToArray(), buffer.AsSpan(0, 3000).ToArray());
    }

    [Fact]
    public void ReadRange_InSteadyState_DoesNotAllocate()
    {
        var volume = CdTestHelpers.Mount(images.SmallImage(ImageKind.XorrisoJoliet));
        var file = CdTestHelpers.Find(volume, "/odd.bin");
        var buffer = new byte[5000];
        volume.ReadRange(file, 1, buffer, 0, 4000);

        int i = 0;
        Assert.Equal(0, Allocations.PerRun(() => { volume.ReadRange(file, i, buffer, i % 7, 4000 - i); i = (i + 1) % 1000; }, 1000));
    }

    [Fact]
    public void ReadRange_WhenDeviceFailsMidFile_ReturnsIoErrorAtThatSector()
    {
        var device = new MemoryBlockDevice(images.SmallImage(ImageKind.XorrisoJoliet));
        var volume = new IsoVolume(device);
        Assert.Equal(IsoStatus.Ok, volume.Mount());
        var file = CdTestHelpers.Find(volume, "/odd.bin");
        device.FailAtBlock = (file.DataSector + 1) * 4 + 1;

        Assert.Equal(IsoStatus.IoError, volume.ReadRange(file, 0, new byte[5000], 0, 5000));
        // The device does not say which block of a multi-block read failed: the read's first sector.
        Assert.Equal(file.DataSector, volume.FailedSector);
        Assert.Equal(IsoStatus.Ok, volume.ReadRange(file, 0, new byte[2048], 0, 2048));
    }
}
