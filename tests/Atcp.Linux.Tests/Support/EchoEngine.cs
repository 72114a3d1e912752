using System.Buffers.Binary;
using Atcp.Frontend.Engine;
using Atcp.Frontend.Management;

namespace Atcp.Linux.Tests.Support;

/// <summary>A test engine: echoes test frames (EtherType 0x88B6) back to their sender with the MACs
/// swapped, and every PeriodMs sends a heartbeat frame (sequence 0xFFFFFFFF) to broadcast. It
/// records which threads call it and whether a timer ever ran early, and offers two boards for the
/// management calls.</summary>
public sealed class EchoEngine(EngineContext context, int periodMs = 0) : IFrontendEngine, IFrontendManagement
{
    public const uint HeartbeatSequence = 0xFFFF_FFFF;
    readonly byte[] _out = new byte[2048];
    long _nextTimer = periodMs > 0 ? context.StartMs + periodMs : long.MaxValue;
    readonly Dictionary<ushort, bool> _draining = new() { [1] = false, [2] = true };

    public EngineContext Context => context;
    public long Echoed;
    public long Heartbeats;
    public long EarlyTimers;
    public Exception? ThrowOnFrame;
    public readonly HashSet<int> Threads = [];

    public long NextDeadlineMs => _nextTimer;
    /// <summary>What the loop's batching pause follows (settable by tests).</summary>
    public long TolerableAckWaitUs { get; set; }
    public bool PauseEndsOnBoardAnswer { get; set; }
    public IFrontendManagement Management => this;

    public void OnFrame(byte[] frame, int length, long nowMs)
    {
        lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
        if (ThrowOnFrame != null) throw ThrowOnFrame;
        if (length < 14 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != Frames.ExperimentalEtherType) return;
        frame.AsSpan(0, length).CopyTo(_out);
        frame.AsSpan(6, 6).CopyTo(_out);                  // destination: the sender
        context.MacAddress.CopyTo(_out.AsSpan(6));       // source: us
        if (context.Output.Send(_out.AsSpan(0, length))) Echoed++;
    }

    public void OnTimer(long nowMs)
    {
        lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
        if (nowMs < _nextTimer) EarlyTimers++;
        Frames.Fill(_out.AsSpan(0, 60), Frames.Broadcast, context.MacAddress, HeartbeatSequence);
        if (context.Output.Send(_out.AsSpan(0, 60))) Heartbeats++;
        _nextTimer = nowMs + periodMs;
    }

    public EngineStatus GetStatus(long nowMs)
    {
        lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
        return new EngineStatus
        {
            State = "echoing",
            BoardsUp = 1,
            BoardsTotal = 2,
            Counters = new Dictionary<string, long> { ["echoed"] = Echoed, ["heartbeats"] = Heartbeats },
            Gauges = new Dictionary<string, double> { ["period_ms"] = periodMs },
        };
    }

    public IReadOnlyList<BoardStatus> GetBoards(long nowMs) =>
        _draining.Select(p => new BoardStatus(p.Key, "02:a7:c9:00:00:0" + p.Key, "up", p.Value, "echo", 0, 0, 4, 1, 0)).ToArray();

    public IReadOnlyList<ConnectionStatus> GetConnections(long nowMs) => [];

    public DrainOutcome Drain(ushort boardId, long nowMs) => Set(boardId, true);

    public DrainOutcome Undrain(ushort boardId, long nowMs) => Set(boardId, false);

    DrainOutcome Set(ushort id, bool draining)
    {
        if (!_draining.TryGetValue(id, out bool was)) return DrainOutcome.UnknownBoard;
        _draining[id] = draining;
        return was == draining ? DrainOutcome.Unchanged : DrainOutcome.Changed;
    }
}

/// <summary>Builds <see cref="EchoEngine"/>s and keeps the last one for inspection.</summary>
public sealed class EchoEngineFactory(int periodMs = 0) : IFrontendEngineFactory
{
    public EchoEngine? Last { get; private set; }
    public Action<EchoEngine>? Configure { get; init; }

    public IFrontendEngine Create(EngineContext context)
    {
        var engine = new EchoEngine(context, periodMs);
        Configure?.Invoke(engine);
        return Last = engine;
    }
}
