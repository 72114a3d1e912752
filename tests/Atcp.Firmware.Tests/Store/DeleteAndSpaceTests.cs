using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Deleting objects, reusing their space, and running out of it cleanly.</summary>
public class DeleteAndSpaceTests
{
    [Fact]
    public void Delete_ReturnsTheSpaceAndTheNameIsGone()
    {
        var store = FormatAndMount(new RamBlockDevice(8192));
        var free = store.FreeBytes;
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 200_000)));
        Assert.True(store.FreeBytes < free);
        Assert.Equal(StoreStatus.Ok, store.Delete("a"));
        Assert.Equal(free, store.FreeBytes);
        Assert.Equal(0, store.ObjectCount);
        Assert.Equal(StoreStatus.NotFound, store.Lookup("a", new StoreObject()));
        Assert.Equal(StoreStatus.NotFound, store.Delete("a"));
        Assert.Equal(StoreStatus.InvalidName, store.Delete(""));
        AssertHolds(store, new Dictionary<string, byte[]>());
    }

    [Fact]
    public void CardFull_IsReportedAtBeginAndTheStoreStaysUsable()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        var model = new Dictionary<string, byte[]>();
        int i = 0;
        StoreStatus status;
        do
        {
            var data = Payload(i, 300_000);
            status = Write(store, "f" + i, data);
            if (status == StoreStatus.Ok) model["f" + i] = data;
            i++;
        } while (status == StoreStatus.Ok);
        Assert.Equal(StoreStatus.CardFull, status);
        Assert.True(model.Count >= 5);
        Assert.Equal(StoreStatus.CardFull, store.Writer.Begin("huge", store.CapacityBytes, "x"));
        Assert.Equal(StoreStatus.CardFull, store.Writer.Begin("huge", long.MaxValue, "x"));
        AssertHolds(store, model);
        // What is left still takes a smaller object, and a delete makes room for a big one again.
        var small = Payload(99, (int)Math.Max(0, store.FreeBytes / 2 - 4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "small", small));
        model["small"] = small;
        Assert.Equal(StoreStatus.Ok, store.Delete("f0"));
        model.Remove("f0");
        var again = Payload(100, 300_000);
        Assert.Equal(StoreStatus.Ok, Write(store, "again", again));
        model["again"] = again;
        AssertHolds(store, model);
    }

    [Fact]
    public void Space_AfterManyDeletes_IsReusedAcrossFragments()
    {
        var store = FormatAndMount(new RamBlockDevice(4096), chunkSize: 292, maxObjects: 64);
        var model = new Dictionary<string, byte[]>();
        int count = 0;
        while (true)
        {
            var data = Payload(count, 20_000);
            if (Write(store, "p" + count, data) != StoreStatus.Ok) break;
            model["p" + count] = data;
            count++;
        }
        Assert.True(store.FreeBytes < 30_000);
        for (int i = 0; i < count; i += 2)
        {
            Assert.Equal(StoreStatus.Ok, store.Delete("p" + i));
            model.Remove("p" + i);
        }
        // Holes are 20 KB each; a 100 KB object takes several of them.
        var big = Payload(1000, 100_000);
        Assert.Equal(StoreStatus.Ok, Write(store, "big", big));
        model["big"] = big;
        Assert.True(Open(store, "big").ExtentCount > 1);
        AssertHolds(store, model);
    }

    [Fact]
    public void Fragmented_WhenFreeSpaceIsInTooManyPieces_IsReportedAndNothingChanges()
    {
        var store = FormatAndMount(new RamBlockDevice(2048), chunkSize: 292, maxObjects: 64);
        var model = new Dictionary<string, byte[]>();
        int i = 0;
        while (true)
        {
            var data = Payload(i, 8_000);
            if (Write(store, "p" + i, data) != StoreStatus.Ok) break;
            model["p" + i] = data;
            i++;
        }
        for (int k = 0; k < i; k += 2)
        {
            Assert.Equal(StoreStatus.Ok, store.Delete("p" + k));
            model.Remove("p" + k);
        }
        long holes = store.FreeBytes;
        var status = store.Writer.Begin("needs-many-holes", holes - 20_000, "x");
        Assert.Equal(StoreStatus.Fragmented, status);
        Assert.Equal(holes, store.FreeBytes);
        AssertHolds(store, model);
    }

    [Fact]
    public void DirectoryFull_WhenANameBucketIsFull_IsReportedAtBegin()
    {
        // One bucket of 61 entries: the 62nd object cannot be named.
        var store = FormatAndMount(new RamBlockDevice(4096), maxObjects: 1);
        for (int i = 0; i < DirectoryBucket.EntryCount; i++) Assert.Equal(StoreStatus.Ok, Write(store, "n" + i, Payload(i, 10)));
        Assert.Equal(StoreStatus.DirectoryFull, store.Writer.Begin("one-more", 10, "x"));
        // Replacing an existing name needs no new entry.
        Assert.Equal(StoreStatus.Ok, Write(store, "n3", Payload(1, 20)));
        Assert.Equal(StoreStatus.Ok, store.Delete("n0"));
        Assert.Equal(StoreStatus.Ok, Write(store, "one-more", Payload(2, 10)));
        Assert.Equal(StoreStatus.Ok, store.Check(out var objects, out _));
        Assert.Equal(DirectoryBucket.EntryCount, objects);
    }
}
