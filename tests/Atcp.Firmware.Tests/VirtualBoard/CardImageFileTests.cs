using Atcp.VirtualBoard;
using Atcp.VirtualBoard.Media;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>Image files as cards: any length is reachable (the card is the file rounded up to
/// 512 KiB), the disk is written through to its file and locked, the CD is read-only.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class CardImageFileTests : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    string File(string name, int length, int seed)
    {
        string path = Path.Combine(_images.Folder, name);
        System.IO.File.WriteAllBytes(path, BoardImages.Payload(seed, length));
        return path;
    }

    [Fact]
    public void OddSizedIso_IsReachableWholeAndReadsZerosPastItsEnd()
    {
        string path = File("odd.iso", 700 * 1024 + 2048, 1);
        using var card = CardImages.OpenCd(path);

        Assert.Equal(1024 * 1024 / 512, card.CapacityBlocks); // 702 KiB rounds up to 1 MiB
        Assert.True(card.WriteProtected);
        byte[] tail = card.ReadImageBlocks((700 * 1024 + 2048) / 512 - 1, 2);
        Assert.Equal(BoardImages.Payload(1, 700 * 1024 + 2048)[^512..], tail[..512]);
        Assert.All(tail[512..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void DiskImage_WritesReachTheFileAndASecondBoardIsRefused()
    {
        string path = File("disk.img", 1024 * 1024, 2);
        var image = CardImageFile.Open(path, writable: true);
        image.Write(512 * 7, new byte[512]);

        Assert.Equal(new byte[512], ReadBypassingTheLock(path, 512 * 7, 512)); // before any flush
        var second = Assert.Throws<StartupException>(() => CardImages.OpenDisk(path));
        Assert.Contains("another board", second.Message);
        image.Dispose();
        CardImages.OpenDisk(path).Dispose(); // free again once the first closed it
    }

    // The lock is the advisory flock(2) .NET takes for FileShare.None; another tool (dd, cat) can still read.
    static byte[] ReadBypassingTheLock(string path, int offset, int length)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dd", ["if=" + path, "bs=512", "skip=" + offset / 512, "count=" + length / 512, "status=none"])
        { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        return bytes.ToArray();
    }

    [Fact]
    public void MissingImage_IsAStartupErrorNamingIt()
    {
        var e = Assert.Throws<StartupException>(() => CardImages.OpenDisk(Path.Combine(_images.Folder, "nope.img")));
        Assert.Contains("nope.img does not exist", e.Message);
    }

    [Fact]
    public void ReadOnlyImage_RefusesWrites()
    {
        using var image = CardImageFile.Open(File("ro.iso", 4096, 3), writable: false);
        Assert.Throws<InvalidOperationException>(() => image.Write(0, new byte[512]));
    }
}
