namespace Atcp.TestSupport;

/// <summary>Counts managed bytes allocated by steady-state code (the board's "no allocation per
/// packet" rule, checked on the host runtime).</summary>
public static class Allocations
{
    /// <summary>Bytes allocated on this thread by iterations calls of action, after warm-up calls.
    /// Measured three times and the smallest kept: one-off runtime work (tiered JIT, type loading)
    /// can land in one measurement, while a real per-call allocation shows in all three.</summary>
    public static long PerRun(Action action, int iterations = 100, int warmup = 200)
    {
        for (int i = 0; i < warmup; i++) action();
        long best = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++) action();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return best;
    }
}
