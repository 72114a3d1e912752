namespace Atcp.Frontend.Net;

/// <summary>What to do when a connection times out.</summary>
public enum TimeoutAction
{
    /// <summary>Close gracefully: FIN after whatever replies are in progress.</summary>
    Close = 0,
    /// <summary>Reset at once (frees the slot now; the client sees "connection reset").</summary>
    Reset = 1,
}

/// <summary>Configuration of the front-end's user-space TCP/IP stack. Addresses are host-order
/// uints of their network-order bytes (198.18.0.1 is 0xC6120001). Times are milliseconds.</summary>
public sealed record NetStackOptions
{
    /// <summary>The stack's MAC address (6 bytes).</summary>
    public byte[] MacAddress { get; init; } = [0x02, 0, 0, 0, 0, 1];
    /// <summary>The service IP the stack owns (answers ARP for, terminates TCP on).</summary>
    public uint Address { get; init; }
    /// <summary>Prefix length of the on-link network (24 for 255.255.255.0).</summary>
    public int PrefixLength { get; init; } = 24;
    /// <summary>Default gateway for off-link clients; 0 when there is none.</summary>
    public uint Gateway { get; init; }
    /// <summary>Link MTU (IP packet size); our MSS is MTU - 40.</summary>
    public int Mtu { get; init; } = 1500;
    /// <summary>TTL of packets we originate (RFC 1700 / IANA default 64, as Linux).</summary>
    public byte Ttl { get; init; } = 64;

    /// <summary>How long a resolved ARP entry is used before it must be resolved again.</summary>
    public int ArpEntryLifetimeMs { get; init; } = 60_000;
    /// <summary>Interval between ARP requests for an unresolved address (RFC 1122 2.3.2.1: at most one per second).</summary>
    public int ArpRetryIntervalMs { get; init; } = 1000;
    /// <summary>ARP requests sent before an address is given up and its queued packets dropped.</summary>
    public int ArpMaxRequests { get; init; } = 3;
    /// <summary>Packets queued per unresolved address (RFC 1122 2.3.2.2 asks for at least one).</summary>
    public int ArpMaxQueuedPerAddress { get; init; } = 4;
    /// <summary>Addresses being resolved at once; beyond this new resolutions are refused.</summary>
    public int ArpMaxPending { get; init; } = 64;
    /// <summary>Entries in the ARP cache (resolved and pending).</summary>
    public int ArpMaxEntries { get; init; } = 1024;
    /// <summary>Gratuitous ARP announcements at start (RFC 5227 ANNOUNCE_NUM = 2).</summary>
    public int ArpAnnouncements { get; init; } = 2;
    /// <summary>Interval between announcements (RFC 5227 ANNOUNCE_INTERVAL = 2 s).</summary>
    public int ArpAnnounceIntervalMs { get; init; } = 2000;

    /// <summary>16-byte secret for ISNs (RFC 6528) and SYN cookies (RFC 4987). Random per start
    /// unless tests pin it.</summary>
    public byte[] Secret { get; init; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

    /// <summary>Our window scale shift (RFC 7323 section 2.3); sent only when the client offers the option.</summary>
    public int WindowScale { get; init; } = 7;
    /// <summary>Receive buffer per connection (request bytes); the advertised window is its free
    /// space. Requests are small: 16 KB holds a few pipelined ones and keeps 4096 connections at 64 MB.</summary>
    public int ReceiveBufferBytes { get; init; } = 16 * 1024;
    /// <summary>Out-of-order byte ranges held per connection beyond the in-order data.</summary>
    public int MaxOutOfOrderRanges { get; init; } = 8;
    /// <summary>Front-end-made reply bytes buffered per connection (unsent or unacknowledged).</summary>
    public int SendBufferBytes { get; init; } = 256 * 1024;
    /// <summary>Client ACKs held per connection while a delegated reply's size is unknown.</summary>
    public int MaxHeldAcks { get; init; } = 16;

    /// <summary>Live connections (all states but TIME-WAIT) per client address.</summary>
    public int MaxConnectionsPerClient { get; init; } = 64;
    /// <summary>Connection table size, TIME-WAIT included (the oldest TIME-WAIT entry is reused when full).</summary>
    public int MaxConnections { get; init; } = 4096;
    /// <summary>Connections in SYN-RECEIVED at once; past this, SYNs are answered with SYN cookies.</summary>
    public int SynBacklog { get; init; } = 256;
    /// <summary>SYN-ACK retransmissions before a half-open connection is dropped (as Linux tcp_synack_retries).</summary>
    public int SynAckRetries { get; init; } = 5;
    /// <summary>Retransmissions of our own data or FIN before the connection is reset.</summary>
    public int MaxRetransmissions { get; init; } = 8;

    /// <summary>TIME-WAIT length, 2 MSL (RFC 9293 section 3.4.2 suggests MSL = 2 min; Linux uses 60 s for 2 MSL).</summary>
    public int TimeWaitMs { get; init; } = 60_000;
    /// <summary>A connection with no segment from the client for this long is timed out; 0 disables.</summary>
    public int IdleTimeoutMs { get; init; } = 120_000;
    /// <summary>What an idle timeout does when no reply is in progress (with one in progress it resets).</summary>
    public TimeoutAction IdleAction { get; init; } = TimeoutAction.Close;
    /// <summary>Longest time request bytes may sit incomplete (see <see cref="TcpConnection.RequestComplete"/>); 0 disables.</summary>
    public int SlowRequestTimeoutMs { get; init; } = 10_000;
    /// <summary>What a slow-request timeout does.</summary>
    public TimeoutAction SlowRequestAction { get; init; } = TimeoutAction.Reset;
    /// <summary>Delayed ACK for client data (RFC 1122 4.2.3.2: under 500 ms; Linux about 40 ms); 0 = ACK at once.</summary>
    public int DelayedAckMs { get; init; } = 40;
    /// <summary>Out-of-window ACKs and challenge ACKs per connection per second (RFC 5961 section 7).</summary>
    public int ChallengeAcksPerSecond { get; init; } = 10;
    /// <summary>Whether segments to closed ports or unknown connections get a RST (RFC 9293 3.10.7.1).</summary>
    public bool ResetUnknownSegments { get; init; } = true;

    /// <summary>Our MSS: the MTU less the IPv4 and TCP headers without options.</summary>
    public int Mss => Mtu - 40;
}
