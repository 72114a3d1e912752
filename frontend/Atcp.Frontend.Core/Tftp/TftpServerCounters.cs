namespace Atcp.Frontend.Tftp;

/// <summary>Counters of a <see cref="TftpServer"/>, for the console and metrics.</summary>
public sealed class TftpServerCounters
{
    /// <summary>Datagrams fed to Receive.</summary>
    public long DatagramsReceived { get; internal set; }
    /// <summary>Read requests that started or were refused (repeats excluded).</summary>
    public long ReadRequests { get; internal set; }
    /// <summary>Requests repeated by a client while its session ran.</summary>
    public long RepeatedRequests { get; internal set; }
    /// <summary>Requests refused with an ERROR (mode, write, options, busy, size).</summary>
    public long Refused { get; internal set; }
    /// <summary>Requests for names the catalog does not have.</summary>
    public long NotFound { get; internal set; }
    /// <summary>Datagrams that did not parse or made no sense where they arrived.</summary>
    public long Malformed { get; internal set; }
    /// <summary>Datagrams dropped without an answer (ERROR packets on port 69, unknown ports, port 0).</summary>
    public long Ignored { get; internal set; }
    /// <summary>Datagrams on a transfer port from another address or port (answered with ERROR 5).</summary>
    public long UnknownTransferIds { get; internal set; }
    /// <summary>Sessions created.</summary>
    public long SessionsStarted { get; internal set; }
    /// <summary>COMMAND_UDP delegations asked for.</summary>
    public long Delegations { get; internal set; }
    /// <summary>OACKs sent again for a repeated request.</summary>
    public long OptionAckResends { get; internal set; }
    /// <summary>Client ACKs relayed as DATAGRAM_ACK.</summary>
    public long AcksRelayed { get; internal set; }
    /// <summary>Client ACKs dropped (old, beyond the last block, unexpected before delegation).</summary>
    public long AcksDropped { get; internal set; }
    /// <summary>ERROR packets received from clients in a session.</summary>
    public long ClientErrors { get; internal set; }
    /// <summary>Sessions that ended complete.</summary>
    public long Completed { get; internal set; }
    /// <summary>Sessions that ended any other way.</summary>
    public long Failed { get; internal set; }

    internal void CountEnd(TftpEndReason reason)
    {
        if (reason == TftpEndReason.Completed) Completed++;
        else Failed++;
    }
}
