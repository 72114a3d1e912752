using Atcp.Firmware.Alu;
using Atcp.Firmware.Store;
using Atcp.Wire;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Damaged cards: flipped bits in superblocks, directory, bitmap, object blocks, payload
/// and sums are reported as statuses, never as exceptions or wrong data.</summary>
public class CorruptionTests
{
    static (ObjectStore Store, RamBlockDevice Device) Sample()
    {
        var device = new RamBlockDevice(8192);
        var store = FormatAndMount(device, maxObjects: 64);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 3000)));
        Assert.Equal(StoreStatus.Ok, Write(store, "b", Payload(2, 100_000)));
        return (store, device);
    }

    static (Superblock Sb, int Slot) Current(RamBlockDevice device)
    {
        var s0 = new Superblock();
        var s1 = new Superblock();
        var ok0 = s0.Parse(device.Block(0), 0) == StoreStatus.Ok;
        var ok1 = s1.Parse(device.Block(1), 1) == StoreStatus.Ok;
        if (ok0 && (!ok1 || s0.Generation > s1.Generation)) return (s0, 0);
        Assert.True(ok1);
        return (s1, 1);
    }

    static void Flip(RamBlockDevice device, long block, int byteOffset, int bit = 0) =>
        device.Data[block * 512 + byteOffset] ^= (byte)(1 << bit);

    static long BucketBlockOf(RamBlockDevice device, string name)
    {
        var (sb, _) = Current(device);
        var bytes = Utf8Bytes(name);
        int bucket = (int)(Crc32C.Compute(bytes, 0, bytes.Length) & (uint)(sb.Layout.BucketCount - 1));
        return sb.Layout.BucketBlock(bucket, sb.GetSelector(bucket));
    }

    [Fact]
    public void NewestSuperblockDamaged_MountsThePreviousCommitAndSaysSo()
    {
        var (store, device) = Sample();
        long generation = store.Generation;
        var (_, slot) = Current(device);
        Flip(device, slot, 200, 3);
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.True(again.OtherSlotDamaged);
        Assert.Equal(generation - 1, again.Generation);
        AssertHolds(again, new Dictionary<string, byte[]> { ["a"] = Payload(1, 3000) });
        // The next commit overwrites the damaged slot and everything is consistent again.
        Assert.Equal(StoreStatus.Ok, Write(again, "c", Payload(3, 10)));
        var third = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, third.Mount());
        Assert.False(third.OtherSlotDamaged);
        AssertHolds(third, new Dictionary<string, byte[]> { ["a"] = Payload(1, 3000), ["c"] = Payload(3, 10) });
    }

    [Fact]
    public void BothSuperblocksDamaged_IsCorrupt()
    {
        var (_, device) = Sample();
        Flip(device, 0, 100);
        Flip(device, 1, 30);
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Corrupt, store.Mount());
        Assert.False(store.IsMounted);
    }

    [Fact]
    public void SuperblocksFromANewerFormatVersion_AreUnsupported()
    {
        var (_, device) = Sample();
        for (int slot = 0; slot < 2; slot++)
        {
            var block = device.Block(slot);
            LittleEndian.WriteUInt16(block, MetadataBlock.VersionOffset, 2);
            LittleEndian.WriteUInt32(block, MetadataBlock.CrcOffset, Crc32C.Compute(block, 8, 504));
            Array.Copy(block, 0, device.Data, slot * 512, 512);
        }
        Assert.Equal(StoreStatus.UnsupportedVersion, new ObjectStore(device).Mount());
    }

    [Fact]
    public void SuperblockWithValidCrcButImpossibleGeometry_IsCorrupt()
    {
        var (_, device) = Sample();
        for (int slot = 0; slot < 2; slot++)
        {
            var block = device.Block(slot);
            LittleEndian.WriteUInt32(block, Superblock.BucketCountOffset, 3); // not a power of two
            LittleEndian.WriteUInt32(block, MetadataBlock.CrcOffset, Crc32C.Compute(block, 8, 504));
            Array.Copy(block, 0, device.Data, slot * 512, 512);
        }
        Assert.Equal(StoreStatus.Corrupt, new ObjectStore(device).Mount());
    }

    [Fact]
    public void DirectoryBucketDamaged_LookupListDeleteAndWriteReportCorrupt()
    {
        var (_, device) = Sample();
        Flip(device, BucketBlockOf(device, "a"), 30, 5);
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        var obj = new StoreObject();
        Assert.Equal(StoreStatus.Corrupt, store.Lookup("a", obj));
        Assert.Equal(StoreStatus.Corrupt, store.Delete("a"));
        Assert.Equal(StoreStatus.Corrupt, store.Writer.Begin("a", 10, "x"));
        Assert.Equal(StoreStatus.Corrupt, store.Check(out _, out _));
        long cursor = 0;
        var statuses = new List<StoreStatus>();
        StoreStatus status;
        while ((status = store.ListNext(ref cursor, obj)) != StoreStatus.EndOfList) statuses.Add(status);
        Assert.Contains(StoreStatus.Corrupt, statuses);
        Assert.DoesNotContain(statuses, st => st != StoreStatus.Ok && st != StoreStatus.Corrupt);
    }

    [Fact]
    public void ListNext_PastADamagedBucket_ListsTheOtherBuckets()
    {
        var device = new RamBlockDevice(8192);
        var store = FormatAndMount(device, maxObjects: 256);
        var names = Enumerable.Range(0, 40).Select(i => "n" + i).ToList();
        foreach (var name in names) Assert.Equal(StoreStatus.Ok, Write(store, name, Payload(1, 10)));
        Flip(device, BucketBlockOf(device, "n0"), 30, 5);
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        var listed = new List<string>();
        int corrupt = 0;
        long cursor = 0;
        var obj = new StoreObject();
        StoreStatus status;
        while ((status = again.ListNext(ref cursor, obj)) != StoreStatus.EndOfList)
        {
            if (status == StoreStatus.Corrupt) corrupt++;
            else listed.Add(obj.GetName());
        }
        Assert.Equal(1, corrupt);
        Assert.DoesNotContain("n0", listed);
        Assert.True(listed.Count > 20 && listed.Count < 40);
    }

    [Fact]
    public void ObjectBlockDamaged_LookupReportsCorruptOthersStillWork()
    {
        var (store, device) = Sample();
        var a = Open(store, "a");
        Flip(device, store.Layout.UnitBlock(a.Unit), ObjectBlock.NameOffset, 1);
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.Equal(StoreStatus.Corrupt, again.Lookup("a", new StoreObject()));
        Assert.Equal(Payload(2, 100_000), ReadAll(again, Open(again, "b")));
    }

    [Fact]
    public void BitmapDamaged_WritesReportCorruptReadsStillWork()
    {
        var (store, device) = Sample();
        var (sb, _) = Current(device);
        Flip(device, sb.Layout.BitmapBlock(0, sb.GetSelector(sb.Layout.BucketCount)), 100);
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.Equal(StoreStatus.Corrupt, again.Writer.Begin("new", 10, "x"));
        Assert.Equal(StoreStatus.Corrupt, again.Check(out _, out _));
        Assert.Equal(Payload(1, 3000), ReadAll(again, Open(again, "a")));
    }

    [Fact]
    public void PayloadAndSumsDamaged_VerifySaysWhich()
    {
        var (store, device) = Sample();
        var b = Open(store, "b");
        long dataBlock = b.PhysicalBlock(store.Layout, 5, out _);
        long sumsBlock = b.PhysicalBlock(store.Layout, 1 + b.DataBlocks, out _);
        Flip(device, dataBlock, 17);
        var again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.Equal(StoreStatus.PayloadMismatch, again.Verify(Open(again, "b")));
        Flip(device, dataBlock, 17);
        Flip(device, sumsBlock, 40);
        again = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, again.Mount());
        Assert.Equal(StoreStatus.SumsMismatch, again.Verify(Open(again, "b")));
    }

    [Fact]
    public void MetadataCopyNewerThanTheSuperblock_IsCorrupt()
    {
        var (_, device) = Sample();
        var (sb, _) = Current(device);
        long block = BucketBlockOf(device, "a");
        var bucket = device.Block(block);
        int length = LittleEndian.ReadUInt16(bucket, MetadataBlock.LengthOffset);
        LittleEndian.WriteUInt64(bucket, MetadataBlock.GenerationOffset, (ulong)sb.Generation + 1);
        LittleEndian.WriteUInt32(bucket, MetadataBlock.CrcOffset, Crc32C.Compute(bucket, 8, length - 8));
        Array.Copy(bucket, 0, device.Data, block * 512, 512);
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        Assert.Equal(StoreStatus.Corrupt, store.Lookup("a", new StoreObject()));
    }

    [Fact]
    public void RandomBitFlipsInMetadata_NeverThrowAndNeverServeWrongBytes()
    {
        var (store, pristine) = Sample();
        var layout = store.Layout;
        var a = Open(store, "a");
        var b = Open(store, "b");
        var metadataBlocks = new List<long>();
        for (long blk = 0; blk < layout.DataStart; blk++) metadataBlocks.Add(blk);
        metadataBlocks.Add(layout.UnitBlock(a.Unit));
        metadataBlocks.Add(layout.UnitBlock(b.Unit));
        var random = new Random(2024);
        var known = Enum.GetValues<StoreStatus>().ToHashSet();
        for (int trial = 0; trial < 400; trial++)
        {
            var device = pristine.Clone();
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips; f++)
                Flip(device, metadataBlocks[random.Next(metadataBlocks.Count)], random.Next(512), random.Next(8));
            var damaged = new ObjectStore(device);
            var mounted = damaged.Mount();
            Assert.Contains(mounted, known);
            if (mounted != StoreStatus.Ok) continue;
            var obj = new StoreObject();
            foreach (var (name, seed, size) in new[] { ("a", 1, 3000), ("b", 2, 100_000) })
            {
                var status = damaged.Lookup(name, obj);
                Assert.Contains(status, known);
                if (status != StoreStatus.Ok) continue;
                var bytes = new byte[obj.Size];
                status = damaged.ReadRange(obj, 0, bytes, 0, bytes.Length);
                Assert.Contains(status, known);
                // Metadata that passes its CRC is the metadata that was written: data read is right.
                if (status == StoreStatus.Ok) Assert.Equal(Payload(seed, size), bytes);
            }
            long cursor = 0;
            for (int i = 0; i < 5 && damaged.ListNext(ref cursor, obj) == StoreStatus.Ok; i++) { }
            Assert.Contains(damaged.Check(out _, out _), known);
            var written = Write(damaged, "new", Payload(9, 5000));
            Assert.Contains(written, known);
        }
    }
}
