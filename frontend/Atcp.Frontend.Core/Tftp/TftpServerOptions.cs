namespace Atcp.Frontend.Tftp;

/// <summary>Server-wide TFTP choices.</summary>
public sealed record TftpServerOptions
{
    /// <summary>The service address (host-order number) the DATA packets come from.</summary>
    public uint ServiceIp { get; init; }

    /// <summary>Where read requests arrive (RFC 1350: 69).</summary>
    public ushort ListenPort { get; init; } = 69;

    /// <summary>MTU of the path to clients; blocks are limited to MTU - 32 (1468 for 1500).</summary>
    public int PathMtu { get; init; } = 1500;

    /// <summary>The boards' stored-checksum chunk size: negotiated block sizes are rounded down to a
    /// multiple of it (when at least one chunk) so checksums come from stored sums. 0 = no rounding.</summary>
    public int BlockSizeMultiple { get; init; }

    /// <summary>Largest windowsize offered (RFC 7440); the board keeps no copies, so this bounds a
    /// burst rather than memory.</summary>
    public int MaxWindowSize { get; init; } = 64;

    /// <summary>Timeout when the client did not negotiate one (RFC 2349): the ceiling of the board's
    /// adaptive retransmit timeout, and the unit of the OACK wait.</summary>
    public int DefaultTimeoutMs { get; init; } = 1000;

    /// <summary>How much silence ends a transfer (0..255): an unanswered OACK after (n + 1) timeouts;
    /// the board gives up after n + 1 doubling waits from the timeout (firmware DatagramSender).</summary>
    public int MaxRetransmissions { get; init; } = 5;

    /// <summary>First port of the transfer port range (server TIDs, RFC 1350 section 4).</summary>
    public ushort FirstTransferPort { get; init; } = 49152;

    /// <summary>Last port of the transfer port range.</summary>
    public ushort LastTransferPort { get; init; } = 65535;

    /// <summary>Sessions at once; beyond it requests get ERROR 0 "server busy".</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>Gives stream ids for new sessions (unique in the cluster, never 0). Default: a
    /// counter of this server from 1; set it to the dispatcher's allocator when other services
    /// share the id space.</summary>
    public Func<uint>? StreamIds { get; init; }

    /// <summary>Random source for transfer ports (RFC 1350 asks for randomly chosen TIDs). Default: shared.</summary>
    public Random? Random { get; init; }

    /// <summary>The defaults.</summary>
    public static TftpServerOptions Default { get; } = new();
}
