namespace Atcp.Firmware.Tcp
{
    /// <summary>Ends segments on the payload source's chunk grid so that their checksums come from
    /// stored chunk sums. A stream is a prefix (for example an HTTP header, held in RAM) followed by
    /// the object range [rangeOffset, rangeOffset + rangeLength).</summary>
    public sealed class ChunkAlignedPlanner : ISegmentPlanner
    {
        int _prefixLength;
        long _rangeOffset;
        int _chunk;
        long _streamLength;

        /// <summary>Sets the stream shape; chunkSize 0 means no grid (segments take the largest size).</summary>
        public void Configure(int prefixLength, long rangeOffset, long rangeLength, int chunkSize)
        {
            _streamLength = prefixLength + rangeLength;
            _prefixLength = prefixLength;
            _rangeOffset = rangeOffset;
            _chunk = chunkSize;
        }

        /// <summary>Largest length up to maxPayload whose end lands on the chunk grid (or, when no
        /// grid boundary is reachable, maxPayload: the packetizer then sums the edge bytes).</summary>
        public int PayloadLength(long streamOffset, int maxPayload)
        {
            long end = streamOffset + maxPayload;
            // The last segment ends where the stream ends, on the grid or not.
            if (_chunk <= 0 || end <= _prefixLength || end >= _streamLength) return maxPayload;
            long objectEnd = _rangeOffset + (end - _prefixLength);
            long alignedObjectEnd = objectEnd - (objectEnd % _chunk);
            long alignedEnd = alignedObjectEnd - _rangeOffset + _prefixLength;
            if (alignedEnd <= streamOffset || alignedEnd < _prefixLength) return maxPayload;
            return (int)(alignedEnd - streamOffset);
        }
    }
}
