using System.Runtime.CompilerServices;

namespace Atcp.Frontend.Net;

/// <summary>Where the stack's frames go: whole Ethernet frames, destination MAC first, no FCS.
/// The appliance implements it over an AF_PACKET socket; tests over a list.</summary>
public interface IFrameOutput
{
    /// <summary>Sends one frame. The span is only valid during the call: copy it to keep it.</summary>
    void SendFrame(ReadOnlySpan<byte> frame);
}

/// <summary>Why a connection ended.</summary>
public enum CloseReason
{
    /// <summary>Both FINs exchanged and acknowledged (or TIME-WAIT ended).</summary>
    Normal,
    /// <summary>The client sent a valid RST.</summary>
    ResetByClient,
    /// <summary>We reset it: <see cref="TcpConnection.Abort"/> or a failed delegated reply.</summary>
    Aborted,
    /// <summary>Our own data or FIN went unacknowledged too many times.</summary>
    RetransmissionTimeout,
    /// <summary>No segment from the client for <see cref="NetStackOptions.IdleTimeoutMs"/>.</summary>
    IdleTimeout,
    /// <summary>A request stayed incomplete longer than <see cref="NetStackOptions.SlowRequestTimeoutMs"/>.</summary>
    SlowRequest,
    /// <summary>The handshake never completed (SYN-ACK retries spent).</summary>
    HandshakeTimeout,
}

/// <summary>Receives the UDP datagrams addressed to the service address (checksum verified).</summary>
public interface IUdpHandler
{
    /// <summary>A datagram from source:sourcePort to our port destinationPort; payload is valid only during the call.</summary>
    void OnDatagram(uint source, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload, long now);
}

/// <summary>The upper layer (the dispatcher): told about connection events. Callbacks run after the
/// stack has finished with the frame that caused them, so they may call back into the connection
/// (read, send, begin a delegated reply, close).</summary>
public interface ITcpEvents
{
    /// <summary>A connection reached ESTABLISHED.</summary>
    void OnConnected(TcpConnection connection, long now);
    /// <summary>New in-order request bytes are readable (<see cref="TcpConnection.Available"/>).</summary>
    void OnData(TcpConnection connection, long now);
    /// <summary>The client sent FIN (CLOSE-WAIT): no more request bytes will come. Finish the
    /// replies in progress, then <see cref="TcpConnection.Close"/>.</summary>
    void OnPeerClosed(TcpConnection connection, long now);
    /// <summary>The connection is gone (or in TIME-WAIT, which needs nothing from the upper layer).
    /// Delegated replies still open were cancelled through their owners just before.</summary>
    void OnClosed(TcpConnection connection, CloseReason reason, long now);
    /// <summary>An ICMP fragmentation-needed (RFC 1191) lowered the connection's path MTU. owner is
    /// the delegated reply whose bytes the quoted segment carried (relay the MTU to that board), or
    /// null when the segment was ours.</summary>
    void OnPathMtuReduced(TcpConnection connection, int mtu, IDelegatedReplyOwner? owner, long now);
}

/// <summary>The owner of a delegated reply range (the dispatcher's record of a COMMAND to a board).</summary>
public interface IDelegatedReplyOwner
{
    /// <summary>A client ACK concerning this range, to relay to the board.</summary>
    void OnClientAck(in DelegatedAck ack, long now);
    /// <summary>The connection ended before <see cref="TcpConnection.CompleteDelegatedReply"/>: tell
    /// the board to stop sending.</summary>
    void OnCancelled(TcpConnection connection, uint replyStart, CloseReason reason, long now);
}

/// <summary>One SACK block (RFC 2018): sequence numbers [Left, Right).</summary>
public readonly record struct SackBlock(uint Left, uint Right);

/// <summary>Up to four SACK blocks, inline (no allocation per ACK).</summary>
[InlineArray(4)]
public struct SackBlockArray
{
    SackBlock _first;
}

/// <summary>Everything a board needs to start a delegated reply (the COMMAND's TCP fields).</summary>
public readonly record struct DelegatedReplyStart
{
    /// <summary>S: the sequence number of the reply's first byte.</summary>
    public uint Sequence { get; init; }
    /// <summary>The acknowledgment number to put in the board's segments (our rcv_nxt).</summary>
    public uint AckNumber { get; init; }
    /// <summary>The window field the board's segments carry (our receive window, already shifted).</summary>
    public ushort WindowField { get; init; }
    /// <summary>The client's latest window field, unscaled as on the wire.</summary>
    public ushort ClientWindowField { get; init; }
    /// <summary>The client's window scale shift (0 when scaling is off).</summary>
    public int ClientWindowScale { get; init; }
    /// <summary>Bytes the client's window allows from S (its right edge minus S, never negative).</summary>
    public long ClientWindowFromStart { get; init; }
    /// <summary>Segment payload limit toward the client (its MSS, our MTU and path MTU applied).</summary>
    public int Mss { get; init; }
    /// <summary>Whether the client accepts SACK blocks (and sends them).</summary>
    public bool SackPermitted { get; init; }
    /// <summary>Smoothed RTT measured by the front-end (ms), 0 when unknown: a hint for the board's RTO.</summary>
    public int SmoothedRttMs { get; init; }
    /// <summary>Destination MAC for the board's frames (the client's, or the gateway's for an
    /// off-link client); null while ARP is resolving it (see <see cref="NetStack.TryGetNextHopMac"/>).</summary>
    public byte[]? NextHopMac { get; init; }
}

/// <summary>A client ACK relayed to the owner of a delegated range.</summary>
public readonly struct DelegatedAck
{
    /// <summary>The connection.</summary>
    public TcpConnection Connection { get; init; }
    /// <summary>S of the range this ACK was relayed for.</summary>
    public uint ReplyStart { get; init; }
    /// <summary>The ACK number as on the wire.</summary>
    public uint AckNumber { get; init; }
    /// <summary>Bytes of this range the ACK covers (0..size; for an unsized range 0).</summary>
    public long AcknowledgedInRange { get; init; }
    /// <summary>True when the ACK reaches the range's end (all of it acknowledged).</summary>
    public bool RangeFullyAcknowledged { get; init; }
    /// <summary>The client's window field, unscaled.</summary>
    public ushort WindowField { get; init; }
    /// <summary>The client's window in bytes (scaled).</summary>
    public long WindowBytes { get; init; }
    /// <summary>SACK blocks the segment carried (first <see cref="SackBlockCount"/> valid).</summary>
    public SackBlockArray SackBlocks { get; init; }
    /// <summary>How many SACK blocks are valid.</summary>
    public int SackBlockCount { get; init; }
    /// <summary>A duplicate ACK in the RFC 5681 sense (same ACK, no data, no FIN, same window, data outstanding).</summary>
    public bool IsDuplicate { get; init; }
    /// <summary>The segment carried the client's FIN.</summary>
    public bool FinSeen { get; init; }
    /// <summary>Our rcv_nxt now: the ACK number the board should use from now on.</summary>
    public uint ReceiveNext { get; init; }
    /// <summary>Our receive window field now, for the board's segments.</summary>
    public ushort OurWindowField { get; init; }
    /// <summary>True when the ACK arrived before the range's size and was held until it came.</summary>
    public bool WasHeld { get; init; }
}
