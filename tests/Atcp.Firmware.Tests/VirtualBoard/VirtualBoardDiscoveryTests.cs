using Atcp.Firmware.Board;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The virtual board, run in-process over an in-memory cable, introduces itself as a
/// board would: HELLO at boot, HELLO on request, its objects in INVENTORY pages; and persists its
/// boot epoch on the disk card image.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class VirtualBoardDiscoveryTests : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    string DiskWithObjects(int count, string name = "disk.img")
    {
        var objects = new (string, byte[], string)[count];
        for (int i = 0; i < count; i++)
            objects[i] = ("media/clip-" + i.ToString("D3") + ".bin", BoardImages.Payload(i, 100 + 37 * i), "application/octet-stream");
        return _images.Disk(name, 4 << 20, "vdisk", objects);
    }

    [Fact]
    public void Boot_WithDiskAndCd_BroadcastsHelloListingBothVolumes()
    {
        string disk = DiskWithObjects(3);
        string cd = _images.Iso("cd.iso", "VCD", ("readme.txt", "hello"u8.ToArray()), ("docs/a.txt", BoardImages.Payload(1, 5000)));
        using var rig = new BoardRig(disk, cd, boardId: 3);

        var hello = new AtcpHelloRepr();
        byte[] frame = rig.FrontEnd.Expect(AtcpMessageType.Hello, hello);

        Assert.Equal(TestFrontEnd.Broadcast, frame[..6]);
        Assert.Equal(rig.Mac, frame[6..12]);
        Assert.Equal(3, hello.BoardId);
        Assert.Equal(new byte[] { 0x02, 0xA7, 0xC9, 0x0B, 0x00, 0x03 }, hello.Mac);
        Assert.Equal(0, hello.Flags & AtcpHelloFlags.Reply);
        Assert.Equal(2, hello.VolumeCount);
        Assert.Equal(AtcpVolumeKind.Disk, hello.Volumes[0].Kind);
        Assert.Equal("vdisk", hello.Volumes[0].Label.ToText());
        // 3 objects: the board's own settings object (.atcp/board.conf) is not counted.
        Assert.Equal(3u, hello.Volumes[0].ObjectCount);
        Assert.Equal(AtcpVolumeKind.Cd, hello.Volumes[1].Kind);
        Assert.Equal("VCD", hello.Volumes[1].Label.ToText());
        Assert.Equal(2u, hello.Volumes[1].ObjectCount);
    }

    [Fact]
    public void HelloRequest_IsAnsweredWithReplyHello()
    {
        using var rig = new BoardRig(DiskWithObjects(1), null, boardId: 9);
        rig.FrontEnd.Expect(AtcpMessageType.Hello, new AtcpHelloRepr()); // the boot HELLO

        rig.FrontEnd.Send(new AtcpHelloRequestRepr { ReplySpreadMs = 20, HeartbeatIntervalSeconds = 0 });
        var reply = new AtcpHelloRepr();
        byte[] frame = rig.FrontEnd.Expect(AtcpMessageType.Hello, reply, TimeSpan.FromSeconds(5));

        Assert.NotEqual(0, reply.Flags & AtcpHelloFlags.Reply);
        Assert.Equal(9, reply.BoardId);
        Assert.Equal(TestFrontEnd.Mac, frame[..6]); // the front-end is known now: no more broadcast
        Assert.Equal(1, reply.VolumeCount);
    }

    [Fact]
    public void InventoryRequests_PageThroughEveryObject()
    {
        using var rig = new BoardRig(DiskWithObjects(25), null);
        var names = new List<string>();
        var sizes = new List<ulong>();
        uint first = 0;
        int pages = 0;
        while (true)
        {
            rig.FrontEnd.Send(new AtcpInventoryRequestRepr { Volume = BoardRuntime.DiskVolumeId, FirstIndex = first, MaxEntries = 10 }, rig.Mac);
            var page = new AtcpInventoryRepr();
            rig.FrontEnd.Expect(AtcpMessageType.Inventory, page);
            pages++;
            Assert.Equal(first, page.FirstIndex);
            for (int i = 0; i < page.EntryCount; i++)
            {
                names.Add(page.NameText(i));
                sizes.Add(page.Size(i));
            }
            if ((page.Flags & AtcpInventoryFlags.LastPage) != 0) { Assert.True(25u == page.TotalEntries, $"page {pages} first {page.FirstIndex} entries {page.EntryCount} total {page.TotalEntries} log:\n{rig.Console.Command("log")}"); break; }
            first += (uint)page.EntryCount;
            Assert.True(pages < 10, "the board never marked a last page");
        }

        Assert.Equal(3, pages);
        var expected = Enumerable.Range(0, 25).Select(i => "media/clip-" + i.ToString("D3") + ".bin").Order().ToList();
        Assert.Equal(expected, names.Order().ToList());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (ulong)(100 + 37 * i)).Order(), sizes.Order());
        Assert.DoesNotContain(names, n => n.StartsWith(".atcp/", StringComparison.Ordinal)); // the settings file is not served
    }

    [Fact]
    public void Restart_OnSameDiskImage_AdvancesTheBootEpochStoredOnIt()
    {
        string disk = DiskWithObjects(1);
        uint first, second;
        using (var rig = new BoardRig(disk, null))
        {
            var hello = new AtcpHelloRepr();
            rig.FrontEnd.Expect(AtcpMessageType.Hello, hello);
            first = hello.BootEpoch;
        }
        using (var rig = new BoardRig(disk, null))
        {
            var hello = new AtcpHelloRepr();
            rig.FrontEnd.Expect(AtcpMessageType.Hello, hello);
            second = hello.BootEpoch;
            Assert.Contains("epoch=" + second, rig.Console.Command("get epoch"));
        }
        Assert.Equal(first + 1, second);
    }

    [Fact]
    public void Heartbeat_RepeatsHelloAtTheConfiguredInterval()
    {
        using var rig = new BoardRig(null, null, heartbeatSeconds: 1);
        var hello = new AtcpHelloRepr();
        rig.FrontEnd.Expect(AtcpMessageType.Hello, hello);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        rig.FrontEnd.Expect(AtcpMessageType.Hello, hello, TimeSpan.FromSeconds(5));

        Assert.InRange(watch.ElapsedMilliseconds, 800, 3000);
        Assert.Equal(1, hello.HeartbeatIntervalSeconds);
        Assert.Equal(0, hello.Flags & AtcpHelloFlags.Reply);
    }

    [Fact]
    public void Boot_WithoutCards_StillSaysHelloWithNoVolumes()
    {
        using var rig = new BoardRig(null, null, boardId: 65534);
        var hello = new AtcpHelloRepr();
        rig.FrontEnd.Expect(AtcpMessageType.Hello, hello);
        Assert.Equal(65534, hello.BoardId);
        Assert.Equal(0, hello.VolumeCount);
        Assert.Equal(0, rig.Board.SdBus.Transfers); // both card-detect switches said "no card"
    }
}
