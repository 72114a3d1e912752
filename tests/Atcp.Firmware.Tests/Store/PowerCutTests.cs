using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Power cuts at every block write of a scripted workload: whatever the cut hits, the
/// remounted store holds exactly the objects committed before it, intact, and takes new writes.</summary>
public class PowerCutTests
{
    const long DeviceBlocks = 2048;

    /// <summary>Format, several writes (empty, tiny, multi-block, odd sizes), an overwrite, deletes,
    /// and writes that reuse freed space. Tracks what was committed when the power went, and what
    /// the operation in flight would have committed.</summary>
    sealed class Workload
    {
        public Dictionary<string, byte[]> Committed = new();
        public Dictionary<string, byte[]>? InFlight;
        public bool Formatted;

        public void Run(IBlockDevice device)
        {
            InFlight = new();
            if (ObjectStore.Format(device, "power", 292, 64) != StoreStatus.Ok) return;
            Formatted = true;
            InFlight = null;
            var store = new ObjectStore(device);
            if (store.Mount() != StoreStatus.Ok) return;
            _ = Put(store, "a.txt", Payload(1, 3000))
                && Put(store, "empty", [])
                && Put(store, "videos/c.mp4", Payload(3, 30_000))
                && Put(store, "d.bin", Payload(4, 293))
                && Put(store, "a.txt", Payload(5, 5001))
                && Remove(store, "empty")
                && Remove(store, "videos/c.mp4")
                && Put(store, "videos/e.mp4", Payload(6, 45_000))
                && Put(store, "ünïcødé/ф.txt", Payload(7, 1))
                && Put(store, "d.bin", Payload(8, 292));
        }

        bool Put(ObjectStore store, string name, byte[] data)
        {
            InFlight = new Dictionary<string, byte[]>(Committed) { [name] = data };
            if (Write(store, name, data, pieceSeed: data.Length) != StoreStatus.Ok) return false;
            Committed = InFlight;
            InFlight = null;
            return true;
        }

        bool Remove(ObjectStore store, string name)
        {
            InFlight = new Dictionary<string, byte[]>(Committed);
            InFlight.Remove(name);
            if (store.Delete(name) != StoreStatus.Ok) return false;
            Committed = InFlight;
            InFlight = null;
            return true;
        }
    }

    [Fact]
    public void Workload_WithoutCuts_CommitsEverything()
    {
        var ram = new RamBlockDevice(DeviceBlocks);
        var workload = new Workload();
        workload.Run(ram);
        Assert.Equal(4, workload.Committed.Count);
        var store = new ObjectStore(ram);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        AssertHolds(store, workload.Committed);
    }

