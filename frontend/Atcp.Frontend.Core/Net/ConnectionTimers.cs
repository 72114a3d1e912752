namespace Atcp.Frontend.Net;

/// <summary>The connections' timers for <see cref="TcpServer"/>: each connection's next deadline,
/// cached, in a binary min-heap, so the daemon's per-round question "when is the next timer?" costs
/// O(1) instead of a walk over every connection. A connection whose timers may have changed is
/// marked dirty (<see cref="MarkDirty"/>, from its timer fields' setters and state changes); the
/// dirty ones are recomputed before any query, so a cached deadline is never stale when read.
/// Also counts the connections sending bytes of their own (<see cref="AnySendingOwnBytes"/>),
/// refreshed the same way.</summary>
sealed class ConnectionTimers
{
    // The heap holds each deadline next to its connection, so sifting compares within this array
    // instead of reading a connection object per comparison (cache misses with many connections).
    struct Entry
    {
        public long Deadline;
        public TcpConnection Connection;
    }

    Entry[] _heap = new Entry[16];
    int _count;
    // The dirty connections, linked through TcpConnection.NextDirty: marking one (every ACK) then
    // touches no list object or array, only this and the connection itself.
    TcpConnection? _firstDirty;
    readonly List<TcpConnection> _due = new();
    readonly List<int> _stack = new();
    int _sendingOwnBytes;

    /// <summary>Connections with a deadline (tests and diagnostics).</summary>
    public int Count => _count;

    /// <summary>The connection's deadline or own-bytes state may have changed: recompute it before
    /// the next query. Cheap and idempotent, so it may be called on every change.</summary>
    public void MarkDirty(TcpConnection connection)
    {
        if (connection.TimersDirty) return;
        connection.TimersDirty = true;
        connection.NextDirty = _firstDirty;
        _firstDirty = connection;
    }

    /// <summary>The earliest deadline among the connections.</summary>
    public long NextDeadline()
    {
        Refresh();
        return _count > 0 ? _heap[0].Deadline : long.MaxValue;
    }

    /// <summary>True when some connection in the table sends bytes the front-end made.</summary>
    public bool AnySendingOwnBytes()
    {
        Refresh();
        return _sendingOwnBytes > 0;
    }

    /// <summary>The connections due at now, in the order they were created (a fixed order, as the
    /// walk of the connection table this replaces had). The list is reused: read it before the
    /// next call.</summary>
    public List<TcpConnection> CollectDue(long now)
    {
        Refresh();
        _due.Clear();
        if (_count == 0 || _heap[0].Deadline > now) return _due;
        // Only the subtrees whose root is due can hold due connections.
        _stack.Clear();
        _stack.Add(0);
        while (_stack.Count > 0)
        {
            int i = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            if (i >= _count || _heap[i].Deadline > now) continue;
            _due.Add(_heap[i].Connection);
            _stack.Add(2 * i + 1);
            _stack.Add(2 * i + 2);
        }
        // Insertion sort by creation: few connections fall due in the same round.
        for (int i = 1; i < _due.Count; i++)
        {
            var c = _due[i];
            int j = i - 1;
            for (; j >= 0 && _due[j].Order > c.Order; j--) _due[j + 1] = _due[j];
            _due[j + 1] = c;
        }
        return _due;
    }

    void Refresh()
    {
        while (_firstDirty != null)
        {
            var c = _firstDirty;
            _firstDirty = c.NextDirty;
            c.NextDirty = null;
            c.TimersDirty = false;
            bool live = c.State != TcpState.Closed; // a closed connection has left the table
            bool sending = live && c.SendingOwnBytes;
            if (sending != c.CountedSendingOwnBytes)
            {
                c.CountedSendingOwnBytes = sending;
                _sendingOwnBytes += sending ? 1 : -1;
            }
            Update(c, live ? c.NextDeadline() : long.MaxValue);
        }
    }

    void Update(TcpConnection c, long deadline)
    {
        int i = c.HeapIndex;
        long old = c.CachedDeadline;
        c.CachedDeadline = deadline;
        if (deadline == long.MaxValue)
        {
            if (i >= 0) RemoveAt(i);
            return;
        }
        if (i < 0)
        {
            if (_count == _heap.Length) Array.Resize(ref _heap, _count * 2);
            SiftUp(_count++, new Entry { Deadline = deadline, Connection = c });
        }
        else if (deadline < old) SiftUp(i, new Entry { Deadline = deadline, Connection = c });
        else if (deadline > old) SiftDown(i, new Entry { Deadline = deadline, Connection = c });
    }

    void RemoveAt(int i)
    {
        _heap[i].Connection.HeapIndex = -1;
        Entry last = _heap[--_count];
        _heap[_count] = default;
        if (i == _count) return;
        // The last entry fills the hole, then moves whichever way its deadline says.
        if (i > 0 && last.Deadline < _heap[(i - 1) / 2].Deadline) SiftUp(i, last);
        else SiftDown(i, last);
    }

    // Moves entry from hole i toward the root until its parent is not later, and places it.
    void SiftUp(int i, Entry entry)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (_heap[parent].Deadline <= entry.Deadline) break;
            Place(_heap[parent], i);
            i = parent;
        }
        Place(entry, i);
    }

    // Moves entry from hole i toward the leaves until no child is earlier, and places it.
    void SiftDown(int i, Entry entry)
    {
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _heap[child + 1].Deadline < _heap[child].Deadline) child++;
            if (_heap[child].Deadline >= entry.Deadline) break;
            Place(_heap[child], i);
            i = child;
        }
        Place(entry, i);
    }

    void Place(Entry entry, int i)
    {
        _heap[i] = entry;
        entry.Connection.HeapIndex = i;
    }
}
