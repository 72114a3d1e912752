using Atcp.Firmware.Tcp;
using Atcp.Wire;

namespace Atcp.Firmware.Tcp
{
    /// <summary>The RFC 1071 partial sum of payload bytes that were just read from a medium into a
    /// frame, built from the medium's stored chunk sums wherever the range covers whole chunks.
    /// Only the edges (an unaligned start, an unaligned end that is not the object's end) and media
    /// without stored sums are summed by looping in managed code; both kinds of bytes are counted, so
    /// tests and the console can show how well blocks line up with the chunk grid. Shared by the
    /// pseudo-UDP packetizer and (after a planned refactor) the pseudo-TCP one.</summary>
    public sealed class PayloadChecksum
    {
        /// <summary>Payload bytes whose sum had to be computed by looping in managed code.</summary>
        public long BytesSummedInManagedCode;

        /// <summary>Payload bytes whose sum came from stored chunk sums.</summary>
        public long BytesSummedFromStore;

        /// <summary>Partial sum of the object range [objectOffset, objectOffset + count) of source,
        /// whose bytes are already in buffer[at..at+count): whole chunks from the store, edges from
        /// the bytes. The result is positioned as if the range started at an even message offset.</summary>
        public ushort Sum(IPayloadSource source, long objectOffset, int count, byte[] buffer, int at)
        {
            if (count <= 0) return 0;
            int chunk = source.ChunkSize;
            if (chunk <= 0) { BytesSummedInManagedCode += count; return InternetChecksum.Sum(buffer, at, count); }
            long end = objectOffset + count;
            int head = (int)((chunk - objectOffset % chunk) % chunk);
            if (head > count) head = count;
            long middleStart = objectOffset + head;
            // The store has a sum for the object's last, short chunk, so the middle may end at Size.
            long middleEnd = (end % chunk == 0 || end == source.Size) ? end : end - end % chunk;
            if (middleEnd < middleStart) middleEnd = middleStart;
            int middle = (int)(middleEnd - middleStart);
            int tail = count - head - middle;

            ushort sum = 0;
            if (head > 0) { sum = InternetChecksum.Sum(buffer, at, head); BytesSummedInManagedCode += head; }
            if (middle > 0)
            {
                ushort stored;
                if (source.TryGetStoredSum(middleStart, middle, out stored)) BytesSummedFromStore += middle;
                else { stored = InternetChecksum.Sum(buffer, at + head, middle); BytesSummedInManagedCode += middle; }
                sum = InternetChecksum.CombineAt(sum, stored, head);
            }
            if (tail > 0)
            {
                sum = InternetChecksum.CombineAt(sum, InternetChecksum.Sum(buffer, at + head + middle, tail), head + middle);
                BytesSummedInManagedCode += tail;
            }
            return sum;
        }

        /// <summary>Clears both counters.</summary>
        public void ResetCounters() { BytesSummedInManagedCode = 0; BytesSummedFromStore = 0; }
    }
}
