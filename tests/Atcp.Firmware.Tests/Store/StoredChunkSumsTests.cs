using Atcp.Firmware.Tcp;
using Atcp.Firmware.Alu;
using Atcp.Firmware.Store;
using Atcp.Wire;
using static Atcp.Firmware.Tests.Store.StoreTestKit;

namespace Atcp.Firmware.Tests.Store;

/// <summary>The stored chunk sums let a packetizer fill TCP checksums without summing payload:
/// they must equal sums of the bytes, and segment checksums built from them must equal checksums
/// computed over the segment bytes.</summary>
public class StoredChunkSumsTests
{
    [Theory]
    [InlineData(292, 1_048_576 + 7)]
    [InlineData(292, 291)]
    [InlineData(256, 65_536)]
    [InlineData(7, 5_000)]
    [InlineData(1460, 100_001)]
    public void GetChunkSums_EqualInternetChecksumOfEachChunk(int chunk, int size)
    {
        var store = FormatAndMount(new RamBlockDevice(16384), chunkSize: chunk);
        var data = Payload(size, size);
        Assert.Equal(StoreStatus.Ok, Write(store, "o", data, pieceSeed: chunk));
        var obj = Open(store, "o");
        var expected = ExpectedSums(data, chunk);
        var sums = new ushort[expected.Length + 4];
        Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, 0, expected.Length, sums, 4));
        Assert.Equal(expected, sums.Skip(4).ToArray());
        // Windows that straddle sums blocks.
        var window = new ushort[300];
        for (long first = 0; first < expected.Length; first += 97)
        {
            int n = (int)Math.Min(window.Length, expected.Length - first);
            Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, first, n, window, 0));
            Assert.Equal(expected.AsSpan((int)first, n).ToArray(), window.AsSpan(0, n).ToArray());
        }
    }

    [Fact]
    public void GetChunkSums_OutsideTheObject_IsOutOfRange()
    {
        var store = FormatAndMount(new RamBlockDevice(4096));
        Assert.Equal(StoreStatus.Ok, Write(store, "o", Payload(1, 1000)));
        var obj = Open(store, "o");
        var sums = new ushort[8];
        Assert.Equal(StoreStatus.OutOfRange, store.GetChunkSums(obj, 0, 5, sums, 0));
        Assert.Equal(StoreStatus.OutOfRange, store.GetChunkSums(obj, -1, 1, sums, 0));
        Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, 4, 0, sums, 0));
        Assert.Equal(StoreStatus.InvalidArgument, store.GetChunkSums(obj, 0, 4, sums, 5));
    }

    [Fact]
    public void SegmentChecksums_FromStoredSums_EqualChecksumsOverTheSegmentBytes()
    {
        var store = FormatAndMount(new RamBlockDevice(16384), chunkSize: 292);
        var data = Payload(77, 2_000_003);
        Assert.Equal(StoreStatus.Ok, Write(store, "video.mp4", data));
        var obj = Open(store, "video.mp4");
        var random = new Random(77);
        var planner = new ChunkAlignedPlanner(); // the packetizer's planner
        var sums = new ushort[64];
        var segment = new byte[9000 + 60];
        int checkedSegments = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            int mss = random.Next(4) == 0 ? 1460 : random.Next(300, 9000);
            long start = random.Next(2) == 0 ? 0 : random.NextInt64(0, data.Length);
            long length = random.NextInt64(0, Math.Min(200_000, data.Length - start) + 1);
            int prefixLength = random.Next(3) == 0 ? 0 : random.Next(1, 1500); // odd lengths put payload at odd positions
            var prefix = Payload(trial, prefixLength);
            planner.Configure(prefixLength, start, length, obj.ChunkSize);
            long total = prefixLength + length;
            const int Header = 20; // a TCP header without options precedes the data in the checksum
            for (long position = 0; position < total;)
            {
                int segmentLength = planner.PayloadLength(position, (int)Math.Min(mss, total - position));
                int prefixBytes = (int)Math.Clamp(prefixLength - position, 0, segmentLength);
                long a = start + Math.Max(0, position - prefixLength);
                int payloadLength = segmentLength - prefixBytes;
                long b = a + payloadLength;
                // Reference: sum over header + prefix bytes + payload bytes as sent.
                Array.Clear(segment);
                for (int h = 0; h < Header; h++) segment[h] = (byte)(h * 13 + trial);
                if (prefixBytes > 0) Array.Copy(prefix, position, segment, Header, prefixBytes);
                Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, a, segment, Header + prefixBytes, payloadLength));
                ushort expected = InternetChecksum.Sum(segment, 0, Header + segmentLength);

                // Built: header and prefix from bytes (the board has them), payload from stored sums.
                ushort built = InternetChecksum.Sum(segment, 0, Header + prefixBytes);
                long payloadPosition = Header + prefixBytes;
                bool aligned = a % obj.ChunkSize == 0 && (b % obj.ChunkSize == 0 || b == obj.Size);
                if (aligned && payloadLength > 0)
                {
                    long firstChunk = a / obj.ChunkSize;
                    int count = (int)(ChunkSums.ChunkCount(b, obj.ChunkSize) - firstChunk);
                    Assert.True(count <= sums.Length);
                    Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, firstChunk, count, sums, 0));
                    Assert.True(ChunkSums.TryRangeSum(sums, 0, firstChunk, count, obj.ChunkSize, obj.Size, a, b, payloadPosition, out var payloadSum));
                    built = InternetChecksum.Combine(built, payloadSum);
                }
                else
                {
                    Assert.Equal(StoreStatus.Ok, store.PayloadSum(obj, a, b, payloadPosition, out var payloadSum));
                    built = InternetChecksum.Combine(built, payloadSum);
                }
                Assert.Equal(expected, built);
                checkedSegments++;
                position += segmentLength;
            }
        }
        Assert.True(checkedSegments > 500);
    }

    [Fact]
    public void PayloadSum_ArbitraryRangesAndPositions_EqualSumsOfTheBytes()
    {
        var store = FormatAndMount(new RamBlockDevice(8192), chunkSize: 292);
        var data = Payload(5, 150_001);
        Assert.Equal(StoreStatus.Ok, Write(store, "o", data));
        var obj = Open(store, "o");
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            long a = random.NextInt64(0, data.Length + 1);
            long b = random.NextInt64(a, Math.Min(data.Length, a + 20_000) + 1);
            long position = random.Next(0, 100);
            var message = new byte[position + (b - a)];
            Array.Copy(data, a, message, position, b - a);
            Assert.Equal(StoreStatus.Ok, store.PayloadSum(obj, a, b, position, out var sum));
            Assert.Equal(InternetChecksum.Sum(message, 0, message.Length), sum);
        }
        Assert.Equal(StoreStatus.OutOfRange, store.PayloadSum(obj, 10, 5, 0, out _));
        Assert.Equal(StoreStatus.OutOfRange, store.PayloadSum(obj, 0, data.Length + 1, 0, out _));
    }

    [Fact]
    public void Streaming_ReadsOneSumsBlockPer256Chunks()
    {
        var device = new RamBlockDevice(16384);
        var store = FormatAndMount(device, chunkSize: 292);
        var data = Payload(6, 1_000_000);
        Assert.Equal(StoreStatus.Ok, Write(store, "o", data));
        var obj = Open(store, "o");
        var sums = new ushort[5];
        long chunks = obj.ChunkCount;
        var before = device.BlocksRead;
        for (long k = 0; k + 5 <= chunks; k += 5) Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, k, 5, sums, 0));
        Assert.Equal(ByteRange.PiecesFor(chunks, 256), device.BlocksRead - before);
    }

    [Fact]
    public void DataPath_InSteadyState_AllocatesNothing()
    {
        var store = FormatAndMount(new RamBlockDevice(16384), chunkSize: 292);
        var data = Payload(8, 1_000_000);
        Assert.Equal(StoreStatus.Ok, Write(store, "o", data));
        var obj = Open(store, "o");
        var frame = new byte[1514];
        var sums = new ushort[5];
        // Warm up (the JIT allocates on first calls).
        Assert.Equal(StoreStatus.Ok, store.ReadRange(obj, 0, frame, 54, 1460));
        Assert.Equal(StoreStatus.Ok, store.GetChunkSums(obj, 0, 5, sums, 0));
        Assert.Equal(StoreStatus.Ok, store.PayloadSum(obj, 10, 3000, 1, out _));
        Assert.Equal(StoreStatus.Ok, store.Lookup(Utf8Bytes("o"), 0, 1, obj));
        var name = Utf8Bytes("o");
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long offset = 0; offset + 1460 <= data.Length; offset += 1460)
        {
            store.ReadRange(obj, offset, frame, 54, 1460);
            store.GetChunkSums(obj, offset / 292, 5, sums, 0);
        }
        store.PayloadSum(obj, 10, 300_000, 1, out _);
        store.Lookup(name, 0, 1, obj);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
