using Atcp.Frontend.Cluster;

namespace Atcp.Frontend.Tests.Cluster;

public class AckCoalescerTests
{
    const uint End = 1_000_000;
    const long Window = 1 << 20;

    [Fact]
    public void FirstAck_IsRelayedAtOnce_ThenEveryKth()
    {
        var c = new AckCoalescer(4, 10);
        Assert.True(c.Offer(1460, 100, Window, false, false, false, End, 0));
        var relayed = Enumerable.Range(2, 8).Select(i => c.Offer((uint)(1460 * i), 100, Window, false, false, false, End, 0)).ToList();
        Assert.Equal(new[] { false, false, false, true, false, false, false, true }, relayed);
    }

    [Theory]
    [InlineData(true, false, false, (ushort)100)]
    [InlineData(false, true, false, (ushort)100)]
    [InlineData(false, false, true, (ushort)100)]
    [InlineData(false, false, false, (ushort)99)]
    public void DuplicateSackFinOrWindowChange_IsRelayedAtOnce(bool dup, bool sack, bool fin, ushort window)
    {
        var c = new AckCoalescer(100, 1000);
        c.Offer(1460, 100, Window, false, false, false, End, 0);
        Assert.True(c.Offer(2920, window, Window, dup, sack, fin, End, 0));
    }

    [Fact]
    public void HeldAck_IsFlushedAfterT()
    {
        var c = new AckCoalescer(100, 10);
        c.Offer(1460, 100, Window, false, false, false, End, 0);
        Assert.False(c.Offer(2920, 100, Window, false, false, false, End, 5));
        Assert.Equal(15, c.Deadline);
        Assert.False(c.Flush(14));
        Assert.True(c.Flush(15));
        Assert.Equal(2920u, c.HeldAck);
        Assert.Equal(long.MaxValue, c.Deadline);
    }

    [Fact]
    public void AckCompletingTheReply_IsRelayedAtOnce()
    {
        var c = new AckCoalescer(100, 1000);
        c.Offer(1460, 100, Window, false, false, false, End, 0);
        Assert.True(c.Offer(End, 100, Window, false, false, false, End, 1));
    }

    [Fact]
    public void HalfTheWindowUnrelayed_ForcesARelay()
    {
        var c = new AckCoalescer(100, 1000);
        c.Offer(0, 100, 64_000, false, false, false, End, 0);
        Assert.False(c.Offer(20_000, 100, 64_000, false, false, false, End, 0));
        Assert.True(c.Offer(32_000, 100, 64_000, false, false, false, End, 0));
    }
}
