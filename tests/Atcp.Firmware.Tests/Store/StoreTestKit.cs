using System.Text;
using Atcp.Firmware.Alu;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;
using Atcp.Wire;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Shared helpers: deterministic payloads, whole-object writes and reads, and a check that
/// a store holds exactly a given set of objects, byte for byte, with correct CRC and sums.</summary>
public static class StoreTestKit
{
    public static byte[] Payload(int seed, long size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static ObjectStore FormatAndMount(IBlockDevice device, int chunkSize = 292, int? maxObjects = null, string label = "test")
    {
        var status = maxObjects is int max
            ? ObjectStore.Format(device, label, chunkSize, max)
            : ObjectStore.Format(device, label, chunkSize);
        Assert.Equal(StoreStatus.Ok, status);
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        return store;
    }

    /// <summary>Writes data as one object, appended in pieces of varying size (seeded).</summary>
    public static StoreStatus Write(ObjectStore store, string name, byte[] data, string contentType = "application/octet-stream", int pieceSeed = 7)
    {
        var writer = store.Writer;
        var status = writer.Begin(name, data.Length, contentType);
        if (status != StoreStatus.Ok) return status;
        var random = new Random(pieceSeed);
        long at = 0;
        while (at < data.Length)
        {
            var n = (int)Math.Min(data.Length - at, random.Next(4) switch { 0 => 1, 1 => random.Next(1, 700), 2 => 512 * random.Next(1, 5), _ => random.Next(1, 5000) });
            status = writer.Append(data, (int)at, n);
            if (status != StoreStatus.Ok)
            {
                writer.Abort();
                return status;
            }
            at += n;
        }
        return writer.Commit();
    }

    public static StoreObject Open(ObjectStore store, string name)
    {
        var obj = new StoreObject();
        Assert.Equal(StoreStatus.Ok, store.Lookup(name, obj));
        return obj;
    }

    public static byte[] ReadAll(ObjectStore store, StoreObject obj)
    {
        var bytes = new byte[obj.Size];
        Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, 0, bytes, 0, bytes.Length));
        return bytes;
    }

    public static List<StoreObject> List(ObjectStore store)
    {
        var result = new List<StoreObject>();
        long cursor = 0;
        while (true)
        {
            var obj = new StoreObject();
            var status = store.ListNext(ref cursor, obj);
            if (status == StoreStatus.EndOfList) return result;
            Assert.Equal(StoreStatus.Ok, status);
            result.Add(obj);
        }
    }

    /// <summary>Chunk sums recomputed from payload bytes with InternetChecksum.Sum.</summary>
    public static ushort[] ExpectedSums(byte[] data, int chunkSize)
    {
        var count = (int)ChunkSums.ChunkCount(data.Length, chunkSize);
        var sums = new ushort[count];
        for (int k = 0; k < count; k++)
        {
            int start = k * chunkSize;
            sums[k] = InternetChecksum.Sum(data, start, Math.Min(chunkSize, data.Length - start));
        }
        return sums;
    }

    /// <summary>Asserts the store lists exactly the model's names, and each object reads back byte
    /// for byte with the right size, CRC-32C and chunk sums, and passes Verify and Check.</summary>
    public static void AssertHolds(ObjectStore store, IReadOnlyDictionary<string, byte[]> model)
    {
        var listed = List(store).Select(o => o.GetName()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(model.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList(), listed);
        Assert.Equal(model.Count, store.ObjectCount);
        foreach (var (name, data) in model)
        {
            var obj = Open(store, name);
            Assert.Equal(data.Length, obj.Size);
            Assert.Equal(data, ReadAll(store, obj));
            Assert.Equal(Crc32C.Compute(data, 0, data.Length), obj.PayloadCrc);
            var sums = new ushort[obj.ChunkCount];
            Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, 0, sums.Length, sums, 0));
            Assert.Equal(ExpectedSums(data, obj.ChunkSize), sums);
            Assert.Equal(StoreStatus.Ok, store.Verify(obj));
        }
        Assert.Equal(StoreStatus.Ok, store.Check(out var objects, out _));
        Assert.Equal(model.Count, objects);
    }

    public static byte[] Utf8Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
