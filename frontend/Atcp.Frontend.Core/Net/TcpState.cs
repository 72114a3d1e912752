namespace Atcp.Frontend.Net;

/// <summary>RFC 9293 section 3.3.2 connection states, server side (we never open actively, so
/// SYN-SENT does not occur). A <see cref="TcpConnection"/> changes state in one place only
/// (its SetState), which also keeps the server's tables and counts in step.</summary>
public enum TcpState
{
    /// <summary>A listening port (the <see cref="TcpServer"/>; connections never hold it).</summary>
    Listen,
    /// <summary>SYN received, SYN-ACK sent, waiting for the client's ACK.</summary>
    SynReceived,
    /// <summary>Open both ways: requests in, replies out (ours or a board's).</summary>
    Established,
    /// <summary>Our FIN sent, not yet acknowledged; the client may still send.</summary>
    FinWait1,
    /// <summary>Our FIN acknowledged; waiting for the client's FIN.</summary>
    FinWait2,
    /// <summary>Both FINs sent, ours not yet acknowledged.</summary>
    Closing,
    /// <summary>Both FINs done; waiting 2 MSL so late segments die (RFC 9293 section 3.6).</summary>
    TimeWait,
    /// <summary>The client sent FIN; replies may still go out before our FIN.</summary>
    CloseWait,
    /// <summary>The client closed first and our FIN is sent, waiting for its ACK.</summary>
    LastAck,
    /// <summary>Gone: removed from the table.</summary>
    Closed,
}

/// <summary>Names of the states as RFC 9293 writes them, for logs.</summary>
public static class TcpStateNames
{
    /// <summary>"ESTABLISHED", "FIN-WAIT-1", and so on.</summary>
    public static string Name(TcpState state) => state switch
    {
        TcpState.Listen => "LISTEN",
        TcpState.SynReceived => "SYN-RECEIVED",
        TcpState.Established => "ESTABLISHED",
        TcpState.FinWait1 => "FIN-WAIT-1",
        TcpState.FinWait2 => "FIN-WAIT-2",
        TcpState.Closing => "CLOSING",
        TcpState.TimeWait => "TIME-WAIT",
        TcpState.CloseWait => "CLOSE-WAIT",
        TcpState.LastAck => "LAST-ACK",
        _ => "CLOSED",
    };
}
