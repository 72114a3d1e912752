using Atcp.Frontend.Cluster;
using Atcp.Frontend.Net;
using Atcp.Wire.Ethernet;

namespace Atcp.Frontend.Engine;

/// <summary>The appliance's whole protocol side, apart from I/O: the user-space TCP/IP of the
/// service address, HTTP, TFTP, the boards (ATCP), the delegation of replies and the relay of ACKs. One
/// thread drives it: frames in through <see cref="OnFrame"/>, timers through <see cref="Poll"/>,
/// frames out through the <see cref="IFrameOutput"/> given at construction. Time is passed in.</summary>
public sealed class FrontendEngine
{
    /// <summary>The TCP/IP stack.</summary>
    public NetStack Stack { get; }
    /// <summary>The boards' side.</summary>
    public BoardChannel Boards { get; }
    /// <summary>HTTP and delegation.</summary>
    public HttpDispatcher Dispatcher { get; }
    /// <summary>TFTP reads (null when disabled).</summary>
    public TftpDispatcher? Tftp { get; }
    /// <summary>Options in force.</summary>
    public FrontendOptions Options { get; }

    /// <summary>Builds the engine; nothing is sent until <see cref="Start"/>.</summary>
    public FrontendEngine(FrontendOptions options, IFrameOutput output)
    {
        Options = options;
        var registry = new BoardRegistry(options.MissedBeatsForDown);
        Dispatcher = new HttpDispatcher(options, new RegistryCatalog(registry));
        if (options.TftpEnabled)
        {
            Tftp = new TftpDispatcher(options, Dispatcher.Catalog, Dispatcher.NextStreamId);
            Dispatcher.IdHeldElsewhere = Tftp.Owns;
        }
        Boards = new BoardChannel(options, registry, output, new StreamMessageRouter(Dispatcher, Tftp));
        Dispatcher.Channel = Boards;
        Stack = new NetStack(options.Net, output, Dispatcher);
        if (Tftp != null)
        {
            Tftp.Channel = Boards;
            Tftp.Stack = Stack;
            Stack.UdpHandler = Tftp;
        }
    }

    /// <summary>Listens, announces the service address, asks the boards to say hello.</summary>
    public void Start(long now)
    {
        Stack.Tcp.Listen(Options.HttpPort);
        Stack.Start(now);
        Boards.RequestHellos(now);
    }

    /// <summary>One frame from the wire: ATCP to the boards' side, everything else to the stack.</summary>
    public void OnFrame(byte[] frame, int length, long now)
    {
        if (length >= EthernetHeader.Length && EthernetHeader.GetEtherType(frame, 0) == EtherType.Atcp)
            Boards.OnFrame(frame, length, now);
        else Stack.OnFrame(frame, length, now);
    }

    /// <summary>Frames received together, in arrival order, as <see cref="OnFrame"/> one by one,
    /// except that pure client ACKs a later ACK of the same connection among them supersedes are
    /// only counted (<see cref="NetStack.OnFrames"/>).</summary>
    public void OnFrames(ReadOnlySpan<byte[]> frames, ReadOnlySpan<int> lengths, long now) =>
        Stack.OnFrames(frames, lengths, now, _onFrame ??= OnFrame);

    Action<byte[], int, long>? _onFrame; // made once: OnFrames runs every loop round

    /// <summary>Runs due timers: each part whose own deadline has come (board health included, see
    /// <see cref="BoardRegistry.NextCheckMs"/>). A part that is not due is not called, so a held-ACK
    /// flush does not walk every connection, board and TFTP transfer, and an idle front-end wakes
    /// only for what is due (no periodic housekeeping round).</summary>
    public void Poll(long now)
    {
        if (Stack.NextDeadline() <= now) Stack.Poll(now);
        if (Boards.NextDeadline <= now) Boards.Poll(now);
        if (Dispatcher.NextDeadline <= now) Dispatcher.Poll(now);
        if (Tftp != null && Tftp.NextDeadline <= now) Tftp.Poll(now);
    }

    /// <summary>How long pure client ACKs may wait unseen (microseconds; long.MaxValue: no limit):
    /// the delegated replies' tolerance (<see cref="HttpDispatcher.TolerableAckWaitUs"/>), 0 while
    /// the front-end sends bytes of its own (its sender is clocked by those ACKs). Negative (no pause)
    /// while TFTP streams run (their boards' SERVICE_ACK and DONE do not end a pause; their clients'
    /// ACKs end one anyway). Read <see cref="PauseEndsOnBoardAnswer"/> after it.</summary>
    public long TolerableAckWaitUs
    {
        get
        {
            if (Tftp != null && Tftp.ActiveStreams > 0) return NoPause;
            long wait = Dispatcher.TolerableAckWaitUs;
            return wait > 0 && Stack.Tcp.AnySendingOwnBytes() ? 0 : wait;
        }
    }

    /// <summary><see cref="TolerableAckWaitUs"/> when the loop must not pause at all.</summary>
    public const long NoPause = -1;

    /// <summary>True when the pause <see cref="TolerableAckWaitUs"/> allows must end on a board's
    /// SERVICE_ACK or DONE: one is awaited from a board with nothing in flight
    /// (<see cref="HttpDispatcher.AwaitsIdleBoardAnswer"/>, as of the last TolerableAckWaitUs).</summary>
    public bool PauseEndsOnBoardAnswer => Dispatcher.AwaitsIdleBoardAnswer;

    /// <summary>When <see cref="Poll"/> next has work.</summary>
    public long NextDeadline =>
        Math.Min(Math.Min(Stack.NextDeadline(), Boards.NextDeadline), Math.Min(Dispatcher.NextDeadline, Tftp?.NextDeadline ?? long.MaxValue));
}
