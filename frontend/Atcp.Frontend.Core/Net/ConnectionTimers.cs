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
    readonly List<TcpConnection> _heap = new();
    // The dirty connections, linked through TcpConnection.NextDirty: marking one (every ACK) then
    // touches no list object or array, only this and the connection itself.
    TcpConnection? _firstDirty;
    readonly List<TcpConnection> _due = new();
    readonly List<int> _stack = new();
    int _sendingOwnBytes;

    /// <summary>Connections with a deadline (tests and diagnostics).</summary>
    public int Count => _heap.Count;

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
        return _heap.Count > 0 ? _heap[0].CachedDeadline : long.MaxValue;
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
        if (_heap.Count == 0 || _heap[0].CachedDeadline > now) return _due;
        // Only the subtrees whose root is due can hold due connections.
        _stack.Clear();
        _stack.Add(0);
        while (_stack.Count > 0)
        {
            int i = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            if (i >= _heap.Count || _heap[i].CachedDeadline > now) continue;
            _due.Add(_heap[i]);
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
        if (deadline == long.MaxValue)
        {
            if (i >= 0) RemoveAt(i);
            c.CachedDeadline = long.MaxValue;
            return;
        }
        long old = c.CachedDeadline;
        c.CachedDeadline = deadline;
        if (i < 0)
        {
            c.HeapIndex = _heap.Count;
            _heap.Add(c);
            SiftUp(c.HeapIndex);
        }
        else if (deadline < old) SiftUp(i);
        else if (deadline > old) SiftDown(i);
    }

    void RemoveAt(int i)
    {
        var removed = _heap[i];
        int last = _heap.Count - 1;
        if (i != last)
        {
            Place(_heap[last], i);
            _heap.RemoveAt(last);
            SiftDown(i);
            SiftUp(i);
        }
        else _heap.RemoveAt(last);
        removed.HeapIndex = -1;
    }

    void SiftUp(int i)
    {
        var c = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (_heap[parent].CachedDeadline <= c.CachedDeadline) break;
            Place(_heap[parent], i);
            i = parent;
        }
        Place(c, i);
    }

    void SiftDown(int i)
    {
        var c = _heap[i];
        int n = _heap.Count;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && _heap[child + 1].CachedDeadline < _heap[child].CachedDeadline) child++;
            if (_heap[child].CachedDeadline >= c.CachedDeadline) break;
            Place(_heap[child], i);
            i = child;
        }
        Place(c, i);
    }

    void Place(TcpConnection c, int i)
    {
        _heap[i] = c;
        c.HeapIndex = i;
    }
}
