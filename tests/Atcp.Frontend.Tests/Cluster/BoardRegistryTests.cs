using Atcp.Frontend.Cluster;

namespace Atcp.Frontend.Tests.Cluster;

public class BoardRegistryTests
{
    static HelloInfo Hello(ushort id, uint epoch = 1, uint gen = 1, int active = 0, int max = 16) =>
        new(id, [2, 0, 0, 0, 0, (byte)id], "1.0.0", epoch, 10, gen, active, max, 1000,
            [new VolumeInfo(0, false, "disk", 1 << 30, 1 << 29, 3)]);

    static ObjectEntry Obj(string key) => new(key, 0, key, 100, "text/plain", "\"e\"", false);

    [Fact]
    public void Hello_FirstTime_AddsTheBoardAndAsksForItsInventory()
    {
        var r = new BoardRegistry();
        Assert.Equal(HelloOutcome.NewBoard, r.OnHello(Hello(1), 0));
        Assert.True(r.NeedsInventory(1));
        r.SetInventory(1, 1, [Obj("a")]);
        Assert.False(r.NeedsInventory(1));
        Assert.Equal(HelloOutcome.Refreshed, r.OnHello(Hello(1, gen: 1), 1000));
        Assert.Equal(HelloOutcome.Refreshed, r.OnHello(Hello(1, gen: 2), 2000));
        Assert.True(r.NeedsInventory(1));
    }

    [Fact]
    public void MissedHeartbeats_MarkTheBoardDown_AndItGetsNoWork()
    {
        var r = new BoardRegistry(3);
        r.OnHello(Hello(1), 0); r.SetInventory(1, 1, [Obj("a")]);
        r.OnHello(Hello(2), 0); r.SetInventory(2, 1, [Obj("a")]);
        Assert.Empty(r.Tick(3000));
        r.OnHello(Hello(2), 2500);
        var down = r.Tick(3001);
        Assert.Equal(new ushort[] { 1 }, down.Select(b => b.Id));
        Assert.Equal((ushort)2, r.Choose("a")!.Id);
        Assert.Equal(HelloOutcome.CameBack, r.OnHello(Hello(1), 4000));
        Assert.Equal(BoardHealth.Up, r.Find(1)!.Health);
    }

    [Fact]
    public void NextCheck_IsWhenTheLeastRecentlyHeardBoardMissesItsBeats()
    {
        var r = new BoardRegistry(3);
        Assert.Equal(long.MaxValue, r.NextCheckMs);
        r.OnHello(Hello(1), 0);
        r.OnHello(Hello(2), 400);
        Assert.Equal(3001, r.NextCheckMs);
        r.OnHello(Hello(1), 1000);
        Assert.Empty(r.Tick(3001)); // board 1 spoke since: nothing is down, the next check follows
        Assert.Equal(3401, r.NextCheckMs);
        Assert.Single(r.Tick(3401));
        Assert.Equal(4001, r.NextCheckMs);
        Assert.Single(r.Tick(4001));
        Assert.Equal(long.MaxValue, r.NextCheckMs); // nobody left to check
        r.OnHello(Hello(2), 5000);
        Assert.Equal(8001, r.NextCheckMs);
    }

    [Fact]
    public void Hello_WithNewBootEpoch_IsAReboot()
    {
        var r = new BoardRegistry();
        r.OnHello(Hello(1, epoch: 5), 0);
        Assert.Equal(HelloOutcome.Rebooted, r.OnHello(Hello(1, epoch: 6), 100));
    }

    [Fact]
    public void Draining_BoardGetsNoNewWork_ButKeepsItsObjectsKnown()
    {
        var r = new BoardRegistry();
        r.OnHello(Hello(1), 0); r.SetInventory(1, 1, [Obj("a")]);
        r.OnHello(Hello(2), 0); r.SetInventory(2, 1, [Obj("a")]);
        var first = r.Choose("a")!.Id;
        r.SetDraining(first, true);
        Assert.NotEqual(first, r.Choose("a")!.Id);
        r.SetDraining((ushort)(3 - first), true);
        Assert.Null(r.Choose("a"));
        Assert.NotNull(r.Lookup("a")); // still known: 503, not 404
    }

    [Fact]
    public void Choose_SkipsABoardAtItsStreamLimit()
    {
        var r = new BoardRegistry();
        r.OnHello(Hello(1), 0); r.SetInventory(1, 1, [Obj("a")]);
        r.OnHello(Hello(2), 0); r.SetInventory(2, 1, [Obj("a")]);
        var first = r.Choose("a")!.Id;
        r.OnHello(Hello(first, active: 16), 10);
        Assert.NotEqual(first, r.Choose("a")!.Id);
    }

    [Fact]
    public void Inventory_Replacement_ForgetsObjectsNoLongerHeld()
    {
        var r = new BoardRegistry();
        r.OnHello(Hello(1), 0);
        r.SetInventory(1, 1, [Obj("a"), Obj("b")]);
        r.SetInventory(1, 2, [Obj("b")]);
        Assert.Null(r.Lookup("a"));
        Assert.Null(r.Choose("a"));
        Assert.Equal(new[] { "b" }, r.AllObjects.Select(o => o.Key));
    }
}
