namespace Atcp.Firmware.Tcp
{
    /// <summary>The byte ranges above the cumulative ACK that the client reported with SACK
    /// (RFC 2018), in stream offsets, merged and sorted in a fixed table: no allocation, bounded
    /// memory. When the table is full the lowest ranges are kept (they matter most to recovery).</summary>
    public sealed class SackScoreboard
    {
        /// <summary>Most disjoint ranges remembered.</summary>
        public const int Capacity = 8;

        readonly long[] _start = new long[Capacity];
        readonly long[] _end = new long[Capacity];
        int _count;

        /// <summary>Number of disjoint ranges held.</summary>
        public int Count { get { return _count; } }

        /// <summary>Start offset of range i (inclusive).</summary>
        public long StartAt(int i) { return _start[i]; }

        /// <summary>End offset of range i (exclusive).</summary>
        public long EndAt(int i) { return _end[i]; }

        /// <summary>Highest SACKed offset (exclusive end), or -1 when empty.</summary>
        public long HighestEnd { get { return _count == 0 ? -1 : _end[_count - 1]; } }

        /// <summary>Forgets everything (new stream, or an RTO: RFC 2018 section 8 says the sender must
        /// not rely on SACKed data staying held by the receiver).</summary>
        public void Clear() { _count = 0; }

        /// <summary>Adds [start, end); returns true when it told us something new.</summary>
        public bool Add(long start, long end)
        {
            if (end <= start) return false;
            if (Covers(start, end)) return false;
            // Find insert position by start, then merge neighbours that touch or overlap.
            int i = 0;
            while (i < _count && _start[i] < start) i++;
            if (_count == Capacity)
            {
                if (i == Capacity) return false; // above everything we keep; drop it
                _count--; // drop the highest range to make room
            }
            for (int j = _count; j > i; j--) { _start[j] = _start[j - 1]; _end[j] = _end[j - 1]; }
            _start[i] = start; _end[i] = end; _count++;
            MergeAround();
            return true;
        }

        /// <summary>Drops everything below the cumulative ACK.</summary>
        public void AdvanceTo(long cumulativeAck)
        {
            int drop = 0;
            while (drop < _count && _end[drop] <= cumulativeAck) drop++;
            if (drop > 0)
            {
                for (int j = drop; j < _count; j++) { _start[j - drop] = _start[j]; _end[j - drop] = _end[j]; }
                _count -= drop;
            }
            if (_count > 0 && _start[0] < cumulativeAck) _start[0] = cumulativeAck;
        }

        /// <summary>True when [start, end) lies inside one SACKed range.</summary>
        public bool Covers(long start, long end)
        {
            for (int i = 0; i < _count; i++)
                if (_start[i] <= start && end <= _end[i]) return true;
            return false;
        }

        /// <summary>Start of the first SACKed range at or above offset, or -1.</summary>
        public long NextSackedAtOrAbove(long offset)
        {
            for (int i = 0; i < _count; i++)
                if (_end[i] > offset) return _start[i] > offset ? _start[i] : offset;
            return -1;
        }

        /// <summary>Bytes SACKed at or above offset.</summary>
        public long SackedBytesAbove(long offset)
        {
            long total = 0;
            for (int i = 0; i < _count; i++)
            {
                long s = _start[i] > offset ? _start[i] : offset;
                if (_end[i] > s) total += _end[i] - s;
            }
            return total;
        }

        void MergeAround()
        {
            int w = 0;
            for (int r = 1; r < _count; r++)
            {
                if (_start[r] <= _end[w])
                {
                    if (_end[r] > _end[w]) _end[w] = _end[r];
                }
                else
                {
                    w++;
                    _start[w] = _start[r]; _end[w] = _end[r];
                }
            }
            _count = w + 1;
        }
    }
}
