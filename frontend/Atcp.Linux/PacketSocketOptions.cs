namespace Atcp.Linux;

/// <summary>How a <see cref="PacketSocket"/> is opened. Defaults suit an appliance on a 1500-byte
/// MTU link.</summary>
public sealed class PacketSocketOptions
{
    /// <summary>Bytes of the PACKET_MMAP RX ring (TPACKET_V2). 0 receives with one recv() per frame
    /// instead (no ring; kept for comparison and for kernels without PACKET_MMAP).</summary>
    public int RxRingBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Frames queued by <see cref="PacketSocket.Enqueue"/> before the queue is flushed
    /// with one sendmmsg().</summary>
    public int TxBatchSize { get; init; } = 64;

    /// <summary>Kernel receive buffer (SO_RCVBUFFORCE) for the recv() path; 0 leaves the default.</summary>
    public int ReceiveBufferBytes { get; init; }

    /// <summary>PACKET_QDISC_BYPASS: hand frames straight to the driver, skipping the queueing
    /// discipline. Off by default so tc shaping and the qdisc's backpressure apply.</summary>
    public bool QdiscBypass { get; init; }

    /// <summary>Join the interface's promiscuous membership (PACKET_ADD_MEMBERSHIP), to see frames
    /// for other MAC addresses (a service MAC that is not the interface's own).</summary>
    public bool Promiscuous { get; init; }

    /// <summary>Refuse to open when the interface is administratively down (default), instead of
    /// opening a socket that sees nothing.</summary>
    public bool RequireUp { get; init; } = true;

    /// <summary>Open the socket inside this named network namespace (as made by <c>ip netns add</c>).
    /// The socket keeps the namespace after creation; the calling thread's namespace is unchanged.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Largest frame accepted on receive and transmit; 0 takes the interface MTU plus the
    /// 14-byte Ethernet header (plus 4 for one VLAN tag on receive).</summary>
    public int MaxFrameLength { get; init; }
}
