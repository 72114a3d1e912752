using Atcp.Frontend.Net;

namespace Atcp.Frontend.Tests.Net;

/// <summary>The ARP cache's earliest deadline is cached between changes (the daemon asks for it
/// every loop round); it must follow every change exactly: learning, refreshing, resolving,
/// retrying, expiring and evicting.</summary>
public class ArpDeadlineTests
{
    static readonly byte[] Mac = [0x02, 0, 0, 0, 1, 10];
    static readonly NetStackOptions Options = new()
    {
        Address = 0xC6120001, MacAddress = [0x02, 0, 0, 0, 0, 1], ArpEntryLifetimeMs = 60_000, ArpRetryIntervalMs = 1000,
        ArpMaxRequests = 3, ArpMaxEntries = 2,
    };

    [Fact]
    public void NextDeadline_WhenAnEntryIsRefreshed_MovesWithIt()
    {
        var arp = new ArpCache(Options);
        arp.Learn(0xC612000A, Mac, 1000, create: true);
        Assert.Equal(61_000, arp.NextDeadline());

        arp.Learn(0xC612000A, Mac, 5000, create: false);

        Assert.Equal(65_000, arp.NextDeadline());
    }

    [Fact]
    public void NextDeadline_WhenAResolutionStartsAndIsAnswered_FollowsRetryThenExpiry()
    {
        var arp = new ArpCache(Options);
        Assert.Equal(long.MaxValue, arp.NextDeadline());

        arp.Enqueue(0xC612000B, null, 2000);
        Assert.Equal(3000, arp.NextDeadline());
        arp.Poll(3000, new List<uint>(), out _);
        Assert.Equal(4000, arp.NextDeadline());

        arp.Learn(0xC612000B, Mac, 3500, create: false);
        Assert.Equal(63_500, arp.NextDeadline());
    }

    [Fact]
    public void NextDeadline_WhenTheEntryExpires_IsGone()
    {
        var arp = new ArpCache(Options);
        arp.Learn(0xC612000A, Mac, 0, create: true);

        arp.Poll(60_000, new List<uint>(), out int expired);

        Assert.Equal(1, expired);
        Assert.Equal(long.MaxValue, arp.NextDeadline());
    }

    [Fact]
    public void NextDeadline_WhenTheEarliestEntryIsEvicted_IsTheNextOne()
    {
        var arp = new ArpCache(Options);
        arp.Learn(0xC612000A, Mac, 0, create: true);
        arp.Learn(0xC612000B, Mac, 100, create: true);
        Assert.Equal(60_000, arp.NextDeadline());

        arp.Learn(0xC612000C, Mac, 200, create: true); // full: the entry closest to expiry makes room

        Assert.False(arp.Contains(0xC612000A));
        Assert.Equal(60_100, arp.NextDeadline());
    }
}
