namespace Atcp.Firmware.Tests;

/// <summary>Tests that count managed allocations run alone: GC.GetAllocatedBytesForCurrentThread
/// can catch one-off runtime work (tiered JIT) while other tests run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationSensitive
{
    /// <summary>The collection name.</summary>
    public const string Name = "allocation-sensitive";
}
