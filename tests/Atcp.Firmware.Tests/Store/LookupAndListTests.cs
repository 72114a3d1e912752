using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Finding objects by name and listing them page by page with cursors.</summary>
public class LookupAndListTests
{
    static (ObjectStore Store, RamBlockDevice Device, List<string> Names) ManyObjects(int count)
    {
        var device = new RamBlockDevice(32768);
        var store = FormatAndMount(device, maxObjects: 4096);
        var names = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var name = $"objects/{i:D5}-{(i * 7919) % 1000}.dat";
            Assert.Equal(StoreStatus.Ok, Write(store, name, Payload(i, i % 97)));
            names.Add(name);
        }
        return (store, device, names);
    }

    [Fact]
    public void Lookup_AmongThousandsOfObjects_FindsEachWithTwoOrFewerBlockReads()
    {
        var (store, device, names) = ManyObjects(2000);
        var obj = new StoreObject();
        foreach (var name in names.Where((_, i) => i % 37 == 0))
        {
            var before = device.BlocksRead;
            Assert.Equal(StoreStatus.Ok, store.Lookup(name, obj));
            Assert.InRange(device.BlocksRead - before, 1, 3); // bucket (unless cached) + object block (+ a rare hash twin)
            Assert.Equal(name, obj.GetName());
        }
        Assert.Equal(2000, store.ObjectCount);
    }

    [Fact]
    public void Lookup_MissingNames_AreNotFound()
    {
        var (store, _, _) = ManyObjects(200);
        var obj = new StoreObject();
        Assert.Equal(StoreStatus.NotFound, store.Lookup("objects/99999-0.dat", obj));
        Assert.Equal(StoreStatus.NotFound, store.Lookup("OBJECTS/00001-7919.dat", obj));
        Assert.Equal(StoreStatus.NotFound, store.Lookup("objects/00001-919.da", obj));
        Assert.Equal(StoreStatus.NotFound, store.Lookup("objects/00001-919.dat ", obj));
    }

    [Fact]
    public void Lookup_ByBytesWithOffset_FindsTheNameInsideALargerBuffer()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "videos/a.mp4", Payload(1, 10)));
        var request = Utf8Bytes("GET /videos/a.mp4 HTTP/1.1");
        var obj = new StoreObject();
        Assert.Equal(StoreStatus.Ok, store.Lookup(request, 5, 12, obj));
        Assert.Equal(10, obj.Size);
    }

    [Fact]
    public void ListNext_InPagesAcrossCursors_ReturnsEveryObjectOnce()
    {
        var (store, _, names) = ManyObjects(700);
        var seen = new List<string>();
        long cursor = 0;
        var obj = new StoreObject();
        while (true)
        {
            long pageCursor = cursor;
            int page = 0;
            StoreStatus status = StoreStatus.Ok;
            while (page < 13 && (status = store.ListNext(ref pageCursor, obj)) == StoreStatus.Ok)
            {
                seen.Add(obj.GetName());
                page++;
            }
            cursor = pageCursor;
            if (status == StoreStatus.EndOfList) break;
        }
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), seen.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(StoreStatus.EndOfList, store.ListNext(ref cursor, obj));
    }

    [Fact]
    public void ListNext_WhileDeletingBehindTheCursor_SeesRemainingObjectsOnce()
    {
        var (store, _, names) = ManyObjects(300);
        var seen = new HashSet<string>();
        long cursor = 0;
        var obj = new StoreObject();
        int n = 0;
        while (store.ListNext(ref cursor, obj) == StoreStatus.Ok)
        {
            Assert.True(seen.Add(obj.GetName()));
            if (n++ % 2 == 0) Assert.Equal(StoreStatus.Ok, store.Delete(obj.GetName()));
        }
        Assert.Equal(300, seen.Count);
        Assert.Equal(150, store.ObjectCount);
    }

    [Fact]
    public void ListNext_WithNegativeCursor_IsInvalid()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        long cursor = -1;
        Assert.Equal(StoreStatus.InvalidArgument, store.ListNext(ref cursor, new StoreObject()));
    }
}
