using System.Text;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;
using Atcp.Firmware.Tests.VirtualBoard;
using Atcp.VirtualBoard;
using Atcp.VirtualBoard.Hardware;
using Atcp.VirtualBoard.Media;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>A booted board's volumes share one payload source per stream slot and keep each slot's
/// open object themselves; both cards share one stream buffer on their SPI bus. Streams on
/// different slots and volumes, read in turn (as the engine interleaves segments), each get their
/// own object's bytes, whatever the other slots opened or failed to open meanwhile.</summary>
[Collection(AllocationSensitive.Name)]
public sealed class SharedPayloadSlotsTests : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    readonly byte[] _video = BoardImages.Payload(1, 50_000);
    readonly byte[] _other = BoardImages.Payload(3, 20_000);
    readonly byte[] _trailer = BoardImages.Payload(2, 30_000);

    [Fact]
    public void InterleavedReads_OnDiskAndCdSlots_EachGetTheirOwnObject()
    {
        using var rig = Boot(out BoardRuntime r);
        IPayloadSource video = Open(r.Disk!, "videos/a.mp4", 0);
        IPayloadSource trailer = Open(r.Cd!, "films/trailer.bin", 1);
        IPayloadSource other = Open(r.Disk!, "other.bin", 2);
        Assert.Equal(_video.Length, video.Size);
        Assert.Equal(_trailer.Length, trailer.Size);
        Assert.Equal(_other.Length, other.Size);
        Assert.Equal(0, trailer.ChunkSize);
        Assert.True(video.ChunkSize > 0);

        var got = new[] { new byte[_video.Length], new byte[_trailer.Length], new byte[_other.Length] };
        var sources = new[] { video, trailer, other };
        var positions = new long[3];
        for (int turn = 0; positions.Zip(got).Any(p => p.First < p.Second.Length); turn++)
        {
            int i = turn % 3;
            int n = (int)Math.Min(1460, got[i].Length - positions[i]);
            if (n <= 0) continue;
            Assert.Equal(BlockStatus.Ok, sources[i].Read(positions[i], got[i], (int)positions[i], n));
            positions[i] += n;
            if (turn == 7) Assert.Equal(AtcpServiceStatus.NotFound, r.Disk!.Open(Bytes("absent.bin"), 0, 10, 3, out _));
            if (turn == 11) Assert.Equal(AtcpServiceStatus.NotFound, r.Cd!.Open(Bytes("films"), 0, 5, 4, out _));
        }
        Assert.Equal(_video, got[0]);
        Assert.Equal(_trailer, got[1]);
        Assert.Equal(_other, got[2]);
    }

    [Fact]
    public void StoredSums_OfADiskSlot_SurviveReadsOnOtherSlots()
    {
        using var rig = Boot(out BoardRuntime r);
        IPayloadSource video = Open(r.Disk!, "videos/a.mp4", 5);
        Assert.True(video.TryGetStoredSum(0, video.ChunkSize, out ushort first));
        IPayloadSource other = Open(r.Disk!, "other.bin", 6);
        IPayloadSource trailer = Open(r.Cd!, "films/trailer.bin", 7);
        Assert.Equal(BlockStatus.Ok, other.Read(0, new byte[100], 0, 100));
        Assert.Equal(BlockStatus.Ok, trailer.Read(0, new byte[100], 0, 100));
        Assert.True(video.TryGetStoredSum(0, video.ChunkSize, out ushort again));
        Assert.Equal(first, again);
        Assert.Equal(Atcp.Wire.InternetChecksum.Sum(_video, 0, video.ChunkSize), again);
        Assert.False(trailer.TryGetStoredSum(0, 100, out _));
    }

    [Fact]
    public void Slot_ReopenedOnTheOtherVolume_ServesTheNewObject()
    {
        using var rig = Boot(out BoardRuntime r);
        IPayloadSource disk = Open(r.Disk!, "videos/a.mp4", 0);
        var head = new byte[64];
        Assert.Equal(BlockStatus.Ok, disk.Read(0, head, 0, 64));
        Assert.Equal(_video[..64], head);
        IPayloadSource cd = Open(r.Cd!, "films/trailer.bin", 0);
        Assert.Equal(_trailer.Length, cd.Size);
        Assert.Equal(BlockStatus.Ok, cd.Read(0, head, 0, 64));
        Assert.Equal(_trailer[..64], head);
    }

    static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    static IPayloadSource Open(IBoardVolume volume, string name, int slot)
    {
        byte[] b = Bytes(name);
        Assert.Equal(AtcpServiceStatus.Accepted, volume.Open(b, 0, b.Length, slot, out IPayloadSource source));
        return source;
    }

    EmulatedBoard Boot(out BoardRuntime runtime)
    {
        string disk = _images.Disk("disk.img", 4 << 20, "vdisk", ("videos/a.mp4", _video, "video/mp4"), ("other.bin", _other, "application/octet-stream"));
        string cd = _images.Iso("cd.iso", "MOVIES", ("films/trailer.bin", _trailer), ("readme.txt", "hi"u8.ToArray()));
        var config = new BoardConfig { BoardId = 3 };
        BoardConfig.DefaultMac(3, config.Mac);
        BoardImages.Key.CopyTo(config.ClusterKey, 0);
        var board = new EmulatedBoard(new W5500Model(), CardImages.OpenDisk(disk), CardImages.OpenCd(cd), new FakeSerialPort(), new MonotonicClock(), config);
        runtime = BoardRuntime.Boot(board.Hardware, config, defaultsWin: true);
        Assert.True(runtime.Store!.IsMounted);
        Assert.True(runtime.Cd!.IsMounted);
        return board;
    }
}
