namespace Atcp.Frontend.Cluster;

/// <summary>How the front-end sees a board.</summary>
public enum BoardHealth
{
    /// <summary>Heard from recently; gets new work.</summary>
    Up,
    /// <summary>Missed too many heartbeats; gets no new work.</summary>
    Down,
}

/// <summary>What a HELLO (heartbeat) said, in host terms.</summary>
public sealed record HelloInfo(ushort BoardId, byte[] Mac, string FirmwareVersion, uint BootEpoch, long UptimeSeconds,
    uint InventoryGeneration, int ActiveStreams, int MaxStreams, int HeartbeatIntervalMs, IReadOnlyList<VolumeInfo> Volumes);

/// <summary>One volume of a board: a disk (object store) or a CD (ISO 9660).</summary>
public sealed record VolumeInfo(byte Id, bool IsCd, string Label, long CapacityBytes, long FreeBytes, long ObjectCount);

/// <summary>One object or CD file in a board's inventory. Key is the name clients use (see
/// <see cref="BoardRegistry"/>), Volume and Name say where the board finds it.</summary>
public sealed record ObjectEntry(string Key, byte Volume, string Name, long Size, string ContentType, string ETag, bool IsCd);

/// <summary>A board as the registry tracks it.</summary>
public sealed class BoardState
{
    internal BoardState(HelloInfo hello, long now) { Hello = hello; LastHeardMs = now; FirstHeardMs = now; }

    /// <summary>The latest HELLO.</summary>
    public HelloInfo Hello { get; internal set; }
    /// <summary>Board id.</summary>
    public ushort Id => Hello.BoardId;
    /// <summary>Up or down.</summary>
    public BoardHealth Health { get; internal set; } = BoardHealth.Up;
    /// <summary>Draining: streams in progress finish, nothing new is sent to it.</summary>
    public bool Draining { get; internal set; }
    /// <summary>When the last HELLO arrived.</summary>
    public long LastHeardMs { get; internal set; }
    /// <summary>When the board was first heard.</summary>
    public long FirstHeardMs { get; }
    /// <summary>Inventory generation the registry holds (0: none yet).</summary>
    public uint InventoryGeneration { get; internal set; }
    /// <summary>True when the board may get new work.</summary>
    public bool Eligible => Health == BoardHealth.Up && !Draining;
    internal Dictionary<string, ObjectEntry> Objects { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Objects the board holds, by key.</summary>
    public IReadOnlyDictionary<string, ObjectEntry> Inventory => Objects;
}

/// <summary>What a HELLO changed.</summary>
public enum HelloOutcome
{
    /// <summary>A known board, nothing new.</summary>
    Refreshed,
    /// <summary>A board heard for the first time.</summary>
    NewBoard,
    /// <summary>The board restarted (new boot epoch): its streams are gone.</summary>
    Rebooted,
    /// <summary>A board that was down is back.</summary>
    CameBack,
}

/// <summary>The boards of the cluster, found by their HELLO frames, their health by heartbeat, their
/// inventories, and the choice of board for an object. Pure logic: time is passed in.</summary>
public sealed class BoardRegistry
{
    readonly Dictionary<ushort, BoardState> _boards = new();
    readonly Dictionary<string, List<ushort>> _holders = new(StringComparer.Ordinal);

    /// <summary>A board missing this many heartbeat intervals is down.</summary>
    public int MissedBeatsForDown { get; }

    /// <summary>Tracks boards; missedBeatsForDown is N of "a board missing N beats is down".</summary>
    public BoardRegistry(int missedBeatsForDown = 3) { MissedBeatsForDown = missedBeatsForDown; }

    /// <summary>All boards, by id.</summary>
    public IEnumerable<BoardState> Boards => _boards.Values.OrderBy(b => b.Id);

    /// <summary>The board with this id, or null.</summary>
    public BoardState? Find(ushort id) => _boards.GetValueOrDefault(id);

    /// <summary>Takes a HELLO.</summary>
    public HelloOutcome OnHello(HelloInfo hello, long now)
    {
        if (!_boards.TryGetValue(hello.BoardId, out var b))
        {
            var added = new BoardState(hello, now);
            _boards[hello.BoardId] = added;
            _nextCheck = Math.Min(_nextCheck, DownAt(added));
            return HelloOutcome.NewBoard;
        }
        var outcome = HelloOutcome.Refreshed;
        if (hello.BootEpoch != b.Hello.BootEpoch) outcome = HelloOutcome.Rebooted;
        else if (b.Health == BoardHealth.Down) outcome = HelloOutcome.CameBack;
        b.Hello = hello;
        b.LastHeardMs = now;
        b.Health = BoardHealth.Up;
        _nextCheck = Math.Min(_nextCheck, DownAt(b)); // a shorter heartbeat may bring it forward
        return outcome;
    }

