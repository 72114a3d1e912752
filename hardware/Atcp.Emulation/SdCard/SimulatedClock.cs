using Atcp.Firmware.Hal;

namespace Atcp.Emulation.SdCard;

/// <summary>A virtual clock for driver tests: time moves only when someone sleeps or when an
/// emulated device advances it (the card model adds the time its SPI bytes take at the current
/// clock). Nanosecond resolution so that fast SPI bytes add up.</summary>
public sealed class SimulatedClock : IClock
{
    long _nanoseconds;

    /// <summary>Virtual milliseconds since creation.</summary>
    public long NowMilliseconds => _nanoseconds / 1_000_000;

    /// <summary>Virtual nanoseconds since creation.</summary>
    public long NowNanoseconds => _nanoseconds;

    /// <summary>Total milliseconds requested through Sleep.</summary>
    public long SleptMilliseconds { get; private set; }

    /// <summary>Advances the clock; nothing waits.</summary>
    public void Sleep(int milliseconds)
    {
        if (milliseconds < 0) throw new ArgumentOutOfRangeException(nameof(milliseconds));
        SleptMilliseconds += milliseconds;
        _nanoseconds += milliseconds * 1_000_000L;
    }

    /// <summary>Moves time forward by the given nanoseconds.</summary>
    public void AdvanceNanoseconds(long nanoseconds)
    {
        if (nanoseconds < 0) throw new ArgumentOutOfRangeException(nameof(nanoseconds));
        _nanoseconds += nanoseconds;
    }
}
