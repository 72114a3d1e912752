namespace Atcp.Wire.Atcp
{
    /// <summary>Per-sender anti-replay state (SPEC.md section 3.2), after the IPsec sliding window
    /// (RFC 4303 section 3.4.3 and appendix A): the highest authenticated counter seen from each
    /// sender and a 64-bit map of which of the 64 counters at and below it were seen. A fixed table
    /// of senders (no collections, no allocation after construction), searched linearly: a board
    /// tracks one sender (the front-end), a front-end tracks its boards.</summary>
    public sealed class AtcpReplayWindow
    {
        /// <summary>How many counters below the highest are still accepted once each.</summary>
        public const int WindowSize = 64;

        readonly ushort[] senders;
        readonly ulong[] highest;
        readonly ulong[] seen;
        int count;

        /// <summary>A table with room for capacity senders.</summary>
        public AtcpReplayWindow(int capacity)
        {
            if (capacity < 1) capacity = 1;
            senders = new ushort[capacity];
            highest = new ulong[capacity];
            seen = new ulong[capacity];
        }

        /// <summary>Senders the table can track.</summary>
        public int Capacity { get { return senders.Length; } }

        /// <summary>Senders tracked now.</summary>
        public int Count { get { return count; } }

        /// <summary>Ok when counter from sender has not been seen and is not older than the window;
        /// Replayed otherwise, and also when the sender is new and the table is full (freshness
        /// cannot be proved without state, so the frame is refused). Changes nothing.</summary>
        public ParseStatus Check(ushort sender, ulong counter)
        {
            int i = IndexOf(sender);
            if (i < 0) return count < senders.Length ? ParseStatus.Ok : ParseStatus.Replayed;
            ulong top = highest[i];
            if (counter > top) return ParseStatus.Ok;
            ulong behind = top - counter;
            if (behind >= WindowSize) return ParseStatus.Replayed;
            return (seen[i] & (1UL << (int)behind)) != 0 ? ParseStatus.Replayed : ParseStatus.Ok;
        }

        /// <summary>Records counter as seen. Call only after the frame's tag verified and Check
        /// returned Ok. A counter above the highest slides the window (a new boot epoch, being
        /// 2^32 higher, clears it); one inside marks its bit.</summary>
        public void Accept(ushort sender, ulong counter)
        {
            int i = IndexOf(sender);
            if (i < 0)
            {
                if (count >= senders.Length) return;
                i = count++;
                senders[i] = sender;
                highest[i] = counter;
                seen[i] = 1;
                return;
            }
            ulong top = highest[i];
            if (counter > top)
            {
                ulong shift = counter - top;
                seen[i] = shift >= WindowSize ? 1UL : (seen[i] << (int)shift) | 1UL;
                highest[i] = counter;
            }
            else
            {
                ulong behind = top - counter;
                if (behind < WindowSize) seen[i] |= 1UL << (int)behind;
            }
        }

        /// <summary>The highest counter accepted from sender, or 0 when the sender is unknown.</summary>
        public ulong HighestCounter(ushort sender)
        {
            int i = IndexOf(sender);
            return i < 0 ? 0 : highest[i];
        }

        /// <summary>True when the table has state for sender.</summary>
        public bool Knows(ushort sender) { return IndexOf(sender) >= 0; }

        /// <summary>Drops a sender's state (e.g. a board removed from the cluster), freeing its slot.
        /// Its next frame is then accepted whatever its counter: only do this for senders that are gone.</summary>
        public void Forget(ushort sender)
        {
            int i = IndexOf(sender);
            if (i < 0) return;
            count--;
            senders[i] = senders[count];
            highest[i] = highest[count];
            seen[i] = seen[count];
        }

        /// <summary>Forgets every sender.</summary>
        public void Clear() { count = 0; }

        int IndexOf(ushort sender)
        {
            for (int i = 0; i < count; i++) if (senders[i] == sender) return i;
            return -1;
        }
    }
}
