using Atcp.Frontend.Http;
using Atcp.Frontend.Net;

namespace Atcp.Frontend.Engine;

/// <summary>Everything the front-end engine needs to know, from the daemon's configuration.</summary>
public sealed record FrontendOptions
{
    /// <summary>The user-space TCP/IP stack: service address, MAC, netmask, gateway, limits.</summary>
    public required NetStackOptions Net { get; init; }
    /// <summary>ATCP cluster id.</summary>
    public uint ClusterId { get; init; } = 0xA7C90001;
    /// <summary>The 128-bit cluster key.</summary>
    public required byte[] ClusterKey { get; init; }
    /// <summary>This start's boot epoch (persisted and incremented by the daemon, SPEC 3.1).</summary>
    public uint BootEpoch { get; init; } = 1;
    /// <summary>HTTP port on the service address.</summary>
    public ushort HttpPort { get; init; } = 80;
    /// <summary>HTTP behaviour (routes, listings, server name).</summary>
    public HttpServerOptions Http { get; init; } = HttpServerOptions.Default;
    /// <summary>Host names the service answers to (absolute-form targets); empty accepts any Host.</summary>
    public IReadOnlyList<string> ServiceHosts { get; init; } = [];
    /// <summary>ACK relay: relay at most every K coalesced ACKs ...</summary>
    public int AckEvery { get; init; } = 4;
    /// <summary>... or T milliseconds.</summary>
    public int AckDelayMs { get; init; } = 5;
    /// <summary>A board missing this many heartbeats is down.</summary>
    public int MissedBeatsForDown { get; init; } = 3;
    /// <summary>Heartbeat interval asked of the boards, seconds.</summary>
    public int HeartbeatSeconds { get; init; } = 2;
    /// <summary>COMMAND retries without a SERVICE_ACK (SPEC 6.1: 100, 200, 400 ms) before another board.</summary>
    public int CommandRetries { get; init; } = 3;
    /// <summary>First COMMAND retry delay, doubled each time.</summary>
    public int CommandRetryMs { get; init; } = 100;
    /// <summary>Serve TFTP reads (RFC 1350, port 69) through the boards' datagram streams.</summary>
    public bool TftpEnabled { get; init; } = true;
    /// <summary>The boards' stored-checksum chunk size: TFTP block sizes are rounded down to a multiple of it.</summary>
    public int BoardChunkSize { get; init; } = 292;
    /// <summary>When every holder answered Busy ("try another board or later"), ask again after
    /// this many milliseconds ...</summary>
    public int BusyRetryMs { get; init; } = 10;
    /// <summary>... until the request has waited this long; then 503.</summary>
    public int BusyWaitMs { get; init; } = 5000;
}
