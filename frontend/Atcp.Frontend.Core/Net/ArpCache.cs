namespace Atcp.Frontend.Net;

/// <summary>The ARP cache (RFC 826) with resolution state: resolved entries expire after a
/// lifetime; an unresolved address holds a few queued frames (RFC 1122 2.3.2.2) while requests are
/// retried at most once a second (RFC 1122 2.3.2.1) a bounded number of times. The number of
/// entries and of addresses being resolved is bounded, so a scan of the network cannot grow it.
/// Pure bookkeeping: <see cref="NetStack"/> sends the requests and frames.</summary>
public sealed class ArpCache
{
    sealed class Entry
    {
        public readonly byte[] Mac = new byte[6];
        public bool Resolved;
        public long ExpiresAt;
        public Queue<byte[]>? Pending;
        public int Requests;
        public long NextRequestAt;
    }

    /// <summary>What <see cref="Enqueue"/> did with a frame.</summary>
    public enum EnqueueResult
    {
        /// <summary>Queued; a request for the address is already on its way.</summary>
        Queued,
        /// <summary>Queued, and this is a new resolution: send a request now.</summary>
        NewResolution,
        /// <summary>Dropped: the address's queue is full.</summary>
        QueueFull,
        /// <summary>Dropped: too many addresses are being resolved.</summary>
        TooManyPending,
    }

    readonly NetStackOptions _options;
    readonly Dictionary<uint, Entry> _entries = new();
    int _pending;
    // NextDeadline is asked every loop round; entries change only on ARP traffic and in Poll, so
    // the earliest deadline is recomputed only after a change.
    long _nextDeadline = long.MaxValue;
    bool _deadlineStale;

    /// <summary>A cache configured by options.</summary>
    public ArpCache(NetStackOptions options) => _options = options;

    /// <summary>Entries, resolved and pending.</summary>
    public int Count => _entries.Count;
    /// <summary>Addresses being resolved.</summary>
    public int PendingCount => _pending;

    /// <summary>Copies the MAC of a resolved, unexpired entry into mac; false otherwise.</summary>
    public bool TryGet(uint address, long now, Span<byte> mac)
    {
        if (!_entries.TryGetValue(address, out var entry) || !entry.Resolved || now >= entry.ExpiresAt) return false;
        entry.Mac.CopyTo(mac);
        return true;
    }

    /// <summary>True when the address has an entry (resolved or pending).</summary>
    public bool Contains(uint address) => _entries.ContainsKey(address);

    /// <summary>Records address at mac (RFC 826 merge): updates an existing entry; creates one only
    /// when create is set (the packet was for us). Returns the frames that were waiting for this
    /// address (their destination MAC still to fill), or null.</summary>
    public Queue<byte[]>? Learn(uint address, ReadOnlySpan<byte> mac, long now, bool create)
    {
        if (!_entries.TryGetValue(address, out var entry))
        {
            if (!create || !MakeRoom(now)) return null;
            entry = new Entry();
            _entries[address] = entry;
        }
        mac.CopyTo(entry.Mac);
        entry.ExpiresAt = now + _options.ArpEntryLifetimeMs;
        _deadlineStale = true;
        Queue<byte[]>? waiting = null;
        if (!entry.Resolved)
        {
            entry.Resolved = true;
            if (entry.Pending is not null) _pending--;
            waiting = entry.Pending;
            entry.Pending = null;
        }
        return waiting;
    }

    /// <summary>Queues a frame (or, with null, nothing: just starts resolving) for an address that
    /// has no usable entry.</summary>
    public EnqueueResult Enqueue(uint address, byte[]? frame, long now)
    {
        _deadlineStale = true;
        if (_entries.TryGetValue(address, out var entry) && !entry.Resolved)
        {
            if (frame is null) return EnqueueResult.Queued;
            if (entry.Pending!.Count >= _options.ArpMaxQueuedPerAddress) return EnqueueResult.QueueFull;
            entry.Pending.Enqueue(frame);
            return EnqueueResult.Queued;
        }
        if (_pending >= _options.ArpMaxPending) return EnqueueResult.TooManyPending;
        if (entry is null && !MakeRoom(now)) return EnqueueResult.TooManyPending;
        entry ??= new Entry();
        _entries[address] = entry;
        entry.Resolved = false;
        entry.Pending = new Queue<byte[]>();
        if (frame is not null) entry.Pending.Enqueue(frame);
        entry.Requests = 1;
        entry.NextRequestAt = now + _options.ArpRetryIntervalMs;
        _pending++;
        return EnqueueResult.NewResolution;
    }

    /// <summary>Expires entries and retries resolutions: adds to requests the addresses to ask for
    /// again; returns how many queued frames were dropped because their address never answered.
    /// expired gets the number of resolved entries that timed out.</summary>
    public int Poll(long now, List<uint> requests, out int expired)
    {
        _deadlineStale = true;
        int dropped = 0;
        expired = 0;
        List<uint>? remove = null;
        foreach (var (address, entry) in _entries)
        {
            if (entry.Resolved)
            {
                if (now >= entry.ExpiresAt) { (remove ??= new()).Add(address); expired++; }
                continue;
            }
            if (now < entry.NextRequestAt) continue;
            if (entry.Requests >= _options.ArpMaxRequests)
            {
                dropped += entry.Pending!.Count;
                (remove ??= new()).Add(address);
                _pending--;
                continue;
            }
            entry.Requests++;
            entry.NextRequestAt = now + _options.ArpRetryIntervalMs;
            requests.Add(address);
        }
        if (remove is not null) foreach (uint address in remove) _entries.Remove(address);
        return dropped;
    }

    /// <summary>The earliest time <see cref="Poll"/> has something to do.</summary>
    public long NextDeadline()
    {
        if (!_deadlineStale) return _nextDeadline;
        long t = long.MaxValue;
        foreach (var entry in _entries.Values) t = Math.Min(t, entry.Resolved ? entry.ExpiresAt : entry.NextRequestAt);
        _nextDeadline = t;
        _deadlineStale = false;
        return t;
    }

    // When full, the resolved entry closest to expiry makes room; pending ones are never evicted.
    bool MakeRoom(long now)
    {
        if (_entries.Count < _options.ArpMaxEntries) return true;
        uint victim = 0;
        long soonest = long.MaxValue;
        bool found = false;
        foreach (var (address, entry) in _entries)
        {
            if (!entry.Resolved || entry.ExpiresAt >= soonest) continue;
            soonest = entry.ExpiresAt;
            victim = address;
            found = true;
        }
        if (found) { _entries.Remove(victim); _deadlineStale = true; }
        return found;
    }
}
