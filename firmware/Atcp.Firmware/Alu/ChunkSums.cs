using Atcp.Wire;

namespace Atcp.Firmware.Alu
{
    /// <summary>Arithmetic on stored per-chunk Internet checksum partial sums (RFC 1071). An object
    /// is cut into chunks of chunkSize bytes from offset 0, the last one possibly short; chunk k's
    /// stored sum is InternetChecksum.Sum of its bytes as if its first byte were a word's high byte.
    /// A chunk placed at an odd position of the summed message contributes its sum byte-swapped
    /// (RFC 1071 section 2(B)), which CombineAt applies chunk by chunk, so odd chunk sizes work too.</summary>
    public static class ChunkSums
    {
        /// <summary>Number of chunks of an object (0 for an empty object).</summary>
        public static long ChunkCount(long objectSize, int chunkSize)
        {
            return ByteRange.PiecesFor(objectSize, chunkSize);
        }

        /// <summary>True when [start, end) is made of whole stored chunks: start on a chunk boundary
        /// and end on a chunk boundary or at the object's end, with 0 &lt;= start &lt;= end &lt;= objectSize.
        /// An empty range is summable anywhere in the object (its sum is 0).</summary>
        public static bool IsSummable(long start, long end, int chunkSize, long objectSize)
        {
            if (chunkSize < 1 || start < 0 || start > end || end > objectSize) return false;
            if (start == end) return true;
            return start % chunkSize == 0 && (end % chunkSize == 0 || end == objectSize);
        }

        /// <summary>Splits an arbitrary range [start, end) into an unaligned head [start, middleStart),
        /// a summable middle [middleStart, middleEnd) and an unaligned tail [middleEnd, end). The head
        /// and tail (each shorter than a chunk) must be summed from the bytes. When no whole chunk
        /// fits, middleStart = middleEnd = end and the head is the whole range.</summary>
        public static void Split(long start, long end, int chunkSize, long objectSize, out long middleStart, out long middleEnd)
        {
            middleStart = end;
            middleEnd = end;
            if (chunkSize < 1 || start < 0 || start > end || end > objectSize) return;
            long first = ByteRange.AlignUp(start, chunkSize);
            long last = end == objectSize ? end : ByteRange.AlignDown(end, chunkSize);
            if (first < 0 || first > last) return;
            middleStart = first;
            middleEnd = last;
        }

        /// <summary>Partial sum that the summable range [start, end) contributes to a message in which
        /// byte start sits at message position startPosition. sums[sumsOffset + i] holds the stored
        /// sum of chunk sumsFirstChunk + i, for sumsCount chunks. False (sum 0) when the range is
        /// not summable or needs chunks outside the given sums. Loops per chunk, not per byte.</summary>
        public static bool TryRangeSum(ushort[] sums, int sumsOffset, long sumsFirstChunk, int sumsCount,
            int chunkSize, long objectSize, long start, long end, long startPosition, out ushort sum)
        {
            sum = 0;
            if (!IsSummable(start, end, chunkSize, objectSize) || startPosition < 0) return false;
            if (start == end) return true;
            long firstChunk = start / chunkSize;
            long chunkCount = ByteRange.PiecesFor(end - start, chunkSize);
            if (firstChunk < sumsFirstChunk || sumsCount < 0) return false;
            long skip = firstChunk - sumsFirstChunk;
            if (skip > sumsCount || chunkCount > sumsCount - skip) return false;
            int index = sumsOffset + (int)skip;
            int stop = index + (int)chunkCount;
            ushort total = 0;
            long position = startPosition;
            while (index < stop)
            {
                total = InternetChecksum.CombineAt(total, sums[index], position);
                position += chunkSize;
                index++;
            }
            sum = total;
            return true;
        }
    }
}
