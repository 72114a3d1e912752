namespace Atcp.Emulation.W5500;

/// <summary>What the emulated W5500 saw: SPI traffic and frames in and out, drops by reason.
/// Written under the model's lock; reading while another thread works gives a recent value.</summary>
public sealed class W5500ModelCounters
{
    /// <summary>SPI transactions (chip select cycles).</summary>
    public long SpiTransactions;
    /// <summary>Bytes clocked, headers included.</summary>
    public long SpiBytes;
    /// <summary>Data-phase bytes written into the chip (MOSI).</summary>
    public long SpiDataBytesWritten;
    /// <summary>Data-phase bytes read out of the chip (MISO).</summary>
    public long SpiDataBytesRead;
    /// <summary>Transactions that ended inside an address or control phase.</summary>
    public long IncompleteSpiFrames;
    /// <summary>Frames stored in Socket 0's RX buffer.</summary>
    public long FramesReceived;
    /// <summary>Bytes of those frames.</summary>
    public long BytesReceived;
    /// <summary>Frames put on the wire (after padding).</summary>
    public long FramesTransmitted;
    /// <summary>Bytes of those frames.</summary>
    public long BytesTransmitted;
    /// <summary>Arriving frames the Sn_MR filters (MFEN, BCASTB, MMB, MIP6B) rejected.</summary>
    public long RxDroppedFiltered;
    /// <summary>Arriving frames that did not fit in the RX buffer.</summary>
    public long RxDroppedOverflow;
    /// <summary>Arriving frames while the link was down.</summary>
    public long RxDroppedLinkDown;
    /// <summary>Arriving frames while Socket 0 was not open in MACRAW mode.</summary>
    public long RxDroppedNotOpen;
    /// <summary>Arriving frames shorter than an Ethernet header or longer than the maximum.</summary>
    public long RxDroppedBadSize;
    /// <summary>Arriving frames while RSTn was low.</summary>
    public long RxDroppedInReset;
    /// <summary>SENDs whose frame was lost because the link was down.</summary>
    public long TxLostLinkDown;
    /// <summary>SENDs of more than the MACRAW MTU or the buffer size, not transmitted.</summary>
    public long TxDroppedOversize;
    /// <summary>SEND commands issued while the previous SEND was still in progress (a driver bug).</summary>
    public long OverlappingSends;
    /// <summary>Commands the model accepts but does not act on (TCP/UDP data, unknown values).</summary>
    public long UnsupportedCommands;
    /// <summary>Software resets through MR.RST.</summary>
    public long SoftwareResets;
    /// <summary>Releases of RSTn after holding it low.</summary>
    public long HardwareResets;
}
