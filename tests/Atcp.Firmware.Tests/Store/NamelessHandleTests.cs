using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Handles without names (the board's per-stream handles, 375 bytes smaller) find, read,
/// sum and revalidate objects exactly as named handles do; deletes and checks, whose scratch handle
/// has no names either, still compare and hash the names on the card.</summary>
public class NamelessHandleTests
{
    [Fact]
    public void Lookup_IntoAHandleWithoutNames_FindsAndReadsTheObject()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        byte[] a = Payload(1, 5000), b = Payload(2, 3000);
        Assert.Equal(StoreStatus.Ok, Write(store, "dir/a.bin", a, "video/mp4"));
        Assert.Equal(StoreStatus.Ok, Write(store, "dir/b.bin", b));
        var named = Open(store, "dir/a.bin");
        var handle = new StoreObject(false);

        Assert.Equal(StoreStatus.Ok, store.Lookup("dir/a.bin", handle));
        Assert.False(handle.KeepsNames);
        Assert.Equal(named.Size, handle.Size);
        Assert.Equal(named.Unit, handle.Unit);
        Assert.Equal(named.NameHash, handle.NameHash);
        Assert.Equal(named.NameLength, handle.NameLength);
        Assert.Equal(a, ReadAll(store, handle));
        Assert.Equal(StoreStatus.Ok, store.PayloadSum(handle, 0, a.Length, 0, out ushort sum));
        Assert.Equal(StoreStatus.Ok, store.PayloadSum(named, 0, a.Length, 0, out ushort expected));
        Assert.Equal(expected, sum);
        Assert.Equal("", handle.GetName());
        Assert.False(handle.NameEquals(Utf8Bytes("dir/a.bin"), 0, 9));
        Assert.Equal(StoreStatus.NotFound, store.Lookup("dir/c.bin", handle));
    }

    [Fact]
    public void HandleWithoutNames_NoticesItsObjectReplaced()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "x", Payload(1, 2000)));
        var handle = new StoreObject(false);
        Assert.Equal(StoreStatus.Ok, store.Lookup("x", handle));
        Assert.Equal(StoreStatus.Ok, Write(store, "x", Payload(2, 2000)));
        Assert.Equal(StoreStatus.Stale, store.ReadRange(handle, 0, new byte[10], 0, 10));
    }

    [Fact]
    public void DeleteAndCheck_StillMatchAndHashNamesOnTheCard()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        for (int i = 0; i < 20; i++) Assert.Equal(StoreStatus.Ok, Write(store, "obj-" + i, Payload(i, 700 + i)));
        Assert.Equal(StoreStatus.NotFound, store.Delete("obj-20"));
        Assert.Equal(StoreStatus.Ok, store.Delete("obj-7"));
        Assert.Equal(StoreStatus.NotFound, store.Lookup("obj-7", new StoreObject()));
        Assert.Equal(StoreStatus.Ok, store.Check(out int objects, out _));
        Assert.Equal(19, objects);
        // A rewrite of an existing name (the writer's replaced handle has no names) frees the old one.
        long free = store.FreeBytes;
        Assert.Equal(StoreStatus.Ok, Write(store, "obj-3", Payload(99, 703)));
        Assert.Equal(free, store.FreeBytes);
        Assert.Equal(StoreStatus.Ok, store.Check(out objects, out _));
        Assert.Equal(19, objects);
    }

    [Fact]
    public void CopyFrom_BetweenNamedAndNamelessHandles_KeepsWhatEachCanHold()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "name.txt", Payload(1, 100), "text/plain"));
        var named = Open(store, "name.txt");
        var nameless = new StoreObject(false);
        nameless.CopyFrom(named);
        Assert.Equal(named.Size, nameless.Size);
        Assert.Equal(Payload(1, 100), ReadAll(store, nameless));
        var back = new StoreObject();
        back.CopyFrom(nameless);
        Assert.Equal(named.Unit, back.Unit);
        Assert.Equal(0, back.NameLength); // no bytes to show
        Assert.Equal(Payload(1, 100), ReadAll(store, back));
    }
}
