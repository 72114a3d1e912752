using Atcp.Emulation.SdCard;
using Atcp.Firmware.Disk.Sd;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Disk;

/// <summary>Read and write round trips through the driver and the card model.</summary>
public class SdCardReadWriteTests
{
    public static TheoryData<SdCardKind> Kinds => new() { SdCardKind.HighCapacity, SdCardKind.Sdsc, SdCardKind.SdscVersion1 };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WholeImage_WrittenInRunsAndReadBackInOtherRuns_RoundTrips(SdCardKind kind)
    {
        var rig = SdRig.Create(kind, blocks: 2048);
        var data = SdRig.RandomImage(2048, seed: 42);
        for (int block = 0; block < 2048; block += 61)
        {
            int count = Math.Min(61, 2048 - block);
            Assert.Equal(BlockStatus.Ok, rig.Driver.Write(block, count, data, block * 512));
        }
        Assert.Equal(data, rig.Image);
        Assert.Equal(2048, rig.Card.BlocksWritten);

        var back = new byte[data.Length];
        for (int block = 0; block < 2048; block += 37)
        {
            int count = Math.Min(37, 2048 - block);
            Assert.Equal(BlockStatus.Ok, rig.Driver.Read(block, count, back, block * 512));
        }
        Assert.Equal(data, back);
        Assert.Equal(0, rig.Card.BusyViolations);
        Assert.Equal(0, rig.Driver.Statistics.CrcErrors);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SingleBlocks_AtRandomPlaces_RoundTrip(SdCardKind kind)
    {
        var rig = SdRig.Create(kind, blocks: 4096);
        var reference = (byte[])rig.Image.Clone();
        var random = new Random(5);
        var block = new byte[512];
        for (int i = 0; i < 200; i++)
        {
            long at = random.Next(4096);
            random.NextBytes(block);
            Assert.Equal(BlockStatus.Ok, rig.Driver.Write(at, 1, block, 0));
            block.CopyTo(reference, at * 512);
        }
        Assert.Equal(reference, rig.Image);
        for (int i = 0; i < 200; i++)
        {
            long at = random.Next(4096);
            Assert.Equal(BlockStatus.Ok, rig.Driver.Read(at, 1, block, 0));
            Assert.Equal(reference.AsSpan((int)at * 512, 512).ToArray(), block);
        }
    }

    [Fact]
    public void RandomRuns_MixedReadsAndWrites_MatchAReferenceImage()
    {
        var rig = SdRig.Create(SdCardKind.HighCapacity, blocks: 4096);
        var reference = (byte[])rig.Image.Clone();
        var random = new Random(11);
        var buffer = new byte[64 * 512 + 100];
        for (int i = 0; i < 300; i++)
        {
            int count = random.Next(1, 65);
            long at = random.Next(4096 - count + 1);
            int offset = random.Next(0, 100);
            if (random.Next(2) == 0)
            {
                random.NextBytes(buffer);
                Assert.Equal(BlockStatus.Ok, rig.Driver.Write(at, count, buffer, offset));
                Array.Copy(buffer, offset, reference, at * 512, count * 512);
            }
            else
            {
                Assert.Equal(BlockStatus.Ok, rig.Driver.Read(at, count, buffer, offset));
                Assert.Equal(reference.AsSpan((int)at * 512, count * 512).ToArray(), buffer.AsSpan(offset, count * 512).ToArray());
            }
        }
        Assert.Equal(reference, rig.Image);
    }

    [Fact]
    public void Read_IntoTheMiddleOfABuffer_LeavesTheBytesAroundUntouched()
    {
        var rig = SdRig.Create();
        var buffer = Enumerable.Repeat((byte)0x5A, 2048).ToArray();
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(3, 2, buffer, 100));
        Assert.Equal(rig.Image.AsSpan(3 * 512, 1024).ToArray(), buffer.AsSpan(100, 1024).ToArray());
        Assert.All(buffer.AsSpan(0, 100).ToArray(), b => Assert.Equal(0x5A, b));
        Assert.All(buffer.AsSpan(1124).ToArray(), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void ZeroBlocks_DoNothing()
    {
        var rig = SdRig.Create();
        long before = rig.Driver.Statistics.SpiBytes;
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 0, [], 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(0, 0, [], 0));
        Assert.Equal(before, rig.Driver.Statistics.SpiBytes);
    }

    [Fact]
    public void Buffer_TooSmall_IsAProgrammingError()
    {
        var rig = SdRig.Create();
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Driver.Read(0, 2, new byte[1000], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Driver.Write(0, 1, new byte[600], 100));
        Assert.Throws<ArgumentNullException>(() => rig.Driver.Read(0, 1, null!, 0));
    }

    [Fact]
    public void WithoutDataCrc_RoundTripsAndSendsIdleCrcBytes()
    {
        var rig = SdRig.Create(configureDriver: d => d.DataCrc = false);
        var data = SdRig.RandomImage(3, seed: 8);
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(20, 3, data, 0));
        var back = new byte[data.Length];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(20, 3, back, 0));
        Assert.Equal(data, back);
        Assert.DoesNotContain(rig.Recorder.Events, e => e.Mosi.AsSpan().StartsWith(new byte[] { 0x7B }));
    }

    [Fact]
    public void Statistics_CountWhatTheCardSaw()
    {
        var rig = SdRig.Create();
        var buffer = new byte[10 * 512];
        Assert.Equal(BlockStatus.Ok, rig.Driver.Read(0, 10, buffer, 0));
        Assert.Equal(BlockStatus.Ok, rig.Driver.Write(0, 4, buffer, 0));
        var stats = rig.Driver.Statistics;
        Assert.Equal(rig.Card.SpiBytes, stats.SpiBytes);
        Assert.Equal(rig.Card.SpiTransactions, stats.SpiTransactions);
        Assert.Equal(10, stats.BlocksRead);
        Assert.Equal(4, stats.BlocksWritten);
        Assert.Equal(rig.Card.CommandsReceived, stats.Commands);
        Assert.Equal(10 * 512, stats.PayloadBytesRead);
    }

    [Fact]
    public void FileImage_WriteThrough_IsInTheFileAtOnce()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[2048 * 512]);
            var data = SdRig.RandomImage(2, seed: 4);
            using (var card = SdCardModel.OpenFile(path, SdCardKind.HighCapacity, writeThrough: true))
            {
                var driver = new SdCard(card, card.ChipSelect, new SimulatedClock());
                Assert.Equal(BlockStatus.Ok, driver.Initialize());
                Assert.Equal(BlockStatus.Ok, driver.Write(1000, 2, data, 0));
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                var onDisk = new byte[1024];
                reader.Position = 1000 * 512;
                reader.ReadExactly(onDisk);
                Assert.Equal(data, onDisk);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FileImage_WithoutWriteThrough_ReachesTheFileOnFlush()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[2048 * 512]);
            var data = SdRig.RandomImage(1, seed: 6);
            using var card = SdCardModel.OpenFile(path, SdCardKind.Sdsc, writeThrough: false);
            var driver = new SdCard(card, card.ChipSelect, new SimulatedClock());
            Assert.Equal(BlockStatus.Ok, driver.Initialize());
            Assert.Equal(BlockStatus.Ok, driver.Write(7, 1, data, 0));
            var back = new byte[512];
            Assert.Equal(BlockStatus.Ok, driver.Read(7, 1, back, 0));
            Assert.Equal(data, back);
            Assert.Equal(new byte[512], ReadFile(path, 7));
            card.Flush();
            Assert.Equal(data, ReadFile(path, 7));
        }
        finally
        {
            File.Delete(path);
        }
    }

    static byte[] ReadFile(string path, long block)
    {
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[512];
        reader.Position = block * 512;
        reader.ReadExactly(bytes);
        return bytes;
    }
}
