namespace Atcp.Frontend.Tftp;

/// <summary>Where a TFTP session is.</summary>
public enum TftpSessionState
{
    /// <summary>OACK sent from the transfer port; waiting for the client's ACK 0.</summary>
    WaitingForOptionAck,
    /// <summary>A board sends the DATA; client ACKs are relayed to it.</summary>
    Delegated,
    /// <summary>The client acknowledged the last block; waiting for the board's DONE, still relaying.</summary>
    Completing,
}

/// <summary>One read transfer as the front-end sees it (read-only view for logs and tests).</summary>
public sealed class TftpSession
{
    internal TftpSession(uint streamId, uint clientIp, ushort clientPort, ushort transferPort, string filename, TftpFile file,
        TftpAgreement agreement, int timeoutMs)
    {
        StreamId = streamId;
        ClientIp = clientIp;
        ClientPort = clientPort;
        TransferPort = transferPort;
        Filename = filename;
        File = file;
        Agreement = agreement;
        TimeoutMs = timeoutMs;
    }

    /// <summary>Stream id of the delegation.</summary>
    public uint StreamId { get; }
    /// <summary>Client address (host-order number).</summary>
    public uint ClientIp { get; }
    /// <summary>Client port (its TID).</summary>
    public ushort ClientPort { get; }
    /// <summary>Server port of the transfer (the server's TID).</summary>
    public ushort TransferPort { get; }
    /// <summary>The name the client asked for.</summary>
    public string Filename { get; }
    /// <summary>The file served.</summary>
    public TftpFile File { get; }
    /// <summary>Negotiated parameters.</summary>
    public TftpAgreement Agreement { get; }
    /// <summary>Retransmit timeout in ms (negotiated, or the default).</summary>
    public int TimeoutMs { get; }
    /// <summary>Current state.</summary>
    public TftpSessionState State { get; internal set; }
    /// <summary>Highest block the client acknowledged in order, unwrapped (0 before any).</summary>
    public long HighestAck { get; internal set; }
    /// <summary>ACKs relayed to the board.</summary>
    public int AcksRelayed { get; internal set; }
    /// <summary>OACKs sent again because the client repeated its request (never on a timer).</summary>
    public int OptionAckResends { get; internal set; }
    /// <summary>When the timer of the current state fires.</summary>
    public long Deadline { get; internal set; }
    /// <summary>The OACK bytes (resent as they are).</summary>
    internal byte[]? OptionAck { get; set; }
    /// <summary>The transfer handed to the board, once delegated.</summary>
    public TftpTransfer? Transfer { get; internal set; }

    /// <summary>Unwrapped number of the last DATA block.</summary>
    public uint LastBlock => (uint)(File.Size / Agreement.BlockSize + 1);

    /// <summary>Unwraps a 16-bit block number from the client to the 32-bit number nearest the
    /// highest acknowledged one (RFC 1350 numbers roll over from 65535 to 0 in long transfers; the
    /// board writes block mod 2^16). Acks move by at most a window, far less than 2^15.</summary>
    public long Unwrap(ushort block) => HighestAck + (short)(ushort)(block - (ushort)HighestAck);
}
