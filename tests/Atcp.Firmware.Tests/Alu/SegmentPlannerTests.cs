using Atcp.Firmware.Alu;

namespace Atcp.Firmware.Tests.Alu;

/// <summary>Cutting a reply (prefix + object range) into MSS-sized segments on chunk boundaries.</summary>
public class SegmentPlannerTests
{
    static List<(long Start, int Length, int Prefix, long PayloadOffset, int Payload, bool StartAligned, bool EndAligned)> PlanAll(
        long prefix, long rangeStart, long rangeLength, long size, int mss, int chunk)
    {
        var planner = new SegmentPlanner();
        Assert.True(planner.Configure(prefix, rangeStart, rangeLength, size, mss, chunk));
        var result = new List<(long, int, int, long, int, bool, bool)>();
        long position = 0;
        while (planner.Plan(position))
        {
            result.Add((planner.SegmentStart, planner.SegmentLength, planner.PrefixBytes, planner.PayloadOffset,
                planner.PayloadLength, planner.PayloadStartAligned, planner.PayloadEndAligned));
            position += planner.SegmentLength;
        }
        Assert.Equal(planner.StreamLength, position);
        return result;
    }

    [Fact]
    public void Plan_WhenMss1460AndDefaultChunk_CarriesFiveWholeChunks()
    {
        var segments = PlanAll(0, 0, 10_000, 10_000, 1460, 292);
        Assert.All(segments.Take(segments.Count - 1), s => Assert.Equal(1460, s.Length));
        Assert.All(segments, s => Assert.True(s.StartAligned && s.EndAligned));
        Assert.Equal(10_000 - 6 * 1460, segments[^1].Length);
    }

    [Fact]
    public void Plan_WhenMss1400_CarriesFloorOfMssOverChunk()
    {
        var segments = PlanAll(0, 0, 10_000, 10_000, 1400, 292);
        Assert.All(segments.Take(segments.Count - 1), s => Assert.Equal(4 * 292, s.Length));
    }

    [Fact]
    public void Plan_WhenRangeStartsMidChunk_FirstSegmentEndsOnNextBoundaryThenFull()
    {
        var segments = PlanAll(0, 100, 5000, 10_000, 1460, 292);
        Assert.Equal(1460 - 100, segments[0].Length);
        Assert.False(segments[0].StartAligned);
        Assert.True(segments[0].EndAligned);
        Assert.Equal(1460, segments[1].PayloadOffset);
        Assert.Equal(1460, segments[1].Length);
        Assert.False(segments[^1].EndAligned); // 5100 is not a boundary nor the object end
    }

    [Fact]
    public void Plan_WithPrefix_FirstSegmentHoldsPrefixAndWholeChunks()
    {
        var segments = PlanAll(200, 0, 5000, 5000, 1460, 292);
        Assert.Equal(200, segments[0].Prefix);
        Assert.Equal(4 * 292, segments[0].Payload);
        Assert.Equal(0, segments[1].Prefix);
        Assert.Equal(4 * 292, segments[1].PayloadOffset);
        Assert.Equal(1460, segments[1].Length);
    }

    [Fact]
    public void Plan_WhenPrefixLeavesLessThanAChunk_EndsTheSegmentWithThePrefix()
    {
        var segments = PlanAll(1400, 0, 5000, 5000, 1460, 292);
        Assert.Equal((0L, 1400, 1400, 0L, 0, true, true), segments[0]);
        Assert.Equal(1460, segments[1].Payload);
    }

    [Fact]
    public void Plan_WhenPrefixLongerThanMss_SendsPrefixOnlySegmentsFirst()
    {
        var segments = PlanAll(3000, 0, 3000, 3000, 1460, 292);
        Assert.Equal(1460, segments[0].Prefix);
        Assert.Equal(1460, segments[1].Prefix);
        Assert.Equal(80, segments[2].Prefix);
        Assert.Equal(4 * 292, segments[2].Payload);
    }

    [Fact]
    public void Plan_WhenMssBelowChunk_SendsFullMssSegmentsMarkedUnaligned()
    {
        var segments = PlanAll(0, 0, 2000, 2000, 500, 1024);
        Assert.Equal(new[] { 500, 500, 500, 500 }, segments.Select(s => s.Length));
        Assert.False(segments[0].EndAligned);
        Assert.True(segments[^1].EndAligned); // ends at the object's end
    }

