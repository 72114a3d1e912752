namespace Atcp.Firmware.Alu
{
    /// <summary>Cuts a reply stream into TCP segments whose payload ends on chunk boundaries, so each
    /// segment's checksum can be built from stored chunk sums. The stream is an optional prefix
    /// (for example reply headers the board writes itself) followed by object bytes
    /// [RangeStart, RangeStart + RangeLength). Positions are stream offsets (0 = first prefix byte,
    /// the TCP sequence offset of the reply). Boundaries are a pure function of the starting
    /// position, so a retransmission from any acknowledged position is planned the same way.
    /// Reusable: Configure once per reply, Plan per segment; no allocation.</summary>
    public sealed class SegmentPlanner
    {
        long _prefixLength;
        long _rangeStart;
        long _rangeLength;
        long _objectSize;
        int _mss;
        int _chunkSize;

        /// <summary>Stream length: prefix plus range bytes.</summary>
        public long StreamLength;
        /// <summary>Stream position of the planned segment's first byte.</summary>
        public long SegmentStart;
        /// <summary>Bytes in the planned segment (1..MSS).</summary>
        public int SegmentLength;
        /// <summary>Prefix bytes at the start of the planned segment (prefix offset SegmentStart).</summary>
        public int PrefixBytes;
        /// <summary>Object offset of the segment's first payload byte (valid when PayloadLength > 0).</summary>
        public long PayloadOffset;
        /// <summary>Object bytes in the segment; they follow the prefix bytes, at segment position PrefixBytes.</summary>
        public int PayloadLength;
        /// <summary>True when the payload starts on a chunk boundary.</summary>
        public bool PayloadStartAligned;
        /// <summary>True when the payload ends on a chunk boundary or at the object's end (the short
        /// last chunk has its own stored sum).</summary>
        public bool PayloadEndAligned;

        /// <summary>Sets up a reply. Returns false (and plans nothing) for negative values, a range
        /// outside the object, an MSS or chunk size below 1, or a stream longer than long.MaxValue.</summary>
        public bool Configure(long prefixLength, long rangeStart, long rangeLength, long objectSize, int mss, int chunkSize)
        {
            StreamLength = 0;
            if (prefixLength < 0 || rangeStart < 0 || rangeLength < 0 || objectSize < 0) return false;
            if (mss < 1 || chunkSize < 1) return false;
            if (rangeStart > objectSize || rangeLength > objectSize - rangeStart) return false;
            if (prefixLength > long.MaxValue - rangeLength) return false;
            _prefixLength = prefixLength;
            _rangeStart = rangeStart;
            _rangeLength = rangeLength;
            _objectSize = objectSize;
            _mss = mss;
            _chunkSize = chunkSize;
            StreamLength = prefixLength + rangeLength;
            return true;
        }

        /// <summary>Plans the segment that starts at stream position position. False when position
        /// is outside [0, StreamLength). Rules, in order: the rest of the stream if it fits in one MSS;
        /// prefix only, if the MSS ends inside the prefix; otherwise the payload is cut at the last
        /// chunk boundary that fits; if none fits and the segment holds prefix bytes, the segment ends
        /// with the prefix (so payload starts aligned in the next one). When the MSS is below the
        /// chunk size stored sums cannot help: segments are full MSS and their payload sums must be
        /// computed from the bytes.</summary>
        public bool Plan(long position)
        {
            if (position < 0 || position >= StreamLength) return false;
            long remaining = StreamLength - position;
            long end;
            if (remaining <= _mss)
            {
                end = StreamLength;
            }
            else
            {
                long hardEnd = position + _mss;
                if (hardEnd <= _prefixLength)
                {
                    end = hardEnd;
                }
                else
                {
                    long payloadFrom = position > _prefixLength ? position - _prefixLength : 0;
                    long objectFrom = _rangeStart + payloadFrom;
                    long objectHardEnd = _rangeStart + (hardEnd - _prefixLength);
                    long aligned = ByteRange.AlignDown(objectHardEnd, _chunkSize);
                    if (_mss < _chunkSize) end = hardEnd;
                    else if (aligned > objectFrom) end = _prefixLength + (aligned - _rangeStart);
                    else if (position < _prefixLength) end = _prefixLength;
                    else end = hardEnd;
                }
            }
            SegmentStart = position;
            SegmentLength = (int)(end - position);
            if (position < _prefixLength)
            {
                long prefixEnd = ByteRange.Min(end, _prefixLength);
                PrefixBytes = (int)(prefixEnd - position);
            }
            else
            {
                PrefixBytes = 0;
            }
            PayloadLength = SegmentLength - PrefixBytes;
            long payloadStart = position + PrefixBytes - _prefixLength;
            PayloadOffset = _rangeStart + payloadStart;
            if (PayloadLength > 0)
            {
                long payloadEnd = PayloadOffset + PayloadLength;
                PayloadStartAligned = PayloadOffset % _chunkSize == 0;
                PayloadEndAligned = payloadEnd % _chunkSize == 0 || payloadEnd == _objectSize;
            }
            else
            {
                PayloadStartAligned = true;
                PayloadEndAligned = true;
            }
            return true;
        }
    }
}
