using Atcp.Firmware.Alu;
using Atcp.Wire;

namespace Atcp.Firmware.Tests.Alu;

/// <summary>Combining stored chunk sums must equal summing the bytes, at even and odd positions.</summary>
public class ChunkSumsTests
{
    static ushort[] SumsOf(byte[] data, int chunk)
    {
        var sums = new ushort[ChunkSums.ChunkCount(data.Length, chunk)];
        for (int k = 0; k < sums.Length; k++)
            sums[k] = InternetChecksum.Sum(data, k * chunk, Math.Min(chunk, data.Length - k * chunk));
        return sums;
    }

    /// <summary>Sum of data[start..end) placed at position of an otherwise zero message.</summary>
    static ushort BytesAt(byte[] data, long start, long end, long position)
    {
        var message = new byte[position + (end - start)];
        Array.Copy(data, start, message, position, end - start);
        return InternetChecksum.Sum(message, 0, message.Length);
    }

    [Fact]
    public void TryRangeSum_RandomSummableRanges_EqualsBytesAtEvenAndOddPositions()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 3000; trial++)
        {
            int chunk = random.Next(2, 400);
            var data = new byte[random.Next(0, 20_000)];
            random.NextBytes(data);
            var sums = SumsOf(data, chunk);
            long chunks = sums.Length;
            long first = chunks == 0 ? 0 : random.NextInt64(0, chunks);
            long last = random.NextInt64(first, chunks + 1);
            long start = Math.Min(first * chunk, data.Length);
            long end = Math.Min(last * chunk, data.Length);
            long position = random.Next(0, 3000);
            Assert.True(ChunkSums.TryRangeSum(sums, 0, 0, sums.Length, chunk, data.Length, start, end, position, out var sum));
            Assert.Equal(BytesAt(data, start, end, position), sum);
        }
    }

    [Fact]
    public void TryRangeSum_WithSumsWindow_UsesOffsetAndFirstChunk()
    {
        var data = new byte[5000];
        new Random(5).NextBytes(data);
        var all = SumsOf(data, 292);
        var window = new ushort[20];
        Array.Copy(all, 5, window, 3, 10); // chunks 5..14 at window[3..13)
        Assert.True(ChunkSums.TryRangeSum(window, 3, 5, 10, 292, data.Length, 6 * 292, 11 * 292, 41, out var sum));
        Assert.Equal(BytesAt(data, 6 * 292, 11 * 292, 41), sum);
        Assert.False(ChunkSums.TryRangeSum(window, 3, 5, 10, 292, data.Length, 4 * 292, 6 * 292, 0, out _));
        Assert.False(ChunkSums.TryRangeSum(window, 3, 5, 10, 292, data.Length, 10 * 292, 16 * 292, 0, out _));
    }

    [Fact]
    public void TryRangeSum_LastShortChunk_IsSummableOnlyAtObjectEnd()
    {
        var data = new byte[1000];
        new Random(9).NextBytes(data);
        var sums = SumsOf(data, 292);
        Assert.True(ChunkSums.TryRangeSum(sums, 0, 0, sums.Length, 292, 1000, 876, 1000, 1, out var tail));
        Assert.Equal(BytesAt(data, 876, 1000, 1), tail);
        Assert.False(ChunkSums.TryRangeSum(sums, 0, 0, sums.Length, 292, 1000, 876, 999, 0, out _));
        Assert.False(ChunkSums.TryRangeSum(sums, 0, 0, sums.Length, 292, 1000, 1, 292, 0, out _));
    }

    [Fact]
    public void TryRangeSum_EmptyRange_IsZero()
    {
        Assert.True(ChunkSums.TryRangeSum([], 0, 0, 0, 292, 0, 0, 0, 0, out var sum));
        Assert.Equal(0, sum);
    }

    [Theory]
    [InlineData(0, 1000, 292, 1000, 0, 1000)]
    [InlineData(100, 1000, 292, 1000, 292, 1000)]
    [InlineData(100, 900, 292, 1000, 292, 876)]
    [InlineData(100, 200, 292, 1000, 200, 200)]
    [InlineData(300, 500, 292, 1000, 500, 500)]
    [InlineData(950, 1000, 292, 1000, 1000, 1000)]
    [InlineData(876, 1000, 292, 1000, 876, 1000)]
    [InlineData(0, 0, 292, 0, 0, 0)]
    public void Split_FindsTheSummableMiddle(long start, long end, int chunk, long size, long middleStart, long middleEnd)
    {
        ChunkSums.Split(start, end, chunk, size, out var ms, out var me);
        Assert.Equal(middleStart, ms);
        Assert.Equal(middleEnd, me);
    }

    [Fact]
    public void ChunkCount_RoundsUp()
    {
        Assert.Equal(0, ChunkSums.ChunkCount(0, 292));
        Assert.Equal(1, ChunkSums.ChunkCount(292, 292));
        Assert.Equal(2, ChunkSums.ChunkCount(293, 292));
    }
}
