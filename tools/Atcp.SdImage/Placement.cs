using Atcp.Frontend.Cluster;

namespace Atcp.SdImage;

/// <summary>Which boards of a cluster hold an object: the front-end's rendezvous hashing
/// (frontend/Atcp.Frontend.Core/Cluster/Rendezvous.cs) over board ids 1..N, so the cards the tool
/// writes hold exactly what the front-end will ask each board for.</summary>
public sealed class Placement
{
    readonly ushort[] _boards;

    /// <summary>A cluster of boardCount boards (ids 1..boardCount) keeping copies copies of each object.</summary>
    public Placement(int boardCount, int copies)
    {
        if (boardCount < 1 || boardCount > 65534) throw new ArgumentOutOfRangeException(nameof(boardCount));
        if (copies < 1 || copies > boardCount) throw new ArgumentOutOfRangeException(nameof(copies));
        _boards = Enumerable.Range(1, boardCount).Select(i => (ushort)i).ToArray();
        Copies = copies;
    }

    /// <summary>The usual number of copies for a cluster: two, or one when there is one board.</summary>
    public static int DefaultCopies(int boardCount) => Math.Min(2, boardCount);

    /// <summary>Copies kept of each object.</summary>
    public int Copies { get; }

    /// <summary>Boards in the cluster.</summary>
    public int BoardCount => _boards.Length;

    /// <summary>The boards holding the object, the one the front-end asks first first.</summary>
    public ushort[] Holders(string objectName) => Rendezvous.Choose(_boards, objectName, Copies);

    /// <summary>True when board boardId holds the object.</summary>
    public bool Holds(int boardId, string objectName) => Array.IndexOf(Holders(objectName), (ushort)boardId) >= 0;
}
