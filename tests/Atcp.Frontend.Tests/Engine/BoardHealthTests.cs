using Atcp.Frontend.Cluster;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>Board health runs on its own deadline (<see cref="BoardRegistry.NextCheckMs"/>): a
/// board that falls silent is down the moment its missed beats are up, and an idle front-end has
/// no periodic round in between (its loop sleeps until a timer is due, FrontendLoop).</summary>
public sealed class BoardHealthTests
{
    static readonly byte[] Data = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7)).ToArray();

    static SimulatedCluster Settled(int boards)
    {
        var c = new SimulatedCluster(boards, [("clip.bin", Data)]);
        c.Run(5000, () => c.FrontEnd.Dispatcher.Catalog.Count == 1
            && c.FrontEnd.Boards.Registry.Boards.Count() == boards
            && c.FrontEnd.Boards.Registry.Boards.All(b => !c.FrontEnd.Boards.Registry.NeedsInventory(b.Id)));
        c.Run(1500); // past the inventory exchange
        return c;
    }

    [Fact]
    public void Idle_TimersFallDue_OnlyForHealthChecks()
    {
        var c = Settled(2);
        int due = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (c.FrontEnd.NextDeadline <= c.Now) due++; // the daemon's loop would wake for a timer now
            c.Run(1);
        }

        // Boards beat every second and are down after 3 missed beats: a check every 2-3 s. A fixed
        // housekeeping round every 250 ms would be 40.
        Assert.InRange(due, 1, 8);
        Assert.All(c.FrontEnd.Boards.Registry.Boards, b => Assert.Equal(BoardHealth.Up, b.Health));
    }

    [Fact]
    public void SilentBoard_IsDownAsItsThirdBeatIsMissed_AndItsObjectComesFromTheOther()
    {
        var c = Settled(2);
        var registry = c.FrontEnd.Boards.Registry;
        var silent = c.Boards[0];
        c.Boards.Remove(silent);
        c.Run(5); // a HELLO already on the wire still arrives
        long lastHeard = registry.Find(silent.Config.BoardId)!.LastHeardMs;

        c.Run((int)(lastHeard + 3000 - c.Now));
        Assert.Equal(BoardHealth.Up, registry.Find(silent.Config.BoardId)!.Health);
        c.Run(2);
        Assert.Equal(BoardHealth.Down, registry.Find(silent.Config.BoardId)!.Health);
        Assert.Equal(BoardHealth.Up, registry.Find(c.Boards[0].Config.BoardId)!.Health);

        var client = c.AddClient(0xC6120064, 40100);
        client.Connect();
        client.Request("GET /clip.bin HTTP/1.1\r\nHost: storage\r\n\r\n");
        c.Run(10_000, () => client.Responses().Count == 1);
        var (head, body) = Assert.Single(client.Responses());
        Assert.StartsWith("HTTP/1.1 200", head);
        Assert.Equal(Data, body);
    }
}
