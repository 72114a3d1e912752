using System.Net;
using Microsoft.Extensions.Logging;

namespace Atcp.Frontend.Configuration;

/// <summary>The daemon's configuration as written: the "Frontend" section of
/// /etc/atcp/frontend.json, overridden by ATCP_Frontend__* environment variables and command-line
/// flags. Strings are checked and typed by <see cref="FrontendOptionsValidator"/>.</summary>
public sealed class FrontendOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Frontend";

    /// <summary>Network interface the service IP lives on (e.g. eth0).</summary>
    public string? Interface { get; set; }
    /// <summary>The service IPv4 address the appliance owns alone (never assigned to the kernel).</summary>
    public string? ServiceIp { get; set; }
    /// <summary>TCP port clients connect to.</summary>
    public int ServicePort { get; set; } = 80;
    /// <summary>Default gateway for off-link clients (optional).</summary>
    public string? Gateway { get; set; }
    /// <summary>Netmask of the service network: 255.255.255.0, /24 or 24.</summary>
    public string Netmask { get; set; } = "255.255.255.0";
    /// <summary>ATCP cluster id (decimal or 0x hex), 32 bits, not 0.</summary>
    public string? ClusterId { get; set; }
    /// <summary>File holding the 128-bit cluster key: 16 raw bytes, or 32 hex digits.</summary>
    public string ClusterKeyFile { get; set; } = "/etc/atcp/cluster.key";
    /// <summary>address:port of the management HTTP endpoint on the kernel stack.</summary>
    public string ManagementListen { get; set; } = "127.0.0.1:9100";
    /// <summary>Relay a client ACK to the board after this many (K) once a reply is past slow start.
    /// K = 32, T = 40 (2026-11-27, bench section 3 and the session note): the same throughput as
    /// K = 1 with about a tenth of the relay frames, each of which costs the daemon more than ten
    /// client ACKs; holding never exceeds a quarter of the board's reported window;
    /// duplicate ACKs, SACK, a window that could block the board and FIN are relayed at once whatever
    /// K is, and every ACK for a while at the start and after a loss.</summary>
    public int AckEvery { get; set; } = 32;
    /// <summary>Relay a held client ACK when no other came within this (T, ms), at most 4T after it.</summary>
    public int AckDelayMs { get; set; } = 40;
    /// <summary>Where the daemon keeps state across restarts (the ATCP boot epoch).</summary>
    public string StateDirectory { get; set; } = "/var/lib/atcp";
    /// <summary>Default of <see cref="RxBatchMicroseconds"/>.</summary>
    public const int DefaultRxBatchMicroseconds = 2000;
    /// <summary>After a round that handled frames, the engine loop lets the next frames collect
    /// in the RX ring this long (microseconds; 0 = off) and handles them together: one wake-up
    /// per batch instead of one per client ACK. The first frame after a quiet spell is handled at
    /// once. See frontend/Atcp.Frontend/README.md (performance).</summary>
    public int RxBatchMicroseconds { get; set; } = DefaultRxBatchMicroseconds;
    /// <summary>Default of <see cref="RxBatchMaxMicroseconds"/>.</summary>
    public const int DefaultRxBatchMaxMicroseconds = 100000;
    /// <summary>Longest batching pause (microseconds): the pause grows from
    /// <see cref="RxBatchMicroseconds"/> up to this while every reply is past slow start, free of
    /// loss and slow enough that its ACKs may wait (requests still end it at once). A value at or
    /// below RxBatchMicroseconds keeps the pause fixed.</summary>
    public int RxBatchMaxMicroseconds { get; set; } = DefaultRxBatchMaxMicroseconds;
    /// <summary>Bytes of the packet socket's RX ring.</summary>
    public int RxRingBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Frames sent per sendmmsg() at most.</summary>
    public int TxBatchSize { get; set; } = 64;
    /// <summary>Skip the qdisc (no tc shaping). Off by default.</summary>
    public bool QdiscBypass { get; set; }
    /// <summary>Receive frames for any MAC (needed only when the service MAC is not the interface's).</summary>
    public bool Promiscuous { get; set; }
    /// <summary>Open the packet socket inside this named network namespace (tests, lab setups).</summary>
    public string? NetworkNamespace { get; set; }
}

/// <summary>The configuration after validation, typed.</summary>
public sealed record FrontendSettings
{
    /// <summary>Service interface name.</summary>
    public required string Interface { get; init; }
    /// <summary>The service IPv4 address.</summary>
    public required IPAddress ServiceIp { get; init; }
    /// <summary>The service TCP port.</summary>
    public required int ServicePort { get; init; }
    /// <summary>Default gateway, or null.</summary>
    public IPAddress? Gateway { get; init; }
    /// <summary>Prefix length of the service network.</summary>
    public required int PrefixLength { get; init; }
    /// <summary>ATCP cluster id.</summary>
    public required uint ClusterId { get; init; }
    /// <summary>Path of the cluster key file.</summary>
    public required string ClusterKeyFile { get; init; }
    /// <summary>The 16-byte cluster key read from it.</summary>
    public required byte[] ClusterKey { get; init; }
    /// <summary>Management endpoint (kernel stack).</summary>
    public required IPEndPoint ManagementListen { get; init; }
    /// <summary>ACK relay K.</summary>
    public required int AckEvery { get; init; }
    /// <summary>ACK relay T, ms.</summary>
    public required int AckDelayMs { get; init; }
    /// <summary>State directory.</summary>
    public required string StateDirectory { get; init; }
    /// <summary>RX batching pause, microseconds (0: off).</summary>
    public int RxBatchMicroseconds { get; init; } = FrontendOptions.DefaultRxBatchMicroseconds;
    /// <summary>Longest RX batching pause, microseconds.</summary>
    public int RxBatchMaxMicroseconds { get; init; } = FrontendOptions.DefaultRxBatchMaxMicroseconds;
    /// <summary>RX ring bytes.</summary>
    public int RxRingBytes { get; init; } = 8 * 1024 * 1024;
    /// <summary>sendmmsg batch.</summary>
    public int TxBatchSize { get; init; } = 64;
    /// <summary>PACKET_QDISC_BYPASS.</summary>
    public bool QdiscBypass { get; init; }
    /// <summary>Promiscuous membership.</summary>
    public bool Promiscuous { get; init; }
    /// <summary>Namespace for the packet socket, or null.</summary>
    public string? NetworkNamespace { get; init; }
    /// <summary>Netmask in dotted form.</summary>
    public IPAddress Netmask
    {
        get
        {
            var bytes = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength));
            return new IPAddress(bytes);
        }
    }
    /// <summary>Cluster id as people write it (0x hex).</summary>
    public string ClusterIdText => "0x" + ClusterId.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
}
