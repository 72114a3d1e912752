namespace Atcp.Frontend.Net;

// The timer fields, and what TcpServer's timer heap (ConnectionTimers) keeps about this connection.
// Every input of NextDeadline is written through a setter that marks the connection dirty, and so
// is every change of State (SetState) and of the bytes of our own in flight (Send, new ACKs): the
// heap recomputes a dirty connection before it answers any query, so its cached deadline can
// never be stale when read, and a timer armed anywhere fires on time.
public sealed partial class TcpConnection
{
    long _rtoDeadline = long.MaxValue;
    long _persistDeadline = long.MaxValue;
    long _timeWaitDeadline = long.MaxValue;
    long _delayedAckDeadline = long.MaxValue;
    long _lastReceiveAt;
    long _requestStartedAt = -1;

    /// <summary>Retransmission (or SYN-ACK retry) deadline, long.MaxValue when off.</summary>
    long RtoDeadline { get => _rtoDeadline; set { _rtoDeadline = value; TimersChanged(); } }
    /// <summary>Zero-window probe deadline, long.MaxValue when off.</summary>
    long PersistDeadline { get => _persistDeadline; set { _persistDeadline = value; TimersChanged(); } }
    /// <summary>End of TIME-WAIT (2 MSL), long.MaxValue outside it.</summary>
    long TimeWaitDeadline { get => _timeWaitDeadline; set { _timeWaitDeadline = value; TimersChanged(); } }
    /// <summary>When a delayed ACK goes out, long.MaxValue when none is pending.</summary>
    long DelayedAckDeadline { get => _delayedAckDeadline; set { _delayedAckDeadline = value; TimersChanged(); } }
    /// <summary>When the last acceptable segment arrived (idle timer).</summary>
    long LastReceiveAt { get => _lastReceiveAt; set { _lastReceiveAt = value; TimersChanged(); } }
    /// <summary>First byte of an incomplete request (slow-request timer), or -1.</summary>
    long RequestStartedAt { get => _requestStartedAt; set { _requestStartedAt = value; TimersChanged(); } }

    /// <summary>The deadline the timer heap holds (long.MaxValue: not in the heap).</summary>
    internal long CachedDeadline = long.MaxValue;
    /// <summary>Position in the timer heap, -1 when not in it.</summary>
    internal int HeapIndex = -1;
    /// <summary>True while queued for recomputation.</summary>
    internal bool TimersDirty;
    /// <summary>The next connection queued for recomputation (an intrusive list).</summary>
    internal TcpConnection? NextDirty;
    /// <summary>Whether the heap counts this connection as sending bytes of its own.</summary>
    internal bool CountedSendingOwnBytes;
    /// <summary>Creation order: due connections run their timers in it.</summary>
    internal readonly long Order;

    void TimersChanged()
    {
        if (!TimersDirty) _server.Timers.MarkDirty(this);
    }
}
