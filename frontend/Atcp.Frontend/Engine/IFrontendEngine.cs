using Atcp.Frontend.Configuration;
using Microsoft.Extensions.Logging;

namespace Atcp.Frontend.Engine;

/// <summary>The protocol engine the daemon drives: user-space TCP/IP, HTTP and cluster control
/// behind one interface. All members are called on the daemon's single engine thread, never
/// concurrently, with the current time passed in (milliseconds of a monotonic clock).</summary>
public interface IFrontendEngine
{
    /// <summary>One received Ethernet frame: frame[0 .. length). The buffer is reused after the
    /// call returns: copy what must be kept.</summary>
    void OnFrame(byte[] frame, int length, long nowMs);

    /// <summary>The frames of one receive batch, in arrival order: as many <see cref="OnFrame"/>
    /// calls, unless the engine has a better way with frames that came together (the real one skips
    /// pure client ACKs that a later one of the same connection supersedes).</summary>
    void OnFrames(Atcp.Linux.FrameBatch batch, long nowMs)
    {
        for (int i = 0; i < batch.Count; i++) OnFrame(batch.Buffer(i), batch.Length(i), nowMs);
    }

    /// <summary>Runs timers that are due at nowMs (called when nowMs reaches <see cref="NextDeadlineMs"/>,
    /// possibly later, never earlier).</summary>
    void OnTimer(long nowMs);

    /// <summary>When the engine next needs <see cref="OnTimer"/>; long.MaxValue when it has nothing
    /// scheduled. The daemon's wait for frames never outlasts it.</summary>
    long NextDeadlineMs { get; }

    /// <summary>How long pure TCP ACKs from clients may wait in the receive ring before the engine
    /// sees them without slowing a transfer (microseconds; 0: at once; long.MaxValue: no limit).
    /// The loop's batching pause follows it between its bounds (--rx-batch-us, --rx-batch-max-us).
    /// Negative: no pause at all.</summary>
    long TolerableAckWaitUs { get; }

    /// <summary>Read after <see cref="TolerableAckWaitUs"/>: true when the pause must also end on a
    /// board's SERVICE_ACK or DONE, which do not end one otherwise (the engine awaits one from an
    /// idle board, see <see cref="Atcp.Linux.PacketSocket.Pause"/>).</summary>
    bool PauseEndsOnBoardAnswer => false;

    /// <summary>The management view and commands, called on the engine thread too.</summary>
    IFrontendManagement Management { get; }
}

/// <summary>Where the engine writes frames. Frames are copied and sent in one batch when the daemon
/// flushes, after each round of <see cref="IFrontendEngine.OnFrame"/> and
/// <see cref="IFrontendEngine.OnTimer"/> calls.</summary>
public interface IFrameSink
{
    /// <summary>Queues a copy of one whole Ethernet frame (destination MAC first, no FCS, at most
    /// <see cref="MaxFrameLength"/> bytes). False when the transmit queue is full and the kernel
    /// takes nothing now: the frame is dropped (and counted); TCP will retransmit.</summary>
    bool Send(ReadOnlySpan<byte> frame);

    /// <summary>Largest frame the interface carries (MTU + 14).</summary>
    int MaxFrameLength { get; }
}

/// <summary>What an engine is built from.</summary>
/// <param name="Settings">The validated configuration.</param>
/// <param name="MacAddress">The service interface's MAC address.</param>
/// <param name="Mtu">The service interface's MTU.</param>
/// <param name="Output">Where to send frames.</param>
/// <param name="ClusterKey">The 16-byte ATCP cluster key (SipHash-2-4 key).</param>
/// <param name="LoggerFactory">For the engine's logs.</param>
/// <param name="StartMs">The engine clock's value at start.</param>
public sealed record EngineContext(FrontendSettings Settings, byte[] MacAddress, int Mtu, IFrameSink Output,
    byte[] ClusterKey, ILoggerFactory LoggerFactory, long StartMs);

/// <summary>Builds the engine when the daemon starts. The real one lands with the dispatcher
/// (frontend/README.md); until then the daemon registers none and refuses to start.</summary>
public interface IFrontendEngineFactory
{
    /// <summary>Creates the engine for one run of the daemon.</summary>
    IFrontendEngine Create(EngineContext context);
}
