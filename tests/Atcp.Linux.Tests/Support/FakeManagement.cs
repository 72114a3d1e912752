using Atcp.Frontend.Engine;
using Atcp.Frontend.Management;

namespace Atcp.Linux.Tests.Support;

/// <summary>A management view with fixed content, recording the drain calls it gets.</summary>
public sealed class FakeManagement : IFrontendEngine, IFrontendManagement
{
    public readonly List<string> Calls = [];

    public EngineStatus Status { get; set; } = new()
    {
        State = "running",
        BoardsUp = 1,
        BoardsTotal = 2,
        Connections = 1,
        Counters = new Dictionary<string, long> { ["commands_sent"] = 1234, ["acks_relayed"] = 56 },
        Gauges = new Dictionary<string, double> { ["arp_entries"] = 3 },
    };

    public BoardStatus[] Boards { get; set; } =
    [
        new(7, "02:a7:c9:00:00:07", "up", false, "0.3.1", 450, 2, 8, 2, 1500),
        new(12, "02:a7:c9:00:00:0c", "down", true, "0.3.0", 125_000, 0, 8, 1, 20),
    ];

    public ConnectionStatus[] Connections { get; set; } =
    [
        new("198.18.0.50:49152", "ESTABLISHED", 3_500, 420, 1_048_576, 1, 7),
    ];

    public void OnFrame(byte[] frame, int length, long nowMs) { }
    public void OnTimer(long nowMs) { }
    public long NextDeadlineMs => long.MaxValue;
    public long TolerableAckWaitUs => 0;
    public IFrontendManagement Management => this;

    public EngineStatus GetStatus(long nowMs) => Status;
    public IReadOnlyList<BoardStatus> GetBoards(long nowMs) => Boards;
    public IReadOnlyList<ConnectionStatus> GetConnections(long nowMs) => Connections;

    public DrainOutcome Drain(ushort boardId, long nowMs) => Record("drain", boardId, true);
    public DrainOutcome Undrain(ushort boardId, long nowMs) => Record("undrain", boardId, false);

    DrainOutcome Record(string what, ushort id, bool draining)
    {
        Calls.Add(what + " " + id);
        int i = Array.FindIndex(Boards, b => b.Id == id);
        if (i < 0) return DrainOutcome.UnknownBoard;
        if (Boards[i].Draining == draining) return DrainOutcome.Unchanged;
        Boards[i] = Boards[i] with { Draining = draining };
        return DrainOutcome.Changed;
    }
}
