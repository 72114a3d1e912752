using Atcp.Frontend.Management;

namespace Atcp.Frontend.Engine;

/// <summary>What management asks of the engine. Called on the engine thread (the daemon posts the
/// call there), so implementations need no locking.</summary>
public interface IFrontendManagement
{
    /// <summary>A snapshot of the engine's state and counters.</summary>
    EngineStatus GetStatus(long nowMs);

    /// <summary>The boards the engine knows.</summary>
    IReadOnlyList<BoardStatus> GetBoards(long nowMs);

    /// <summary>The client connections open now.</summary>
    IReadOnlyList<ConnectionStatus> GetConnections(long nowMs);

    /// <summary>Stops sending new work to a board; streams in progress finish.</summary>
    DrainOutcome Drain(ushort boardId, long nowMs);

    /// <summary>Lets a drained board get new work again.</summary>
    DrainOutcome Undrain(ushort boardId, long nowMs);
}
