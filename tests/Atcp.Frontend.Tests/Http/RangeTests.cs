using Atcp.Frontend.Http;

namespace Atcp.Frontend.Tests.Http;

/// <summary>Range resolution (RFC 9110 14.1-14.2) for a server that sends one contiguous range.</summary>
public class RangeTests
{
    [Theory]
    // single ranges
    [InlineData("bytes=0-499", 1000, RangeDecision.Partial, 0, 500)]
    [InlineData("bytes=500-999", 1000, RangeDecision.Partial, 500, 500)]
    [InlineData("bytes=500-", 1000, RangeDecision.Partial, 500, 500)]
    [InlineData("bytes=0-0", 1000, RangeDecision.Partial, 0, 1)]
    [InlineData("bytes=999-999", 1000, RangeDecision.Partial, 999, 1)]
    [InlineData("bytes=0-", 1000, RangeDecision.Partial, 0, 1000)]
    [InlineData("bytes=-1", 1000, RangeDecision.Partial, 999, 1)]
    [InlineData("bytes=-500", 1000, RangeDecision.Partial, 500, 500)]
    [InlineData("BYTES=1-2", 1000, RangeDecision.Partial, 1, 2)]
    [InlineData("bytes= 1-2 ", 1000, RangeDecision.Partial, 1, 2)]
    // clamping
    [InlineData("bytes=-5000", 1000, RangeDecision.Partial, 0, 1000)]
    [InlineData("bytes=900-5000", 1000, RangeDecision.Partial, 900, 100)]
    [InlineData("bytes=0-99999999999999999999999", 1000, RangeDecision.Partial, 0, 1000)]
    // unsatisfiable
    [InlineData("bytes=1000-", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=1000-2000", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=5000-6000", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=-0", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=1000-1001,2000-", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=99999999999999999999-", 1000, RangeDecision.Unsatisfiable, 0, 0)]
    // invalid: ignored, whole object
    [InlineData("bytes=5-1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=a-b", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=-", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=1 - 2", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=+1-2", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=0-1,x", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("items=0-1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes 0-1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("0-1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=0-1, bytes=2-3", 1000, RangeDecision.Full, 0, 1000)]
    // multi-range: coalesced into one range, or the whole object
    [InlineData("bytes=0-99,100-199", 1000, RangeDecision.Partial, 0, 200)]
    [InlineData("bytes=0-149,100-199", 1000, RangeDecision.Partial, 0, 200)]
    [InlineData("bytes=100-199,0-99", 1000, RangeDecision.Partial, 0, 200)]
    [InlineData("bytes=0-99,,100-199", 1000, RangeDecision.Partial, 0, 200)]
    [InlineData("bytes=0-9,5-7", 1000, RangeDecision.Partial, 0, 10)]
    [InlineData("bytes=900-,-50", 1000, RangeDecision.Partial, 900, 100)]
    [InlineData("bytes=0-499,-500", 1000, RangeDecision.Partial, 0, 1000)]
    [InlineData("bytes=0-99,5000-6000", 1000, RangeDecision.Partial, 0, 100)]
    [InlineData("bytes=0-99,200-299", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=0-0,-1", 1000, RangeDecision.Full, 0, 1000)]
    [InlineData("bytes=0-99,101-199", 1000, RangeDecision.Full, 0, 1000)]
    // zero-length object: only a non-zero suffix is satisfiable, and it is the (empty) whole
    [InlineData("bytes=0-", 0, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=0-0", 0, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=-1", 0, RangeDecision.Full, 0, 0)]
    [InlineData("bytes=-0", 0, RangeDecision.Unsatisfiable, 0, 0)]
    // one-byte object
    [InlineData("bytes=0-", 1, RangeDecision.Partial, 0, 1)]
    [InlineData("bytes=1-", 1, RangeDecision.Unsatisfiable, 0, 0)]
    [InlineData("bytes=-10", 1, RangeDecision.Partial, 0, 1)]
    public void Resolve_GivesDecisionAndRange(string field, long size, RangeDecision expected, long offset, long length)
    {
        RangeDecision decision = ByteRanges.Resolve(field, size, out ByteRange range);
        Assert.Equal(expected, decision);
        if (decision != RangeDecision.Unsatisfiable) Assert.Equal(new ByteRange(offset, length), range);
    }

    [Fact]
    public void NoRangeField_IsFull()
    {
        Assert.Equal(RangeDecision.Full, ByteRanges.Resolve(null, 10, out ByteRange range));
        Assert.Equal(new ByteRange(0, 10), range);
    }

    [Fact]
    public void TooManyRanges_AreIgnored()
    {
        string many = "bytes=" + string.Join(',', Enumerable.Range(0, 65).Select(i => i + "-" + i));
        Assert.Equal(RangeDecision.Full, ByteRanges.Resolve(many, 1000, out _));
        string allowed = "bytes=" + string.Join(',', Enumerable.Range(0, 64).Select(i => i + "-" + i));
        Assert.Equal(RangeDecision.Partial, ByteRanges.Resolve(allowed, 1000, out ByteRange range));
        Assert.Equal(new ByteRange(0, 64), range);
    }

    [Fact]
    public void ContentRange_IsInclusive()
    {
        Assert.Equal("bytes 0-499/1000", new ByteRange(0, 500).ToContentRange(1000));
    }
}
