namespace Atcp.Frontend.Net;

/// <summary>A connection's request bytes: a ring of fixed capacity holding the in-order bytes not
/// yet read, and, at their place after them, out-of-order bytes waiting for the gap to fill.
/// Positions are stream offsets (0 = the first byte after the client's SYN). Out-of-order data is
/// stored only inside the window (capacity minus unread bytes), so it needs no memory of its own;
/// the number of separate out-of-order ranges is bounded (each range costs a table slot and SACK
/// space).</summary>
public sealed class ReceiveBuffer
{
    readonly byte[] _ring;
    readonly long[] _rangeStart;
    readonly long[] _rangeEnd;
    int _ranges;                 // out-of-order ranges, sorted, disjoint, not touching
    int _head;                   // ring index of the first unread byte
    long _readOffset;            // stream offset of the first unread byte
    int _count;                  // unread in-order bytes
    long _lastRangeTouched = -1; // start of the range that got the latest bytes (first SACK block, RFC 2018 section 4)

    /// <summary>A buffer of capacity bytes holding at most maxRanges out-of-order ranges.</summary>
    public ReceiveBuffer(int capacity, int maxRanges)
    {
        _ring = new byte[capacity];
        _rangeStart = new long[maxRanges];
        _rangeEnd = new long[maxRanges];
    }

    /// <summary>Total bytes the buffer holds.</summary>
    public int Capacity => _ring.Length;
    /// <summary>In-order bytes ready to read.</summary>
    public int Count => _count;
    /// <summary>Free space after the unread bytes: the receive window.</summary>
    public int Window => _ring.Length - _count;
    /// <summary>Stream offset of the next in-order byte expected (rcv_nxt).</summary>
    public long NextOffset => _readOffset + _count;
    /// <summary>Out-of-order ranges held.</summary>
    public int RangeCount => _ranges;
    /// <summary>Bytes held out of order.</summary>
    public long OutOfOrderBytes
    {
        get { long n = 0; for (int i = 0; i < _ranges; i++) n += _rangeEnd[i] - _rangeStart[i]; return n; }
    }

    /// <summary>Stores data that starts at stream offset, trimmed to [NextOffset, NextOffset + Window).
    /// Returns how far NextOffset advanced. duplicate gets the bytes dropped as already received,
    /// refused true when out-of-order bytes were dropped because the range table was full.</summary>
    public int Write(long offset, ReadOnlySpan<byte> data, out int duplicate, out bool refused)
    {
        refused = false;
        duplicate = 0;
        long next = NextOffset;
        if (offset < next)
        {
            long skip = Math.Min(next - offset, data.Length);
            duplicate = (int)skip;
            data = data[(int)skip..];
            offset = next;
        }
        long limit = next + Window;
        if (offset + data.Length > limit) data = data[..(int)Math.Max(0, limit - offset)];
        if (data.Length == 0) return 0;
        long end = offset + data.Length;
        duplicate += CountHeld(offset, end);
        if (offset > next && !AddRange(offset, end)) { refused = true; return 0; }
        Copy(offset, data);
        if (offset > next) return 0;
        // In order: the bytes join the readable part, swallowing any range they reach.
        long newEnd = end;
        while (_ranges > 0 && _rangeStart[0] <= newEnd)
        {
            newEnd = Math.Max(newEnd, _rangeEnd[0]);
            RemoveRange(0);
        }
        int advanced = (int)(newEnd - next);
        _count += advanced;
        return advanced;
    }

    /// <summary>Copies up to destination.Length unread bytes without consuming them.</summary>
    public int Peek(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _count);
        int first = Math.Min(n, _ring.Length - _head);
        _ring.AsSpan(_head, first).CopyTo(destination);
        if (n > first) _ring.AsSpan(0, n - first).CopyTo(destination[first..]);
        return n;
    }

    /// <summary>Drops n unread bytes (n is clamped to Count).</summary>
    public void Consume(int n)
    {
        n = Math.Clamp(n, 0, _count);
        _head = (_head + n) % _ring.Length;
        _readOffset += n;
        _count -= n;
    }

    /// <summary>Fills starts/ends with the out-of-order ranges as stream offsets, the most recently
    /// extended first, and returns how many were written.</summary>
    public int GetRanges(Span<long> starts, Span<long> ends)
    {
        int n = 0;
        int latest = -1;
        for (int i = 0; i < _ranges; i++)
            if (_rangeStart[i] <= _lastRangeTouched && _lastRangeTouched < _rangeEnd[i]) latest = i;
        if (latest >= 0 && n < starts.Length) { starts[n] = _rangeStart[latest]; ends[n] = _rangeEnd[latest]; n++; }
        for (int i = 0; i < _ranges && n < starts.Length; i++)
        {
            if (i == latest) continue;
            starts[n] = _rangeStart[i];
            ends[n] = _rangeEnd[i];
            n++;
        }
        return n;
    }

    /// <summary>Starts the stream at offset (after the handshake); the buffer must be empty.</summary>
    public void Reset(long offset)
    {
        _readOffset = offset;
        _count = 0;
        _head = 0;
        _ranges = 0;
        _lastRangeTouched = -1;
    }

    int CountHeld(long start, long end)
    {
        long held = 0;
        for (int i = 0; i < _ranges; i++)
            held += Math.Max(0, Math.Min(end, _rangeEnd[i]) - Math.Max(start, _rangeStart[i]));
        return (int)held;
    }

    bool AddRange(long start, long end)
    {
        // Merge with every range it overlaps or touches.
        int first = 0;
        while (first < _ranges && _rangeEnd[first] < start) first++;
        int last = first;
        while (last < _ranges && _rangeStart[last] <= end) last++;
        if (first == last)
        {
            if (_ranges == _rangeStart.Length) return false;
            Array.Copy(_rangeStart, first, _rangeStart, first + 1, _ranges - first);
            Array.Copy(_rangeEnd, first, _rangeEnd, first + 1, _ranges - first);
            _rangeStart[first] = start;
            _rangeEnd[first] = end;
            _ranges++;
        }
        else
        {
            long s = Math.Min(start, _rangeStart[first]);
            long e = Math.Max(end, _rangeEnd[last - 1]);
            for (int i = last - 1; i > first; i--) RemoveRange(i);
            _rangeStart[first] = s;
            _rangeEnd[first] = e;
        }
        _lastRangeTouched = start;
        return true;
    }

    void RemoveRange(int index)
    {
        Array.Copy(_rangeStart, index + 1, _rangeStart, index, _ranges - index - 1);
        Array.Copy(_rangeEnd, index + 1, _rangeEnd, index, _ranges - index - 1);
        _ranges--;
    }

    void Copy(long offset, ReadOnlySpan<byte> data)
    {
        int at = (int)((_head + (offset - _readOffset)) % _ring.Length);
        int first = Math.Min(data.Length, _ring.Length - at);
        data[..first].CopyTo(_ring.AsSpan(at));
        if (data.Length > first) data[first..].CopyTo(_ring);
    }
}
