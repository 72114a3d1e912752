namespace Atcp.Frontend.Net;

/// <summary>Everything the stack counts: each drop reason has its own entry, so a metric tells
/// what was wrong with the frames that were thrown away.</summary>
public enum NetCounter
{
    /// <summary>Frames handed to <see cref="NetStack.OnFrame"/>.</summary>
    FramesReceived,
    /// <summary>Frames sent.</summary>
    FramesSent,
    /// <summary>Dropped: shorter than an Ethernet header.</summary>
    EthernetTruncated,
    /// <summary>Dropped: addressed to another unicast MAC.</summary>
    EthernetOtherDestination,
    /// <summary>Dropped: an EtherType other than IPv4 and ARP.</summary>
    EthernetUnknownType,

    /// <summary>ARP requests for our address answered.</summary>
    ArpRequestsAnswered,
    /// <summary>ARP replies received and used.</summary>
    ArpRepliesReceived,
    /// <summary>ARP requests we sent (resolution and announcements).</summary>
    ArpRequestsSent,
    /// <summary>Dropped: ARP packet too short.</summary>
    ArpTruncated,
    /// <summary>Dropped: ARP for other hardware or protocol address spaces.</summary>
    ArpUnsupported,
    /// <summary>Dropped: an ARP opcode other than request and reply.</summary>
    ArpUnknownOperation,
    /// <summary>Dropped: ARP with a broadcast, multicast or zero sender.</summary>
    ArpBadSender,
    /// <summary>Another host claimed our address (RFC 5227 conflict).</summary>
    ArpAddressConflict,
    /// <summary>Packets dropped because their next hop never answered ARP.</summary>
    ArpResolutionFailed,
    /// <summary>Packets dropped: the per-address ARP queue was full.</summary>
    ArpQueueFull,
    /// <summary>Packets dropped: too many addresses being resolved at once.</summary>
    ArpTooManyPending,
    /// <summary>Resolved ARP entries expired.</summary>
    ArpEntriesExpired,

    /// <summary>Dropped: IPv4 packet shorter than its header or total length.</summary>
    IPv4Truncated,
    /// <summary>Dropped: IP version other than 4.</summary>
    IPv4BadVersion,
    /// <summary>Dropped: inconsistent IHL or total length.</summary>
    IPv4BadLength,
    /// <summary>Dropped: bad header checksum.</summary>
    IPv4BadChecksum,
    /// <summary>Dropped: a fragment (this stack does not reassemble; we send with DF).</summary>
    IPv4Fragment,
    /// <summary>Dropped: addressed to another IP address.</summary>
    IPv4OtherDestination,
    /// <summary>Dropped: source address that cannot be a host (RFC 1122 3.2.1.3).</summary>
    IPv4BadSource,
    /// <summary>Dropped: IPv4 packet in a link-layer broadcast or multicast frame.</summary>
    IPv4LinkBroadcast,
    /// <summary>Dropped: protocol other than ICMP and TCP.</summary>
    IPv4UnknownProtocol,
    /// <summary>Dropped on output: off-link destination and no gateway.</summary>
    IPv4NoRoute,

    /// <summary>Echo requests answered.</summary>
    IcmpEchoReplied,
    /// <summary>Dropped: ICMP message too short or with a malformed quoted header.</summary>
    IcmpTruncated,
    /// <summary>Dropped: bad ICMP checksum.</summary>
    IcmpBadChecksum,
    /// <summary>Fragmentation-needed messages that lowered a connection's MSS.</summary>
    IcmpFragmentationNeeded,
    /// <summary>Ignored: fragmentation-needed for no known connection, a sequence not in flight, or no lower MTU.</summary>
    IcmpFragmentationNeededIgnored,
    /// <summary>Ignored: other ICMP types and codes.</summary>
    IcmpIgnored,

