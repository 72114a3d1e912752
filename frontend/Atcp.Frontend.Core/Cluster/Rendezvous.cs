using System.Text;

namespace Atcp.Frontend.Cluster;

/// <summary>Rendezvous (highest random weight) hashing: every (board, object) pair gets a score and
/// an object goes to the boards with the highest scores. Adding a board moves only the objects for
/// which the new board now scores highest (about 1/N of them); removing one moves only its own.
/// The same function places content on cards (tools/sdimage, tools/testbed) and picks the board for
/// a request, so both agree.</summary>
public static class Rendezvous
{
    /// <summary>The score of board for the object name (UTF-8 bytes of the normalised name).</summary>
    public static ulong Score(ushort boardId, ReadOnlySpan<byte> objectName)
    {
        // FNV-1a over the name, then the board id mixed in, finished with SplitMix64 so that
        // neighbouring ids and names give unrelated scores.
        ulong h = 14695981039346656037UL;
        foreach (var b in objectName) { h ^= b; h *= 1099511628211UL; }
        h ^= (ulong)boardId * 0x9E3779B97F4A7C15UL;
        return Mix(h);
    }

    /// <summary>Score for a .NET string name.</summary>
    public static ulong Score(ushort boardId, string objectName) => Score(boardId, Encoding.UTF8.GetBytes(objectName));

    /// <summary>The count best boards among candidates for the object, best first.</summary>
    public static ushort[] Choose(IEnumerable<ushort> candidates, string objectName, int count)
    {
        var name = Encoding.UTF8.GetBytes(objectName);
        return candidates.Distinct()
            .Select(id => (id, score: Score(id, name)))
            .OrderByDescending(x => x.score).ThenBy(x => x.id)
            .Take(count).Select(x => x.id).ToArray();
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
