using Atcp.Frontend.Cluster;
using Atcp.Frontend.Http;
using Atcp.Frontend.Net;
using Atcp.Wire.Atcp;

namespace Atcp.Frontend.Engine;

/// <summary>Where a delegated reply is.</summary>
public enum StreamPhase
{
    /// <summary>COMMAND sent, no SERVICE_ACK yet.</summary>
    Commanded,
    /// <summary>The board accepted and reported the size; it is sending.</summary>
    Running,
    /// <summary>Finished (DONE), refused, or aborted.</summary>
    Ended,
}

/// <summary>One reply a board sends on a client connection: the COMMAND (kept for retries), the
/// reply's place in the connection's sequence space, and the relay of the client's ACKs.</summary>
public sealed class DelegatedStream : IDelegatedReplyOwner
{
    readonly HttpDispatcher _dispatcher;

    internal DelegatedStream(HttpDispatcher dispatcher, uint id, HttpSession session, HttpDecision decision, AckCoalescer coalescer)
    {
        _dispatcher = dispatcher;
        Id = id;
        Session = session;
        Decision = decision;
        Coalescer = coalescer;
    }

    /// <summary>Stream id (unique in the cluster).</summary>
    public uint Id { get; }
    /// <summary>The client connection's session.</summary>
    public HttpSession Session { get; }
    /// <summary>What to send: prefix and object range.</summary>
    public HttpDecision Decision { get; }
    /// <summary>The board sending it.</summary>
    public ushort Board { get; internal set; }
    /// <summary>Boards that refused or did not answer.</summary>
    public HashSet<ushort> Tried { get; } = [];
    /// <summary>The reply's first sequence number.</summary>
    public uint Start { get; internal set; }
    /// <summary>Phase.</summary>
    public StreamPhase Phase { get; internal set; }
    /// <summary>Reply size once known.</summary>
    public long Size { get; internal set; } = -1;
    /// <summary>Bytes the board reported acknowledged.</summary>
    public long Acknowledged { get; internal set; }
    /// <summary>The COMMAND (resent with the Retransmission flag).</summary>
    internal AtcpCommandRepr Command { get; set; } = new();
    /// <summary>COMMANDs sent to the current board.</summary>
    internal int Attempts { get; set; }
    /// <summary>When to resend the COMMAND.</summary>
    internal long RetryAt { get; set; } = long.MaxValue;
    /// <summary>Every holder was busy: at <see cref="RetryAt"/> the best holder is asked again.</summary>
    internal bool WaitingForSlot { get; set; }
    /// <summary>When the COMMAND was first sent.</summary>
    public long StartedMs { get; internal set; }
    /// <summary>ACK relay policy for this stream.</summary>
    public AckCoalescer Coalescer { get; }
    /// <summary>The last client ACK seen (for a flush of a held one).</summary>
    internal DelegatedAck LastAck { get; set; }

    /// <summary>The client acknowledged the whole reply: only the board's DONE is awaited.</summary>
    public bool FinalAcked { get; internal set; }
    /// <summary>Client ACKs seen and CLIENT_ACK frames sent.</summary>
    public long ClientAcks { get; internal set; }
    /// <summary>CLIENT_ACK frames relayed.</summary>
    public long RelayedAcks { get; internal set; }

    /// <inheritdoc/>
    public void OnClientAck(in DelegatedAck ack, long now) => _dispatcher.OnClientAck(this, ack, now);

    /// <inheritdoc/>
    public void OnCancelled(TcpConnection connection, uint replyStart, CloseReason reason, long now) =>
        _dispatcher.OnStreamCancelled(this, reason, now);
}
