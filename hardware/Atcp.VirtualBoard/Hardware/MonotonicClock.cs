using System.Diagnostics;
using Atcp.Firmware.Hal;

namespace Atcp.VirtualBoard.Hardware;

/// <summary>The board's millisecond clock on the host: <see cref="Stopwatch"/> (monotonic) since the
/// clock was made, and <see cref="Thread.Sleep(int)"/> for delays. The firmware sleeps 1 ms when
/// idle, which on Linux costs about 1.1 ms of wall time: responsive enough for a board whose
/// frames wait in the W5500's buffer meanwhile.</summary>
public sealed class MonotonicClock : IClock
{
    readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <inheritdoc/>
    public long NowMilliseconds => _watch.ElapsedMilliseconds;

    /// <summary>Sleeps; 0 or less just yields the processor.</summary>
    public void Sleep(int milliseconds)
    {
        if (milliseconds <= 0) Thread.Yield();
        else Thread.Sleep(milliseconds);
    }
}
