namespace Atcp.Linux;

/// <summary>A snapshot of a <see cref="PacketSocket"/>'s counters since it was opened.</summary>
public readonly record struct PacketSocketCounters
{
    /// <summary>Frames handed to the caller.</summary>
    public long FramesReceived { get; init; }
    /// <summary>Bytes of those frames.</summary>
    public long BytesReceived { get; init; }
    /// <summary>Frames the kernel accepted for transmission.</summary>
    public long FramesSent { get; init; }
    /// <summary>Bytes of those frames.</summary>
    public long BytesSent { get; init; }
    /// <summary>Frames the kernel dropped because the ring or receive buffer was full (tpacket_stats.tp_drops).</summary>
    public long KernelDrops { get; init; }
    /// <summary>Frames the kernel offered to the socket, dropped ones included (tpacket_stats.tp_packets).</summary>
    public long KernelPackets { get; init; }
    /// <summary>Received frames dropped for being longer than the ring slot or the caller's buffer.</summary>
    public long OversizeDrops { get; init; }
    /// <summary>Transmissions refused for now (EAGAIN, ENOBUFS: socket buffer or qdisc full).</summary>
    public long TransmitBusy { get; init; }
    /// <summary>Transmissions that failed otherwise (ENETDOWN, ENXIO, EMSGSIZE, ...).</summary>
    public long TransmitErrors { get; init; }
    /// <summary>Received frames whose checksum the kernel left for hardware to fill (TP_STATUS_CSUMNOTREADY).</summary>
    public long ChecksumNotReady { get; init; }
    /// <summary>System calls made on the data path (poll, recv, send, sendmmsg, statistics reads).</summary>
    public long Syscalls { get; init; }
    /// <summary>poll() calls among them.</summary>
    public long Polls { get; init; }
    /// <summary>sendmmsg() calls among them.</summary>
    public long SendBatches { get; init; }
}
