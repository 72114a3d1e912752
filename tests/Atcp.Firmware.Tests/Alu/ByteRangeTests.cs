using Atcp.Firmware.Alu;

namespace Atcp.Firmware.Tests.Alu;

/// <summary>Fitting requested ranges to objects: HTTP-like outcomes, and no overflow at the extremes.</summary>
public class ByteRangeTests
{
    [Theory]
    [InlineData(100, 0, 100, RangeStatus.Ok, 0, 100)]
    [InlineData(100, 10, 20, RangeStatus.Ok, 10, 20)]
    [InlineData(100, 99, 1, RangeStatus.Ok, 99, 1)]
    [InlineData(100, 90, 20, RangeStatus.Clamped, 90, 10)]
    [InlineData(100, 0, long.MaxValue, RangeStatus.Clamped, 0, 100)]
    [InlineData(100, 50, 0, RangeStatus.Empty, 50, 0)]
    [InlineData(100, 100, 0, RangeStatus.Empty, 100, 0)]
    [InlineData(0, 0, 0, RangeStatus.Empty, 0, 0)]
    [InlineData(100, 100, 1, RangeStatus.Unsatisfiable, 100, 0)]
    [InlineData(100, 101, 0, RangeStatus.Unsatisfiable, 101, 0)]
    [InlineData(100, long.MaxValue, long.MaxValue, RangeStatus.Unsatisfiable, long.MaxValue, 0)]
    [InlineData(0, 0, 1, RangeStatus.Unsatisfiable, 0, 0)]
    [InlineData(100, -1, 10, RangeStatus.Invalid, 0, 0)]
    [InlineData(100, 0, -1, RangeStatus.Invalid, 0, 0)]
    [InlineData(-1, 0, 0, RangeStatus.Invalid, 0, 0)]
    public void Clamp_Cases(long size, long offset, long length, RangeStatus expected, long start, long count)
    {
        Assert.Equal(expected, ByteRange.Clamp(size, offset, length, out var s, out var c));
        Assert.Equal(start, s);
        Assert.Equal(count, c);
    }

    [Fact]
    public void Clamp_WhenOffsetPlusLengthOverflows_ClampsWithoutWrapping()
    {
        Assert.Equal(RangeStatus.Clamped, ByteRange.Clamp(long.MaxValue, long.MaxValue - 5, long.MaxValue - 1, out var s, out var c));
        Assert.Equal(long.MaxValue - 5, s);
        Assert.Equal(5, c);
    }

    [Fact]
    public void Clamp_WhenObjectIsHuge_KeepsExactLength()
    {
        Assert.Equal(RangeStatus.Ok, ByteRange.Clamp(long.MaxValue, 1L << 62, 1L << 61, out var s, out var c));
        Assert.Equal(1L << 62, s);
        Assert.Equal(1L << 61, c);
    }

    [Theory]
    [InlineData(100, 10, RangeStatus.Ok, 90, 10)]
    [InlineData(100, 100, RangeStatus.Ok, 0, 100)]
    [InlineData(100, 500, RangeStatus.Clamped, 0, 100)]
    [InlineData(100, long.MaxValue, RangeStatus.Clamped, 0, 100)]
    [InlineData(100, 0, RangeStatus.Unsatisfiable, 0, 0)]
    [InlineData(0, 10, RangeStatus.Unsatisfiable, 0, 0)]
    [InlineData(100, -1, RangeStatus.Invalid, 0, 0)]
    public void Suffix_Cases(long size, long suffix, RangeStatus expected, long start, long count)
    {
        Assert.Equal(expected, ByteRange.Suffix(size, suffix, out var s, out var c));
        Assert.Equal(start, s);
        Assert.Equal(count, c);
    }

    [Theory]
    [InlineData(0, 292, 0)]
    [InlineData(1, 292, 1)]
    [InlineData(292, 292, 1)]
    [InlineData(293, 292, 2)]
    [InlineData(long.MaxValue, 2, long.MaxValue / 2 + 1)]
    [InlineData(long.MaxValue, 1, long.MaxValue)]
    [InlineData(-5, 292, 0)]
    [InlineData(10, 0, 0)]
    public void PiecesFor_IsCeilingWithoutOverflow(long length, long piece, long expected) =>
        Assert.Equal(expected, ByteRange.PiecesFor(length, piece));

    [Fact]
    public void AlignUp_WhenItWouldOverflow_ReturnsMinusOne()
    {
        Assert.Equal(-1, ByteRange.AlignUp(long.MaxValue - 1, 4096));
        Assert.Equal(4096, ByteRange.AlignUp(1, 4096));
        Assert.Equal(0, ByteRange.AlignUp(0, 4096));
        Assert.Equal(8192, ByteRange.AlignDown(8193, 4096));
    }
}
