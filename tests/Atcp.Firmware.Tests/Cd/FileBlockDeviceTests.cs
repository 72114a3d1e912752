using Atcp.Emulation.Media;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Cd;

public class FileBlockDeviceTests : IDisposable
{
    readonly string path = Path.Combine(Path.GetTempPath(), "atcp-fbd-" + Guid.NewGuid().ToString("N") + ".img");

    public void Dispose() => File.Delete(path);

    [Fact]
    public void Read_WhenBlocksInRange_ReturnsFileBytesAndCountsThem()
    {
        byte[] content = CdImageFixture.Pattern(7, 512 * 10 + 100);
        File.WriteAllBytes(path, content);
        using var device = new FileBlockDevice(path);
        var buffer = new byte[3 * 512 + 1];

        Assert.Equal(BlockStatus.Ok, device.Read(7, 3, buffer, 1));

        Assert.Equal(10, device.BlockCount);
        Assert.Equal(content.AsSpan(7 * 512, 3 * 512).ToArray(), buffer.AsSpan(1).ToArray());
        Assert.Equal(1, device.ReadCalls);
        Assert.Equal(3, device.BlocksRead);
    }

    [Fact]
    public void ReadAndWrite_WhenOutOfRangeOrReadOnly_ReturnStatus()
    {
        File.WriteAllBytes(path, new byte[2048]);
        using var device = new FileBlockDevice(path);

        Assert.Equal(BlockStatus.OutOfRange, device.Read(3, 2, new byte[1024], 0));
        Assert.Equal(BlockStatus.OutOfRange, device.Read(0, 2, new byte[1000], 0));
        Assert.Equal(BlockStatus.OutOfRange, device.Read(-1, 1, new byte[512], 0));
        Assert.Equal(BlockStatus.ReadOnly, device.Write(0, 1, new byte[512], 0));
        Assert.True(device.IsReadOnly);
    }

    [Fact]
    public void Write_WhenWritable_StoresBlocks()
    {
        File.WriteAllBytes(path, new byte[2048]);
        byte[] block = CdImageFixture.Pattern(3, 512);
        using (var device = new FileBlockDevice(path, 512, readOnly: false))
            Assert.Equal(BlockStatus.Ok, device.Write(2, 1, block, 0));

        Assert.Equal(block, File.ReadAllBytes(path).AsSpan(1024, 512).ToArray());
    }
}
