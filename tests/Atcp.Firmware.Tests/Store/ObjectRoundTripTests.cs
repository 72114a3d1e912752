using System.Text;
using Atcp.Firmware.Alu;
using Atcp.Firmware.Store;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>Objects written through the streaming writer read back byte for byte, with their
/// metadata, CRC-32C and chunk sums.</summary>
public class ObjectRoundTripTests
{
    [Fact]
    public void Write_ObjectsOfEdgeSizes_ReadBackExactly()
    {
        var device = new RamBlockDevice(16384);
        var store = FormatAndMount(device);
        var sizes = new long[] { 0, 1, 2, 291, 292, 293, 511, 512, 513, 1460, 1461, 74_752, 74_753, 1_048_576 + 7 };
        var model = new Dictionary<string, byte[]>();
        for (int i = 0; i < sizes.Length; i++)
        {
            var data = Payload(i, sizes[i]);
            var name = "sizes/" + sizes[i] + ".bin";
            Assert.Equal(StoreStatus.Ok, Write(store, name, data, pieceSeed: i));
            model[name] = data;
        }
        AssertHolds(store, model);
        var remounted = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, remounted.Mount());
        AssertHolds(remounted, model);
    }

    [Fact]
    public void Write_WithOddChunkSize_StoresSumsOfEachChunk()
    {
        var store = FormatAndMount(new RamBlockDevice(8192), chunkSize: 7);
        var model = new Dictionary<string, byte[]> { ["odd"] = Payload(1, 10_001), ["tiny"] = Payload(2, 6) };
        foreach (var (name, data) in model) Assert.Equal(StoreStatus.Ok, Write(store, name, data));
        AssertHolds(store, model);
    }

    [Fact]
    public void ReadRange_RandomRanges_MatchThePayload()
    {
        var store = FormatAndMount(new RamBlockDevice(8192));
        var data = Payload(4, 300_001);
        Assert.Equal(StoreStatus.Ok, Write(store, "r", data));
        var obj = Open(store, "r");
        var random = new Random(4);
        for (int i = 0; i < 500; i++)
        {
            long offset = random.NextInt64(0, data.Length + 1);
            int count = (int)Math.Min(random.Next(0, 5000), data.Length - offset);
            var buffer = new byte[count + 10];
            Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, offset, buffer, 3, count));
            Assert.Equal(data.AsSpan((int)offset, count).ToArray(), buffer.AsSpan(3, count).ToArray());
        }
    }

    [Fact]
    public void ReadRange_PastTheEnd_IsOutOfRangeAndBadBuffersAreInvalid()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 1000)));
        var obj = Open(store, "a");
        var buffer = new byte[100];
        Assert.Equal(StoreStatus.OutOfRange, store.ReadRange(obj, 950, buffer, 0, 51));
        Assert.Equal(StoreStatus.OutOfRange, store.ReadRange(obj, 1001, buffer, 0, 0));
        Assert.Equal(StoreStatus.OutOfRange, store.ReadRange(obj, -1, buffer, 0, 1));
        Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, 1000, buffer, 0, 0));
        Assert.Equal(StoreStatus.InvalidArgument, store.ReadRange(obj, 0, buffer, 50, 51));
        Assert.Equal(StoreStatus.InvalidArgument, store.ReadRange(obj, 0, buffer, 0, -1));
    }

    [Fact]
    public void ReadRange_WholeAlignedBlocks_GoStraightIntoTheCallersBuffer()
    {
        var device = new RamBlockDevice(8192);
        var store = FormatAndMount(device);
        var data = Payload(5, 64 * 512);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", data));
        var obj = Open(store, "a");
        var buffer = new byte[32 * 512];
        var callsBefore = device.ReadCalls;
        Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, 16 * 512, buffer, 0, buffer.Length));
        Assert.Equal(1, device.ReadCalls - callsBefore);
        Assert.Equal(data.AsSpan(16 * 512, buffer.Length).ToArray(), buffer);
    }

    [Fact]
    public void Write_KeepsNameTypeTimeAndGivesIncreasingVersions()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        var name = Utf8Bytes("docs/readme.txt");
        var type = Encoding.ASCII.GetBytes("text/plain; charset=utf-8");
        var data = Encoding.ASCII.GetBytes("123456789");
        var writer = store.Writer;
        Assert.Equal(StoreStatus.Ok, writer.Begin(name, 0, name.Length, data.Length, type, 0, type.Length, 1_700_000_000));
        Assert.True(store.IsWriting);
        Assert.Equal(StoreStatus.Ok, writer.Append(data, 0, data.Length));
        Assert.Equal(StoreStatus.Ok, writer.Commit());
        Assert.False(store.IsWriting);
        var obj = Open(store, "docs/readme.txt");
        Assert.Equal("docs/readme.txt", obj.GetName());
        Assert.Equal("text/plain; charset=utf-8", obj.GetContentType());
        Assert.Equal(1_700_000_000, obj.ModifiedTime);
        Assert.Equal(0xE3069283u, obj.PayloadCrc);
        Assert.Equal(2, obj.Version);
        Assert.Equal("\"e3069283-9-2\"", obj.GetETag());
        Assert.Equal(StoreStatus.Ok, Write(store, "other", data));
        Assert.Equal(StoreStatus.Ok, Write(store, "docs/readme.txt", data));
        var again = Open(store, "docs/readme.txt");
        Assert.Equal(4, again.Version);
        Assert.Equal("\"e3069283-9-4\"", again.GetETag());
    }

    [Fact]
    public void WriteETag_WritesQuotedAsciiWithoutAllocating()
    {
        var obj = new StoreObject { PayloadCrc = 0x0000ABCD, Size = 0x123456789A, Version = long.MaxValue };
        var buffer = new byte[StoreObject.MaxETagLength + 2];
        int n = obj.WriteETag(buffer, 1);
        Assert.Equal("\"0000abcd-123456789a-7fffffffffffffff\"", Encoding.ASCII.GetString(buffer, 1, n));
        var biggest = new StoreObject { PayloadCrc = uint.MaxValue, Size = long.MaxValue, Version = long.MaxValue };
        Assert.True(biggest.WriteETag(buffer, 0) <= StoreObject.MaxETagLength);
    }

    [Fact]
    public void Names_Of255BytesAndUnicode_RoundTrip()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        var longest = "n/" + new string('é', 126) + "x"; // 2 + 252 + 1 = 255 bytes
        Assert.Equal(255, Utf8Bytes(longest).Length);
        var names = new[] { longest, "vidéos/日本語.mp4", "emoji/😀.png", "a", "A", "dir/sub/file.with.dots" };
        var model = new Dictionary<string, byte[]>();
        for (int i = 0; i < names.Length; i++)
        {
            model[names[i]] = Payload(i, 100 * i);
            Assert.Equal(StoreStatus.Ok, Write(store, names[i], model[names[i]]));
        }
        AssertHolds(store, model);
    }

    [Fact]
    public void Begin_WithBadNamesOrTypes_IsRefusedBeforeWriting()
    {
        var device = new RamBlockDevice(4096);
        var store = FormatAndMount(device);
        var writer = store.Writer;
        Assert.Equal(StoreStatus.InvalidName, writer.Begin(new string('x', 256), 1, "x"));
        Assert.Equal(StoreStatus.InvalidName, writer.Begin("", 1, "x"));
        Assert.Equal(StoreStatus.InvalidName, writer.Begin("a\0b", 1, "x"));
        var invalidUtf8 = new byte[] { 0x61, 0xC3, 0x28 };
        var type = Encoding.ASCII.GetBytes("x");
        Assert.Equal(StoreStatus.InvalidName, writer.Begin(invalidUtf8, 0, 3, 1, type, 0, 1, 0));
        var overlong = new byte[] { 0xC0, 0xAF };
        Assert.Equal(StoreStatus.InvalidName, writer.Begin(overlong, 0, 2, 1, type, 0, 1, 0));
        Assert.Equal(StoreStatus.InvalidArgument, writer.Begin("a", 1, "text/plain\r\nX-Evil: 1"));
        Assert.Equal(StoreStatus.InvalidArgument, writer.Begin("a", 1, new string('t', 121)));
        Assert.Equal(StoreStatus.InvalidArgument, writer.Begin("a", -1, "x"));
        Assert.False(writer.IsActive);
        Assert.Equal(StoreStatus.InvalidName, store.Lookup(new string('x', 256), new StoreObject()));
    }

    [Fact]
    public void Append_BeyondDeclaredSize_IsRefusedAndCommitNeedsEveryByte()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        var writer = store.Writer;
        var data = Payload(1, 100);
        Assert.Equal(StoreStatus.Ok, writer.Begin("a", 50, "x"));
        Assert.Equal(StoreStatus.SizeMismatch, writer.Append(data, 0, 51));
        Assert.Equal(StoreStatus.Ok, writer.Append(data, 0, 30));
        Assert.Equal(StoreStatus.SizeMismatch, writer.Commit());
        Assert.Equal(StoreStatus.Ok, writer.Append(data, 30, 20));
        Assert.Equal(StoreStatus.Ok, writer.Commit());
        Assert.Equal(data.AsSpan(0, 50).ToArray(), ReadAll(store, Open(store, "a")));
        Assert.Equal(StoreStatus.NotWriting, writer.Append(data, 0, 1));
        Assert.Equal(StoreStatus.NotWriting, writer.Commit());
    }

    [Fact]
    public void Abort_LeavesTheStoreAsItWas()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        var free = store.FreeBytes;
        var writer = store.Writer;
        Assert.Equal(StoreStatus.Ok, writer.Begin("a", 10_000, "x"));
        Assert.Equal(StoreStatus.Ok, writer.Append(Payload(1, 5000), 0, 5000));
        Assert.Equal(StoreStatus.Busy, store.Delete("anything"));
        Assert.Equal(StoreStatus.Busy, writer.Begin("b", 1, "x"));
        writer.Abort();
        Assert.Equal(free, store.FreeBytes);
        Assert.Equal(StoreStatus.NotFound, store.Lookup("a", new StoreObject()));
        Assert.Equal(StoreStatus.Ok, store.Check(out var objects, out _));
        Assert.Equal(0, objects);
    }

    [Fact]
    public void Overwrite_ReplacesContentAndReturnsTheOldSpace()
    {
        var store = FormatAndMount(new RamBlockDevice(8192));
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 100_000)));
        var usedOne = store.UsedBytes;
        var newData = Payload(2, 100_000);
        Assert.Equal(StoreStatus.Ok, Write(store, "a", newData));
        Assert.Equal(usedOne, store.UsedBytes);
        Assert.Equal(1, store.ObjectCount);
        AssertHolds(store, new Dictionary<string, byte[]> { ["a"] = newData });
    }

    [Fact]
    public void Handles_AfterDeleteOrOverwrite_AreStaleButSurviveUnrelatedCommits()
    {
        var store = FormatAndMount(new RamBlockDevice(8192));
        Assert.Equal(StoreStatus.Ok, Write(store, "a", Payload(1, 3000)));
        Assert.Equal(StoreStatus.Ok, Write(store, "b", Payload(2, 3000)));
        var a = Open(store, "a");
        var b = Open(store, "b");
        var buffer = new byte[10];
        var sums = new ushort[1];
        Assert.Equal(StoreStatus.Ok, Write(store, "c", Payload(3, 3000)));
        Assert.Equal(StoreStatus.Ok, store.ReadRange(a, 0, buffer, 0, 10));
        Assert.Equal(StoreStatus.Ok, store.Delete("a"));
        Assert.Equal(StoreStatus.Stale, store.ReadRange(a, 0, buffer, 0, 10));
        Assert.Equal(StoreStatus.Stale, store.GetChunkSums(a, 0, 1, sums, 0));
        Assert.Equal(StoreStatus.Ok, Write(store, "b", Payload(4, 3000)));
        Assert.Equal(StoreStatus.Stale, store.ReadRange(b, 0, buffer, 0, 10));
    }

    [Fact]
    public void UnitsFor_CountsObjectBlockPayloadAndSums()
    {
        var store = FormatAndMount(new RamBlockDevice(4096), chunkSize: 292);
        Assert.Equal(1, store.UnitsFor(0));
        Assert.Equal(3, store.UnitsFor(1));            // object block, one data block, one sums block
        Assert.Equal(1 + 146 + 1, store.UnitsFor(74_752)); // 256 chunks fill one sums block
        Assert.Equal(1 + 147 + 2, store.UnitsFor(74_753)); // one more data block, 257 sums
        Assert.Equal(257, ChunkSums.ChunkCount(74_753, 292));
    }
}
