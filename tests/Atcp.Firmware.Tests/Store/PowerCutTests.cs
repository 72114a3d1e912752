using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Power cuts at every block write of a scripted workload: whatever the cut hits, the
/// remounted store holds exactly the objects committed before it, intact, and takes new writes.</summary>
public class PowerCutTests
{
    /// <summary>Format, several writes (empty, tiny, multi-block, odd sizes), an overwrite, deletes,
    /// and writes that reuse freed space; or (fragmented) a full small card whose holes one large
    /// object must span in several extents. Tracks what was committed when the power went, and
    /// what the operation in flight would have committed.</summary>
    sealed class Workload(bool fragmented)
    {
        public Dictionary<string, byte[]> Committed = new();
        public Dictionary<string, byte[]>? InFlight;
        public bool Formatted;
        public int ChunkSize => 292;
        public int MaxObjects => fragmented ? 16 : 64;
        public long DeviceBlocks => fragmented ? 420 : 2048;

        public void Run(IBlockDevice device)
        {
            InFlight = new();
            if (ObjectStore.Format(device, "power", ChunkSize, MaxObjects) != StoreStatus.Ok) return;
            Formatted = true;
            InFlight = null;
            var store = new ObjectStore(device);
            if (store.Mount() != StoreStatus.Ok) return;
            if (fragmented)
            {
                for (int i = 0; i < 8; i++) if (!Put(store, "f" + i, Payload(10 + i, 20_000))) return;
                _ = Remove(store, "f1")
                    && Remove(store, "f3")
                    && Remove(store, "f5")
                    && Put(store, "big", Payload(20, 80_000))
                    && Put(store, "f0", Payload(21, 1000))
                    && Remove(store, "f2");
                return;
            }
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Workload_WithoutCuts_CommitsEverything(bool fragmented)
    {
        var workload = new Workload(fragmented);
        var ram = new RamBlockDevice(workload.DeviceBlocks);
        workload.Run(ram);
        Assert.Equal(fragmented ? 5 : 4, workload.Committed.Count);
        var store = new ObjectStore(ram);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        AssertHolds(store, workload.Committed);
        if (fragmented) Assert.True(Open(store, "big").ExtentCount >= 3);
    }

    [Theory]
    [InlineData(false, CutMode.Lost)]
    [InlineData(false, CutMode.TornFirstHalfNew)]
    [InlineData(false, CutMode.TornSecondHalfNew)]
    [InlineData(false, CutMode.Garbage)]
    [InlineData(true, CutMode.Lost)]
    [InlineData(true, CutMode.TornFirstHalfNew)]
    [InlineData(true, CutMode.Garbage)]
    public void Workload_CutAtEveryBlockWrite_KeepsCommittedObjectsAndStaysWritable(bool fragmented, CutMode mode)
    {
        var counter = new FaultInjectingBlockDevice(new RamBlockDevice(new Workload(fragmented).DeviceBlocks), -1, mode);
        new Workload(fragmented).Run(counter);
        long total = counter.BlockWrites;
        Assert.True(total > 200, "workload too small to be interesting: " + total);
        int superblockCuts = 0;
        int tornCommitsTookEffect = 0;
        for (long cut = 0; cut < total; cut++)
        {
            var workload = new Workload(fragmented);
            var ram = new RamBlockDevice(workload.DeviceBlocks);
            var device = new FaultInjectingBlockDevice(ram, cut, mode, seed: (int)cut);
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
                    Assert.Equal(StoreStatus.Ok, ObjectStore.Format(ram, "again", workload.ChunkSize, workload.MaxObjects));
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
        var ram = new RamBlockDevice(2048);
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
