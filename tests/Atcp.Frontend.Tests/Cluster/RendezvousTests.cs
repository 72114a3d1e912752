using Atcp.Frontend.Cluster;

namespace Atcp.Frontend.Tests.Cluster;

public class RendezvousTests
{
    static readonly string[] Names = Enumerable.Range(0, 4000).Select(i => $"objects/file-{i}.bin").ToArray();

    [Fact]
    public void Choice_IsStableForTheSameBoards()
    {
        ushort[] boards = [1, 2, 3, 4];
        foreach (var n in Names.Take(50))
            Assert.Equal(Rendezvous.Choose(boards, n, 2), Rendezvous.Choose(boards.Reverse(), n, 2));
    }

    [Fact]
    public void Objects_SpreadEvenlyOverBoards()
    {
        ushort[] boards = [1, 2, 3, 4, 5, 6, 7, 8];
        var counts = Names.GroupBy(n => Rendezvous.Choose(boards, n, 1)[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 500 * 0.8, 500 * 1.2));
    }

    [Fact]
    public void AddingABoard_MovesOnlyItsShare()
    {
        ushort[] before = [1, 2, 3, 4];
        ushort[] after = [1, 2, 3, 4, 5];
        int moved = 0;
        foreach (var n in Names)
        {
            var a = Rendezvous.Choose(before, n, 1)[0];
            var b = Rendezvous.Choose(after, n, 1)[0];
            if (a != b) { moved++; Assert.Equal((ushort)5, b); } // only ever to the new board
        }
        Assert.InRange(moved, Names.Length / 5 * 0.8, Names.Length / 5 * 1.2);
    }

    [Fact]
    public void TwoCopies_AreOnDistinctBoards()
    {
        foreach (var n in Names.Take(200))
        {
            var two = Rendezvous.Choose(new ushort[] { 1, 2, 3 }, n, 2);
            Assert.Equal(2, two.Distinct().Count());
        }
    }
}
