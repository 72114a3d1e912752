using System.Diagnostics;
using Atcp.Frontend.Hosting;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>The engine's clock is exact to the millisecond: the loop sleeps in poll() exactly until a
/// timer's deadline, and a clock a kernel tick behind (CLOCK_MONOTONIC_COARSE, what
/// Environment.TickCount64 reads) then shows the deadline not yet reached, costing a second wake-up.</summary>
public class EngineClockTests
{
    [Fact]
    public void DefaultClock_TracksAPreciseTimer_WithinAMillisecond()
    {
        var runtime = new FrontendRuntime(TestSettings.Make());
        var exact = Stopwatch.StartNew();
        long origin = runtime.Clock();
        double originEnd = exact.Elapsed.TotalMilliseconds;
        double worst = 0;
        while (exact.ElapsedMilliseconds < 60)
        {
            // Bracketed by two exact readings, so a preemption in between cannot look like lag.
            double before = exact.Elapsed.TotalMilliseconds;
            long clock = runtime.Clock() - origin;
            double after = exact.Elapsed.TotalMilliseconds;
            if (clock < before - originEnd - 1) worst = Math.Max(worst, before - originEnd - clock);
            if (clock > after + 1) worst = Math.Max(worst, clock - after);
        }
        Assert.True(worst == 0, "the clock was " + worst.ToString("0.0") + " ms off a precise timer");
    }
}
