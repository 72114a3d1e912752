namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The board's console, typed at over the virtual board's serial port, answers as on a
/// real board: status, the disk listing, settings; a reboot boots again with the same settings.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class VirtualBoardConsoleTests : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    string Disk() => _images.Disk("disk.img", 4 << 20, "console-disk",
        ("site/index.html", "<html>hi</html>"u8.ToArray(), "text/html"),
        ("site/logo.png", BoardImages.Payload(5, 4321), "image/png"));

    [Fact]
    public void Status_ShowsBoardLinkAndVolumes()
    {
        using var rig = new BoardRig(Disk(), null, boardId: 12);
        string status = rig.Console.Command("status");

        Assert.Contains("12, firmware", status);
        Assert.Contains("02:a7:c9:0b:00:0c", status);
        Assert.Contains("100 Mbit/s full duplex", status);
        Assert.Contains("not heard yet", status); // no front-end frame yet
        Assert.Contains("disk 'console-disk'", status);
    }

    [Fact]
    public void DiskLs_ListsTheObjectsOfTheImage()
    {
        using var rig = new BoardRig(Disk(), null);
        string listing = rig.Console.Command("disk ls");

        Assert.Contains("site/index.html", listing);
        Assert.Contains("text/html", listing);
        Assert.Contains("4321  site/logo.png  image/png", listing);
    }

    [Fact]
    public void Get_ShowsTheCommandLineSettingsWithTheKeyMasked()
    {
        using var rig = new BoardRig(Disk(), null, boardId: 77, heartbeatSeconds: 3);
        string settings = rig.Console.Command("get");

        Assert.Contains("board-id=77", settings);
        Assert.Contains("cluster-id=a7c90001", settings);
        Assert.Contains("heartbeat=3", settings);
        Assert.Contains("mac=02:a7:c9:0b:00:4d", settings);
        Assert.Contains("cluster-key=(set, fingerprint", settings);
        Assert.DoesNotContain(Convert.ToHexString(BoardImages.Key).ToLowerInvariant(), settings);
    }

    [Fact]
    public void Reboot_BootsTheFirmwareAgainKeepingTheSettings()
    {
        using var rig = new BoardRig(Disk(), null, boardId: 21);
        rig.Console.TypeLine("reboot");
        rig.Console.WaitFor(text => text.Contains("rebooting..."));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (rig.Board.Boots < 2 && DateTime.UtcNow < deadline) Thread.Sleep(5);

        Assert.Equal(2, rig.Board.Boots);
        Assert.Contains("board-id=21", rig.Console.Command("get board-id"));
    }

    [Fact]
    public void CdLs_ListsTheIsoRoot()
    {
        string cd = _images.Iso("cd.iso", "CDVOL", ("one.txt", "1"u8.ToArray()), ("sub/two.txt", "22"u8.ToArray()));
        using var rig = new BoardRig(null, cd);
        string listing = rig.Console.Command("cd ls");

        Assert.Contains("one.txt", listing);
        Assert.Contains("sub/", listing);
        Assert.Contains("no disk card", rig.Console.Command("disk"));
    }
}