    [Theory]
    [InlineData(CutMode.Lost)]
    [InlineData(CutMode.TornFirstHalfNew)]
    [InlineData(CutMode.TornSecondHalfNew)]
    [InlineData(CutMode.Garbage)]
    public void Workload_CutAtEveryBlockWrite_KeepsCommittedObjectsAndStaysWritable(CutMode mode)
    {
        var counter = new FaultInjectingBlockDevice(new RamBlockDevice(DeviceBlocks), -1, mode);
        new Workload().Run(counter);
        long total = counter.BlockWrites;
        Assert.True(total > 200, "workload too small to be interesting: " + total);
        int superblockCuts = 0;
        int tornCommitsTookEffect = 0;
        for (long cut = 0; cut < total; cut++)
        {
            var ram = new RamBlockDevice(DeviceBlocks);
            var device = new FaultInjectingBlockDevice(ram, cut, mode, seed: (int)cut);
            var workload = new Workload();
            workload.Run(device);
            Assert.True(device.PoweredOff, $"cut {cut} did not happen");
            if (device.CutBlock < 2) superblockCuts++;

            var store = new ObjectStore(ram);
            var mounted = store.Mount();
            // A torn superblock write can hold exactly the new superblock (its untouched half equal
            // to the old one): then the operation in flight took effect, atomically. Only then.
            bool tornCommit = mode != CutMode.Lost && device.CutBlock < 2;
            Dictionary<string, byte[]> model;
            if (!workload.Formatted)
            {
                if (mounted == StoreStatus.Ok)
                {
                    Assert.True(tornCommit, $"cut {cut} during format: mount said Ok");
                }
                else
                {
                    Assert.True(mounted is StoreStatus.Unformatted or StoreStatus.Corrupt, $"cut {cut} during format: mount said {mounted}");
                    Assert.Equal(StoreStatus.Ok, ObjectStore.Format(ram, "again", 292, 64));
                    Assert.Equal(StoreStatus.Ok, store.Mount());
                }
                model = new();
            }
            else
            {
                Assert.True(mounted == StoreStatus.Ok, $"cut {cut} at block {device.CutBlock}: mount said {mounted}");
                bool matchesCommitted = SameNames(store, workload.Committed);
                if (!matchesCommitted)
                {
                    Assert.True(tornCommit && workload.InFlight != null && SameNames(store, workload.InFlight),
                        $"cut {cut} at block {device.CutBlock}: store holds neither the committed nor the in-flight state");
                    tornCommitsTookEffect++;
                }
                model = new Dictionary<string, byte[]>(matchesCommitted ? workload.Committed : workload.InFlight!);
            }
            AssertHolds(store, model);

            // Still writable: a new object, a delete, and a reopen see both.
            var after = Payload((int)cut, 10_000);
            Assert.Equal(StoreStatus.Ok, Write(store, "after-cut", after));
            model["after-cut"] = after;
            var victim = model.Keys.FirstOrDefault(k => k != "after-cut") ?? "after-cut";
            Assert.Equal(StoreStatus.Ok, store.Delete(victim));
            model.Remove(victim);
            var reopened = new ObjectStore(ram);
            Assert.Equal(StoreStatus.Ok, reopened.Mount());
            AssertHolds(reopened, model);
        }
        Assert.True(superblockCuts >= 10, "cuts should include superblock writes: " + superblockCuts);
        if (mode == CutMode.Lost) Assert.Equal(0, tornCommitsTookEffect);
    }

    /// <summary>True when the store's names and sizes are the model's (contents are checked after).</summary>
    static bool SameNames(ObjectStore store, Dictionary<string, byte[]> model)
    {
        var listed = List(store).ToDictionary(o => o.GetName(), o => o.Size);
        return listed.Count == model.Count && model.All(kv => listed.TryGetValue(kv.Key, out var size) && size == kv.Value.Length
            && ReadAll(store, Open(store, kv.Key)).AsSpan().SequenceEqual(kv.Value));
    }

    [Fact]
    public void CommitFault_WhenTheSuperblockWriteFails_StopsTheInstanceUntilRemount()
    {
        var ram = new RamBlockDevice(DeviceBlocks);
        var store = FormatAndMount(ram);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 100)));
        // Find the write index of the next commit's superblock write by counting a dry run.
        var probe = ram.Clone();
        var counting = new FaultInjectingBlockDevice(probe, -1, CutMode.Lost);
        var probeStore = new ObjectStore(counting);
        Assert.Equal(StoreStatus.Ok, probeStore.Mount());
        Assert.Equal(StoreStatus.Ok, Write(probeStore, "b", Payload(2, 100)));
        long lastWrite = counting.BlockWrites - 1;

        var faulty = new FaultInjectingBlockDevice(ram, lastWrite, CutMode.Lost);
        var victim = new ObjectStore(faulty);
        Assert.Equal(StoreStatus.Ok, victim.Mount());
        Assert.Equal(StoreStatus.DeviceError, Write(victim, "b", Payload(2, 100)));
        Assert.Equal(BlockStatus.NotReady, victim.LastDeviceStatus);
        Assert.False(victim.IsMounted);
        Assert.Equal(StoreStatus.Faulted, victim.Lookup("a", new StoreObject()));
        var remounted = new ObjectStore(ram);
        Assert.Equal(StoreStatus.Ok, remounted.Mount());
        Assert.True(remounted.OtherSlotDamaged is false);
        AssertHolds(remounted, new Dictionary<string, byte[]> { ["a"] = Payload(1, 100) });
    }
}