    // When a board not heard from since LastHeardMs is down: after MissedBeatsForDown intervals.
    long DownAt(BoardState b) => b.LastHeardMs + (long)Math.Max(100, b.Hello.HeartbeatIntervalMs) * MissedBeatsForDown + 1;

    long _nextCheck = long.MaxValue;

    /// <summary>When <see cref="Tick"/> next may find a board down: the earliest an up board misses
    /// its beats as of the last Tick (a HELLO since only moves a board's time later, so a Tick at
    /// this time may find nothing and look again).</summary>
    public long NextCheckMs => _nextCheck;

    /// <summary>True when the board's inventory is older than what its last HELLO announced.</summary>
    public bool NeedsInventory(ushort id) =>
        _boards.TryGetValue(id, out var b) && b.InventoryGeneration != b.Hello.InventoryGeneration;

    /// <summary>Marks boards that missed their heartbeats as down; returns those that just went down.</summary>
    public IReadOnlyList<BoardState> Tick(long now)
    {
        List<BoardState>? down = null; // made only when a board goes down
        long next = long.MaxValue;
        foreach (var b in _boards.Values)
        {
            if (b.Health != BoardHealth.Up) continue;
            long at = DownAt(b);
            if (now >= at)
            {
                b.Health = BoardHealth.Down;
                (down ??= new List<BoardState>()).Add(b);
            }
            else next = Math.Min(next, at);
        }
        _nextCheck = next;
        return down ?? (IReadOnlyList<BoardState>)Array.Empty<BoardState>();
    }

    /// <summary>Starts or stops draining a board; false when it is unknown.</summary>
    public bool SetDraining(ushort id, bool draining)
    {
        if (!_boards.TryGetValue(id, out var b)) return false;
        b.Draining = draining;
        return true;
    }

    /// <summary>Replaces a board's inventory with entries of the given generation.</summary>
    public void SetInventory(ushort id, uint generation, IEnumerable<ObjectEntry> entries)
    {
        if (!_boards.TryGetValue(id, out var b)) return;
        foreach (var key in b.Objects.Keys) RemoveHolder(key, id);
        b.Objects = new Dictionary<string, ObjectEntry>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            b.Objects[e.Key] = e;
            if (!_holders.TryGetValue(e.Key, out var list)) _holders[e.Key] = list = new List<ushort>();
            list.Add(id);
        }
        b.InventoryGeneration = generation;
    }

    /// <summary>Every known object key with one entry describing it (from the best holder).</summary>
    public IEnumerable<ObjectEntry> AllObjects =>
        _holders.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => Lookup(k)!).Where(e => e != null);

    /// <summary>An entry for the object, from any holder (eligible ones first), or null.</summary>
    public ObjectEntry? Lookup(string key)
    {
        if (!_holders.TryGetValue(key, out var ids)) return null;
        var best = ids.Select(id => _boards[id]).OrderByDescending(b => b.Eligible).First();
        return best.Objects[key];
    }

    /// <summary>The board to serve the object: among eligible holders, the highest rendezvous score
    /// that is not at its stream limit (then the next). Null when no eligible board holds it.</summary>
    public BoardState? Choose(string key) => Choose(key, null);

    /// <summary>As <see cref="Choose(string)"/>, skipping the boards in exclude (already tried).</summary>
    public BoardState? Choose(string key, IReadOnlySet<ushort>? exclude)
    {
        if (!_holders.TryGetValue(key, out var ids)) return null;
        // Disk objects were placed on cards by their plain name (tools/sdimage), so rank by it too.
        string placementName = key.StartsWith("disk:", StringComparison.Ordinal) ? key[5..] : key;
        var ranked = Rendezvous.Choose(ids.Where(id => _boards[id].Eligible && (exclude == null || !exclude.Contains(id))), placementName, int.MaxValue);
        foreach (var id in ranked)
        {
            var b = _boards[id];
            if (b.Hello.MaxStreams <= 0 || b.Hello.ActiveStreams < b.Hello.MaxStreams) return b;
        }
        return ranked.Length > 0 ? _boards[ranked[0]] : null;
    }

    void RemoveHolder(string key, ushort id)
    {
        if (!_holders.TryGetValue(key, out var list)) return;
        list.Remove(id);
        if (list.Count == 0) _holders.Remove(key);
    }
}
