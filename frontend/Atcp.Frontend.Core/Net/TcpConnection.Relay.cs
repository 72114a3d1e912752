using System.Runtime.InteropServices;

namespace Atcp.Frontend.Net;

// The relay of client ACKs to the owners of delegated ranges: queued while a segment is processed
// (TcpConnection.Delegation.cs decides which ranges an ACK concerns), delivered by Flush once the
// stack is done with it. This runs for every client ACK, so nothing here allocates or copies more
// than it must.
public sealed partial class TcpConnection
{
    /// <summary>A client ACK to relay to a range's owner once the segment is processed: what the
    /// ACK said about the range; <see cref="DeliverRelays"/> adds rcv_nxt and our window as they are then.</summary>
    struct PendingRelay
    {
        public IDelegatedReplyOwner Owner;
        public uint ReplyStart, AckNumber;
        public long AcknowledgedInRange;
        public ushort WindowField;
        public bool RangeFullyAcknowledged, IsDuplicate, FinSeen, WasHeld;
        public int SackBlockCount;
        public SackBlockArray SackBlocks;
    }

    // One list, reused: its array is sized by the first relays and then only written.
    readonly List<PendingRelay> _relays = new();

    void QueueRelay(StreamItem item, long ackOffset, ushort window, in SackBlockArray sacks, int sackCount,
        bool duplicate, bool fin, bool held)
    {
        // Written in place in the list's array: no ~100-byte temporaries to zero and copy per ACK.
        int n = _relays.Count;
        CollectionsMarshal.SetCount(_relays, n + 1);
        ref PendingRelay relay = ref CollectionsMarshal.AsSpan(_relays)[n];
        relay.Owner = item.Owner!;
        relay.ReplyStart = SendSequenceOf(item.Start);
        relay.AckNumber = SendSequenceOf(ackOffset);
        relay.AcknowledgedInRange = item.Sized ? ackOffset - item.Start : 0;
        relay.RangeFullyAcknowledged = item.Sized && ackOffset >= item.End;
        relay.WindowField = window;
        relay.SackBlocks = sacks;
        relay.SackBlockCount = sackCount;
        relay.IsDuplicate = duplicate;
        relay.FinSeen = fin;
        relay.WasHeld = held;
    }

    /// <summary>Hands the relays queued so far to their owners. Relays an owner's callback causes
    /// are queued behind them and wait for Flush's next pass, as the other notifications do.</summary>
    void DeliverRelays(long now)
    {
        int count = _relays.Count;
        for (int i = 0; i < count; i++)
        {
            // Read through a reference, finished before the callback: a callback that queues a
            // relay may move the list's array.
            ref readonly PendingRelay relay = ref CollectionsMarshal.AsSpan(_relays)[i];
            IDelegatedReplyOwner owner = relay.Owner;
            var ack = new DelegatedAck
            {
                Connection = this,
                ReplyStart = relay.ReplyStart,
                AckNumber = relay.AckNumber,
                AcknowledgedInRange = relay.AcknowledgedInRange,
                RangeFullyAcknowledged = relay.RangeFullyAcknowledged,
                WindowField = relay.WindowField,
                WindowBytes = (long)relay.WindowField << _clientShift,
                SackBlocks = relay.SackBlocks,
                SackBlockCount = relay.SackBlockCount,
                IsDuplicate = relay.IsDuplicate,
                FinSeen = relay.FinSeen,
                WasHeld = relay.WasHeld,
                // rcv_nxt and our window as they are after the whole segment (its data and FIN).
                ReceiveNext = ReceiveNext,
                OurWindowField = WindowField(),
            };
            owner.OnClientAck(in ack, now);
        }
        _relays.RemoveRange(0, count);
    }
}
