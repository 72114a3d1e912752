using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

/// <summary>The shared prefix pool keeps prefixes back to back: taking copies the bytes in,
/// releasing slides later prefixes down without changing them, and a prefix larger than the free
/// space is refused.</summary>
public class PrefixPoolTests
{
    static byte[] Bytes(int seed, int length)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    static byte[] Held(ReplyStream s) => s.PrefixBuffer.AsSpan(s.PrefixOffset, s.PrefixHeld).ToArray();

    [Fact]
    public void Take_WhenThereIsRoom_CopiesThePrefixAndCountsIt()
    {
        var slots = new[] { new ReplyStream(), new ReplyStream() };
        var pool = new PrefixPool(100, slots);
        var a = Bytes(1, 40);
        Assert.True(pool.Take(slots[0], a, 0, 40));
        a[0] ^= 0xFF; // the pool holds a copy
        Assert.Equal(40, pool.Used);
        Assert.Equal(40, slots[0].PrefixHeld);
        Assert.NotEqual(a[0], Held(slots[0])[0]);
    }

    [Fact]
    public void Take_LargerThanTheFreeSpace_IsRefusedAndChangesNothing()
    {
        var slots = new[] { new ReplyStream(), new ReplyStream() };
        var pool = new PrefixPool(100, slots);
        Assert.True(pool.Take(slots[0], Bytes(1, 60), 0, 60));
        Assert.False(pool.Take(slots[1], Bytes(2, 41), 0, 41));
        Assert.Equal(60, pool.Used);
        Assert.Equal(0, slots[1].PrefixHeld);
        Assert.True(pool.Take(slots[1], Bytes(2, 40), 0, 40)); // exactly the rest fits
        Assert.Equal(100, pool.Used);
    }

    [Fact]
    public void Release_OfAnEarlierPrefix_SlidesTheLaterOnesDownIntact_AndFreesItsBytes()
    {
        var slots = new[] { new ReplyStream(), new ReplyStream(), new ReplyStream() };
        var pool = new PrefixPool(300, slots);
        byte[] a = Bytes(1, 50), b = Bytes(2, 70), c = Bytes(3, 90);
        pool.Take(slots[0], a, 0, a.Length);
        pool.Take(slots[1], b, 0, b.Length);
        pool.Take(slots[2], c, 0, c.Length);

        pool.Release(slots[1]);
        Assert.Equal(140, pool.Used);
        Assert.Equal(0, slots[1].PrefixHeld);
        Assert.Null(slots[1].PrefixBuffer);
        Assert.Equal(a, Held(slots[0]));
        Assert.Equal(c, Held(slots[2]));
        Assert.Equal(50, slots[2].PrefixOffset);

        // The freed room is one piece: a prefix as large as all of it fits.
        Assert.True(pool.Take(slots[1], Bytes(4, 160), 0, 160));
        Assert.Equal(c, Held(slots[2]));
        pool.Release(slots[0]);
        Assert.Equal(c, Held(slots[2]));
        Assert.Equal(0, slots[2].PrefixOffset);
        Assert.Equal(Bytes(4, 160), Held(slots[1]));
    }

    [Fact]
    public void Release_OfAStreamHoldingNothing_ChangesNothing()
    {
        var slots = new[] { new ReplyStream(), new ReplyStream() };
        var pool = new PrefixPool(100, slots);
        pool.Take(slots[0], Bytes(1, 30), 0, 30);
        pool.Release(slots[1]);
        pool.Release(slots[1]);
        Assert.Equal(30, pool.Used);
        Assert.Equal(Bytes(1, 30), Held(slots[0]));
    }
}
