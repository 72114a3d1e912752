namespace Atcp.Frontend.Cluster;

/// <summary>When to relay a client ACK to the board sending on the connection. Relaying every ACK
/// would cost a frame per client ACK; relaying too few starves the board's window. Relayed at once:
/// duplicate ACKs and ACKs with SACK blocks (loss recovery is time-critical), window changes, FIN,
/// the ACK that completes the reply, and an ACK that leaves half the client's window unrelayed.
/// Otherwise at most every <see cref="EveryAcks"/> ACKs or <see cref="MaxDelayMs"/> milliseconds.</summary>
public sealed class AckCoalescer
{
    /// <summary>Relay after this many coalesced ACKs (K).</summary>
    public int EveryAcks { get; }

    /// <summary>Relay a held ACK no later than this (T).</summary>
    public int MaxDelayMs { get; }

    uint _lastRelayedAck;
    uint _heldAck;
    ushort _lastWindow;
    int _held;
    long _heldSince;
    bool _hasRelayed;

    /// <summary>Coalesces with K = everyAcks and T = maxDelayMs; K = 1 relays every ACK.</summary>
    public AckCoalescer(int everyAcks, int maxDelayMs)
    {
        if (everyAcks < 1) throw new ArgumentOutOfRangeException(nameof(everyAcks));
        if (maxDelayMs < 0) throw new ArgumentOutOfRangeException(nameof(maxDelayMs));
        EveryAcks = everyAcks;
        MaxDelayMs = maxDelayMs;
    }

    /// <summary>ACKs held back now.</summary>
    public int Held => _held;

    /// <summary>When <see cref="Flush"/> must run for the held ACK, or long.MaxValue.</summary>
    public long Deadline => _held > 0 ? _heldSince + MaxDelayMs : long.MaxValue;

    /// <summary>Takes one client ACK; true when it must be relayed now (then it counts as relayed).
    /// windowBytes is the client's window in bytes and replyEnd the sequence number one past the
    /// reply's last byte.</summary>
    public bool Offer(uint ack, ushort rawWindow, long windowBytes, bool duplicate, bool hasSack, bool fin,
        uint replyEnd, long now)
    {
        bool urgent = duplicate || hasSack || fin || !_hasRelayed || rawWindow != _lastWindow || ack == replyEnd
            || (long)(uint)(ack - _lastRelayedAck) >= windowBytes / 2;
        _lastWindow = rawWindow;
        if (urgent || _held + 1 >= EveryAcks)
        {
            MarkRelayed(ack);
            return true;
        }
        if (_held == 0) _heldSince = now;
        _held++;
        _heldAck = ack;
        return false;
    }

    /// <summary>True when a held ACK is due at now; the caller relays <see cref="HeldAck"/>.</summary>
    public bool Flush(long now)
    {
        if (_held == 0 || now < _heldSince + MaxDelayMs) return false;
        MarkRelayed(_heldAck);
        return true;
    }

    /// <summary>The most recent ACK held back.</summary>
    public uint HeldAck => _heldAck;

    void MarkRelayed(uint ack)
    {
        _lastRelayedAck = ack;
        _hasRelayed = true;
        _held = 0;
    }
}
