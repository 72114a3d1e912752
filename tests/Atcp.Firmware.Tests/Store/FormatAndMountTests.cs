using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Formatting a card and mounting what is on it.</summary>
public class FormatAndMountTests
{
    [Fact]
    public void Mount_AfterFormat_ReportsAnEmptyStoreWithTheFormatParameters()
    {
        var device = new RamBlockDevice(65536);
        var store = FormatAndMount(device, chunkSize: 292, label: "vidéo-01");
        Assert.True(store.IsMounted);
        Assert.Equal("vidéo-01", store.GetLabel());
        Assert.Equal(292, store.ChunkSize);
        Assert.Equal(0, store.ObjectCount);
        Assert.Equal(1, store.Generation);
        Assert.Equal(store.CapacityBytes, store.FreeBytes);
        Assert.Equal(0, store.UsedBytes);
        Assert.True(store.CapacityBytes > 65536L * 512 * 9 / 10);
        Assert.False(store.OtherSlotDamaged);
        Assert.Empty(List(store));
    }

    [Fact]
    public void Mount_OnZeroedCard_IsUnformatted()
    {
        var store = new ObjectStore(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Unformatted, store.Mount());
        Assert.False(store.IsMounted);
        var obj = new StoreObject();
        Assert.Equal(StoreStatus.NotMounted, store.Lookup("a", obj));
        Assert.Equal(StoreStatus.NotMounted, store.Writer.Begin("a", 1, "x"));
    }

    [Fact]
    public void Mount_OnRandomBytes_IsUnformatted()
    {
        var device = new RamBlockDevice(4096);
        new Random(1).NextBytes(device.Data);
        Assert.Equal(StoreStatus.Unformatted, new ObjectStore(device).Mount());
    }

    [Fact]
    public void Format_OverAnOldStore_EmptiesIt()
    {
        var device = new RamBlockDevice(8192);
        var store = FormatAndMount(device);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 5000)));
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(2, 5000)));
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "again", 512));
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.Equal(0, again.ObjectCount);
        Assert.Equal(512, again.ChunkSize);
        Assert.Equal(StoreStatus.NotFound, again.Lookup("a", new StoreObject()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(-292)]
    public void Format_WithChunkSizeOutOfRange_IsRefused(int chunk) =>
        Assert.Equal(StoreStatus.InvalidArgument, ObjectStore.Format(new RamBlockDevice(4096), "x", chunk));

    [Fact]
    public void Format_WithLabelOver32Bytes_IsRefused() =>
        Assert.Equal(StoreStatus.InvalidArgument, ObjectStore.Format(new RamBlockDevice(4096), new string('x', 33), 292));

    [Theory]
    [InlineData(0)]
    [InlineData(30721)]
    public void Format_WithObjectCapacityOutOfRange_IsRefused(int maxObjects) =>
        Assert.Equal(StoreStatus.InvalidArgument, ObjectStore.Format(new RamBlockDevice(4096), "x", 292, maxObjects));

    [Fact]
    public void Format_OnTinyDevice_IsUnsupported() =>
        Assert.Equal(StoreStatus.UnsupportedDevice, ObjectStore.Format(new RamBlockDevice(16), "x", 292));

    [Fact]
    public void FormatAndMount_WithBlockSizeOtherThan512_AreUnsupported()
    {
        var device = new RamBlockDevice(4096, 2048);
        Assert.Equal(StoreStatus.UnsupportedDevice, ObjectStore.Format(device, "x", 292));
        Assert.Equal(StoreStatus.UnsupportedDevice, new ObjectStore(device).Mount());
    }

    [Fact]
    public void Mount_WhenStoreIsLargerThanDevice_ReportsGeometryMismatch()
    {
        var big = new RamBlockDevice(8192);
        FormatAndMount(big);
        var small = new RamBlockDevice(4096);
        Array.Copy(big.Data, small.Data, small.Data.Length);
        Assert.Equal(StoreStatus.GeometryMismatch, new ObjectStore(small).Mount());
    }

    [Fact]
    public void ReadOnlyCard_MountsAndReadsButRefusesChanges()
    {
        var device = new RamBlockDevice(8192);
        var store = FormatAndMount(device);
        var data = Payload(3, 3000);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", data));
        device.IsReadOnly = true;
        Assert.Equal(StoreStatus.ReadOnly, ObjectStore.Format(device, "x", 292));
        var readOnly = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, readOnly.Mount());
        Assert.Equal(data, ReadAll(readOnly, Open(readOnly, "a")));
        Assert.Equal(StoreStatus.ReadOnly, readOnly.Writer.Begin("b", 1, "x"));
        Assert.Equal(StoreStatus.ReadOnly, readOnly.Delete("a"));
    }

    [Fact]
    public void Mount_WhenDeviceFails_ReportsDeviceErrorWithItsStatus()
    {
        var device = new RamBlockDevice(8192);
        FormatAndMount(device);
        var dead = new FaultInjectingBlockDevice(device, 0, CutMode.Lost);
        dead.Write(100, 1, new byte[512], 0); // cuts the power
        var store = new ObjectStore(dead);
        Assert.Equal(StoreStatus.DeviceError, store.Mount());
        Assert.Equal(Atcp.Firmware.Hal.BlockStatus.NotReady, store.LastDeviceStatus);
    }

    [Theory]
    [InlineData(4096L)]
    [InlineData(1L << 21)]   // 1 GiB
    [InlineData(1L << 26)]   // 32 GiB
    [InlineData(1L << 32)]   // 2 TiB
    public void Layout_ForCardSizes_KeepsMetadataWithinTheFormatLimits(long blocks)
    {
        var layout = new StoreLayout();
        Assert.Equal(StoreStatus.Ok, layout.Compute(blocks, StoreLayout.DefaultMaxObjects(blocks)));
        Assert.True(layout.IsPlausible());
        Assert.True(layout.BucketCount + layout.BitmapBlocks <= Superblock.SelectorsLength * 8);
        Assert.True((long)layout.UnitCount * layout.UnitBlocks > blocks * 99 / 100);
        Assert.Equal(0, layout.DataStart % Math.Max(8, layout.UnitBlocks));
    }

    [Fact]
    public void StatusText_DescribesEveryStatusInWords()
    {
        foreach (StoreStatus status in Enum.GetValues<StoreStatus>())
            Assert.DoesNotContain("status ", StoreStatusText.Describe(status));
    }
}
