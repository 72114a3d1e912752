using System.Text;
using Atcp.Firmware.Board;
using Atcp.Firmware.Store;
using Atcp.SdImage;

namespace Atcp.Tools.Tests.SdImage;

public class SizesAndTypesTests
{
    [Theory]
    [InlineData("2G", 2L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("4GB", 4_000_000_000L)]
    [InlineData("100KB", 100_000L)]
    [InlineData("1048576", 1048576L)]
    [InlineData("64k", 65536L)]
    public void ByteSize_ParsesTruncateStyleSizes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("2X")]
    [InlineData("-1G")]
    [InlineData("0")]
    public void ByteSize_RefusesNonsense(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void ContentTypes_AgreeWithTheBoardsOwnTable()
    {
        // The firmware types CD files by extension; objects from the image builder must get the same types.
        var dest = new byte[64];
        foreach (var ext in ContentTypeTable.Extensions.Where(e => e.Length <= 5))
        {
            byte[] name = Encoding.ASCII.GetBytes("dir/file." + ext);
            int n = ContentTypes.For(name, name.Length, dest);
            if (n == 0) continue; // the board does not know this one
            Assert.Equal(Encoding.ASCII.GetString(dest, 0, n), ContentTypeTable.For("dir/file." + ext));
        }
        Assert.Equal("video/mp4", ContentTypeTable.For("a/B.MP4"));
        Assert.Equal(ContentTypeTable.Fallback, ContentTypeTable.For("a.b/noext"));
        Assert.Equal(ContentTypeTable.Fallback, ContentTypeTable.For("dir/.profile"));
    }

    [Fact]
    public void Sizing_CountsUnitsLikeTheStore()
    {
        // UnitsFor must equal what the store reserves, or the "too small" check would lie.
        using var folder = new TempFolder();
        string path = folder.Write("card.img", []);
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(64L << 20);
        using var device = new Atcp.Emulation.Media.FileBlockDevice(path, readOnly: false, syncEachWrite: false);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, "t", 292));
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        foreach (long size in new long[] { 0, 1, 291, 292, 512, 513, 74_752, 74_753, 1_000_000 })
            Assert.Equal(store.UnitsFor(size), StoreSizing.UnitsFor(size, 292, store.Layout.UnitBlocks));
    }

    [Fact]
    public void AutoSize_PicksTheNextCardLabelSize()
    {
        var small = new StoreSizing([1000], 292);
        Assert.Equal(28L << 20, small.AutoBytes(out long nominal));
        Assert.Equal(32_000_000, nominal);

        var video = new StoreSizing([1_500_000_000L], 292);
        long bytes = video.AutoBytes(out nominal);
        Assert.Equal(2_000_000_000, nominal);
        Assert.True(bytes <= 0.93 * 2_000_000_000 && bytes > 1_500_000_000);
        Assert.Equal("2 GB", StoreSizing.Nominal(nominal));
    }

    [Fact]
    public void MinimumBytes_IsTheSmallestWholeMiBThatFits()
    {
        var sizing = new StoreSizing([10_000_000, 5, 5, 5], 292);
        long min = sizing.MinimumBytes();
        Assert.Equal(0, min % (1 << 20));
        Assert.True(sizing.Fits(min / 512));
        Assert.False(sizing.Fits((min - (1 << 20)) / 512));
    }

    [Fact]
    public void LargestBytes_IsWhereTheLayoutStops()
    {
        var sizing = new StoreSizing([1], 292);
        Assert.NotNull(sizing.LayoutFor(StoreSizing.LargestBytes / 512));
        Assert.Null(sizing.LayoutFor(StoreSizing.LargestBytes / 512 + 65536));
    }
}