    [Fact]
    public void Plan_WhenEverythingFitsOneMss_SendsOneSegment()
    {
        var segments = PlanAll(100, 7, 50, 60, 1460, 292);
        Assert.Single(segments);
        Assert.Equal((0L, 150, 100, 7L, 50, false, false), segments[0]);
    }

    [Fact]
    public void Plan_WhenRangeIsEmpty_SendsPrefixOnly()
    {
        var segments = PlanAll(300, 0, 0, 0, 1460, 292);
        Assert.Single(segments);
        Assert.Equal(300, segments[0].Prefix);
        Assert.Equal(0, segments[0].Payload);
    }

    [Fact]
    public void Plan_WhenNothingToSend_PlansNothing()
    {
        var planner = new SegmentPlanner();
        Assert.True(planner.Configure(0, 0, 0, 0, 1460, 292));
        Assert.False(planner.Plan(0));
    }

    [Fact]
    public void Plan_FromAnyRetransmitPosition_CutsLikeAFirstSegmentAndThenRealigns()
    {
        var planner = new SegmentPlanner();
        Assert.True(planner.Configure(0, 0, 100_000, 100_000, 1460, 292));
        Assert.True(planner.Plan(3001));
        Assert.Equal(3001, planner.PayloadOffset);
        Assert.True(planner.PayloadEndAligned);
        Assert.Equal(0, (planner.PayloadOffset + planner.PayloadLength) % 292);
        Assert.False(planner.Plan(-1));
        Assert.False(planner.Plan(100_000));
    }

    [Fact]
    public void Plan_NearLongMaxValue_DoesNotOverflow()
    {
        long size = long.MaxValue;
        long start = long.MaxValue - 10_000;
        var segments = PlanAll(10, start, 10_000, size, 1460, 292);
        Assert.Equal(10_010, segments.Sum(s => (long)s.Length));
        Assert.True(segments[^1].EndAligned);
    }

    [Theory]
    [InlineData(-1, 0, 0, 10, 1460, 292)]
    [InlineData(0, -1, 0, 10, 1460, 292)]
    [InlineData(0, 0, -1, 10, 1460, 292)]
    [InlineData(0, 5, 6, 10, 1460, 292)]
    [InlineData(0, 11, 0, 10, 1460, 292)]
    [InlineData(0, 0, 10, 10, 0, 292)]
    [InlineData(0, 0, 10, 10, 1460, 0)]
    [InlineData(long.MaxValue, 0, 10, 10, 1460, 292)]
    public void Configure_WhenInvalid_ReturnsFalse(long prefix, long start, long length, long size, int mss, int chunk)
    {
        var planner = new SegmentPlanner();
        Assert.False(planner.Configure(prefix, start, length, size, mss, chunk));
        Assert.False(planner.Plan(0));
    }

    [Fact]
    public void Plan_RandomReplies_CoverTheStreamOnceWithAlignedInteriorEnds()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 2000; trial++)
        {
            int chunk = random.Next(2, 600);
            int mss = random.Next(chunk, 9000);
            long size = random.Next(0, 200_000);
            long start = random.NextInt64(0, size + 1);
            long length = random.NextInt64(0, size - start + 1);
            long prefix = random.Next(0, 3) == 0 ? 0 : random.Next(0, 4000);
            if (prefix + length == 0) continue;
            var segments = PlanAll(prefix, start, length, size, mss, chunk);
            long expectedOffset = start;
            long prefixSeen = 0;
            foreach (var s in segments)
            {
                Assert.InRange(s.Length, 1, mss);
                Assert.Equal(s.Prefix + s.Payload, s.Length);
                prefixSeen += s.Prefix;
                if (s.Payload > 0)
                {
                    Assert.Equal(expectedOffset, s.PayloadOffset);
                    expectedOffset += s.Payload;
                }
            }
            Assert.Equal(prefix, prefixSeen);
            Assert.Equal(start + length, expectedOffset);
            foreach (var s in segments.Take(segments.Count - 1).Where(s => s.Payload > 0))
                Assert.True(s.EndAligned, $"trial {trial}: interior segment at {s.Start} ends mid-chunk");
        }
    }
}