    /// <summary>TCP segments received and checked.</summary>
    TcpSegmentsReceived,
    /// <summary>TCP segments sent.</summary>
    TcpSegmentsSent,
    /// <summary>Dropped: TCP header truncated.</summary>
    TcpTruncated,
    /// <summary>Dropped: data offset below 5.</summary>
    TcpBadLength,
    /// <summary>Dropped: bad TCP checksum.</summary>
    TcpBadChecksum,
    /// <summary>Dropped: malformed TCP options.</summary>
    TcpBadOption,
    /// <summary>Segments to a port nobody listens on, or for no connection.</summary>
    TcpNoConnection,
    /// <summary>RSTs sent.</summary>
    TcpResetsSent,
    /// <summary>Connections established (handshake or cookie).</summary>
    TcpConnectionsEstablished,
    /// <summary>SYNs answered with a SYN cookie because the backlog was full.</summary>
    TcpSynCookiesSent,
    /// <summary>Connections created from a valid SYN cookie.</summary>
    TcpSynCookiesAccepted,
    /// <summary>Dropped: an ACK at a listener carrying an invalid or expired cookie.</summary>
    TcpSynCookiesRejected,
    /// <summary>Dropped SYN: the client has too many connections.</summary>
    TcpPerClientLimit,
    /// <summary>Dropped SYN: the connection table is full.</summary>
    TcpTableFull,
    /// <summary>Half-open connections dropped after their SYN-ACK retries.</summary>
    TcpSynAckTimeouts,
    /// <summary>Dropped: a segment outside the receive window (answered by an ACK).</summary>
    TcpOutOfWindow,
    /// <summary>Dropped: a segment without the ACK bit in a synchronized state.</summary>
    TcpNoAckBit,
    /// <summary>Dropped: an ACK beyond the highest known send point (seed Fig. 9, step 126).</summary>
    TcpAckBeyondSent,
    /// <summary>Client ACKs held while a delegated reply's size was unknown.</summary>
    TcpAcksHeld,
    /// <summary>Held ACKs dropped because the hold queue was full.</summary>
    TcpHeldAckOverflow,
    /// <summary>Client ACKs relayed to delegated reply owners.</summary>
    TcpAcksRelayed,
    /// <summary>Pure client ACKs skipped: a later ACK of the same connection received with them
    /// acknowledged more (<see cref="SupersededAcks"/>). Counted in TcpSegmentsReceived too.</summary>
    TcpAcksSuperseded,
    /// <summary>Dropped: an ACK older than anything in flight (RFC 5961 section 5).</summary>
    TcpAckTooOld,
    /// <summary>Out-of-order bytes dropped: the reassembly range table was full.</summary>
    TcpReassemblyOverflow,
    /// <summary>Duplicate request bytes trimmed.</summary>
    TcpDuplicateBytes,
    /// <summary>Connections reset by a valid RST from the client.</summary>
    TcpResetsAccepted,
    /// <summary>Dropped: RST outside the window.</summary>
    TcpResetsIgnored,
    /// <summary>Challenge ACKs sent (RFC 5961) for in-window RSTs or SYNs.</summary>
    TcpChallengeAcks,
    /// <summary>ACKs not sent because the per-connection challenge budget was spent.</summary>
    TcpChallengeAcksSuppressed,
    /// <summary>Segments of our own data or FIN sent again.</summary>
    TcpRetransmissions,
    /// <summary>Connections reset after too many retransmissions.</summary>
    TcpRetransmissionGiveUps,
    /// <summary>Connections timed out for idleness.</summary>
    TcpIdleTimeouts,
    /// <summary>Connections timed out because a request stayed incomplete too long.</summary>
    TcpSlowRequestTimeouts,
    /// <summary>Front-end bytes refused because the send buffer was full.</summary>
    TcpSendBufferFull,
    /// <summary>TIME-WAIT entries reused for a new connection because the table was full.</summary>
    TcpTimeWaitReused,
    /// <summary>Dropped: payload in a SYN (not queued; the client sends it again).</summary>
    TcpSynDataIgnored,
    /// <summary>UDP datagrams handed to the UDP handler.</summary>
    UdpDatagramsReceived,
    /// <summary>Dropped: UDP header truncated or longer than the IP payload.</summary>
    UdpTruncated,
    /// <summary>Dropped: UDP length field below 8.</summary>
    UdpBadLength,
    /// <summary>Dropped: bad UDP checksum.</summary>
    UdpBadChecksum,
    /// <summary>Dropped: UDP with no handler attached.</summary>
    UdpNoHandler,
    /// <summary>UDP datagrams sent (or queued behind ARP).</summary>
    UdpDatagramsSent,
    /// <summary>Dropped on output: UDP payload larger than the MTU allows (no fragmentation).</summary>
    UdpTooLarge,
}

/// <summary>The stack's counters, indexed by <see cref="NetCounter"/>.</summary>
public sealed class NetCounters
{
    readonly long[] _values = new long[Enum.GetValues<NetCounter>().Length];

    /// <summary>The current value of a counter.</summary>
    public long this[NetCounter counter] => _values[(int)counter];

    /// <summary>Adds one to a counter.</summary>
    public void Increment(NetCounter counter) => _values[(int)counter]++;

    /// <summary>Adds n to a counter.</summary>
    public void Add(NetCounter counter, long n) => _values[(int)counter] += n;

    /// <summary>Every counter with a nonzero value, for metrics and logs.</summary>
    public IEnumerable<KeyValuePair<NetCounter, long>> NonZero()
    {
        for (int i = 0; i < _values.Length; i++)
            if (_values[i] != 0) yield return new KeyValuePair<NetCounter, long>((NetCounter)i, _values[i]);
    }

    /// <summary>"Name=value" for every nonzero counter, one per line.</summary>
    public override string ToString() => string.Join("\n", NonZero().Select(p => p.Key + "=" + p.Value));
}
