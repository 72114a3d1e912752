using System.Text.Json;
using System.Text.Json.Serialization;

// Shared with atcpctl (linked source): the JSON the management endpoint serves.
namespace Atcp.Frontend.Management;

/// <summary>GET /status.</summary>
public sealed record StatusResponse(DaemonStatus Daemon, DeviceStatus Device, EngineStatus? Engine);

/// <summary>The daemon itself. LoopPauses: RX batching pauses of the engine loop, PauseRequestWakes:
/// those a request ended early, LoopPauseMicroseconds: their lengths as asked, summed (/ LoopPauses: the
/// mean pause); ManagedBytesAllocated and GarbageCollections: the process's totals (flat under steady load).</summary>
public sealed record DaemonStatus(string Version, string Interface, string MacAddress, int Mtu, string ServiceIp,
    int ServicePort, string ClusterId, string ManagementListen, long UptimeSeconds, bool EngineRunning,
    long LoopIterations, long TimerRuns, long OutputDrops, long LoopPauses = 0, long ManagedBytesAllocated = 0,
    long GarbageCollections = 0, long PauseRequestWakes = 0, long LoopPauseMicroseconds = 0);

/// <summary>The packet socket's counters.</summary>
public sealed record DeviceStatus(long FramesReceived, long BytesReceived, long FramesSent, long BytesSent,
    long KernelDrops, long OversizeDrops, long TransmitBusy, long TransmitErrors, long Syscalls);

/// <summary>The engine's snapshot for management: a state word, headline numbers, and free-form
/// counters (monotonic) and gauges the engine chooses to expose (also exported as metrics).</summary>
public sealed record EngineStatus
{
    /// <summary>A word for people: "running", "starting", "degraded" ...</summary>
    public string State { get; init; } = "running";
    /// <summary>Boards that are up.</summary>
    public int BoardsUp { get; init; }
    /// <summary>Boards known.</summary>
    public int BoardsTotal { get; init; }
    /// <summary>Client connections open.</summary>
    public int Connections { get; init; }
    /// <summary>Monotonic counters by name (snake_case), e.g. "commands_sent".</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();
    /// <summary>Point-in-time values by name (snake_case), e.g. "arp_entries".</summary>
    public IReadOnlyDictionary<string, double> Gauges { get; init; } = new Dictionary<string, double>();
}

/// <summary>One board, GET /boards.</summary>
public sealed record BoardStatus(ushort Id, string MacAddress, string Health, bool Draining, string FirmwareVersion,
    long LastHeardMsAgo, int ActiveStreams, int MaxStreams, int Volumes, long Objects);

/// <summary>One client connection, GET /connections.</summary>
public sealed record ConnectionStatus(string Client, string State, long AgeMs, long BytesReceived, long BytesSent,
    int RepliesInProgress, ushort? Board);

/// <summary>What a drain or undrain did.</summary>
public enum DrainOutcome
{
    /// <summary>The board's state changed.</summary>
    Changed,
    /// <summary>The board was already in that state.</summary>
    Unchanged,
    /// <summary>No board has that id.</summary>
    UnknownBoard,
}

/// <summary>POST /boards/{id}/drain and /undrain.</summary>
public sealed record DrainResponse(ushort BoardId, bool Draining, string Outcome);

/// <summary>Any error: what went wrong, for people.</summary>
public sealed record ErrorResponse(string Error);

/// <summary>Source-generated JSON for the management contracts (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(BoardStatus[]))]
[JsonSerializable(typeof(ConnectionStatus[]))]
[JsonSerializable(typeof(DrainResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(string[]))]
public sealed partial class ManagementJson : JsonSerializerContext;
