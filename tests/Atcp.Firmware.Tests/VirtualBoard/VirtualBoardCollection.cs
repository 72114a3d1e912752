namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The virtual board tests run apart from the rest: each boots a board whose loop keeps a
/// core busy, which would disturb the allocation and cost measurements of other tests (and they
/// would slow the board's throughput figure).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VirtualBoardCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "virtual board";
}
