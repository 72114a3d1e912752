using Atcp.Firmware.Nic;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>The README's sample runs as written against the chip model.</summary>
public class W5500SampleTests
{
    [Fact]
    public void InitializeAndEcho_SendsEachFrameBackToItsSender()
    {
        var bench = new Bench();
        var clock = bench.Clock;
        var chip = bench.Chip;
        // Frames arrive while the sample runs: deliver them from the sleeps of its clock (the chip
        // refuses them until the sample has opened the socket; those are offered again).
        var frames = Enumerable.Range(0, 5).Select(i => TestFrames.Make(64 + 100 * i, i)).ToArray();
        int delivered = 0;
        var pacedClock = new PacedClock(clock, () => { if (delivered < frames.Length && chip.Deliver(frames[delivered])) delivered++; });

        int echoed = W5500Sample.InitializeAndEcho(chip, chip.ResetPin, pacedClock, TestFrames.BoardMac, 10, idleTimeoutMs: 50);

        Assert.Equal(5, echoed);
        Assert.Equal(5, bench.Wire.Count);
        for (int i = 0; i < 5; i++)
        {
            var expected = frames[i].ToArray();
            TestFrames.PeerMac.CopyTo(expected, 0);
            TestFrames.BoardMac.CopyTo(expected, 6);
            Assert.Equal(expected, bench.Wire[i]);
        }
    }

    [Fact]
    public void InitializeAndEcho_WithoutChip_ReturnsMinusOne()
    {
        Assert.Equal(-1, W5500Sample.InitializeAndEcho(new StuckSpi(0), null!, new VirtualClock(), TestFrames.BoardMac, 1, 10));
    }

    sealed class PacedClock(VirtualClock inner, Action onSleep) : Atcp.Firmware.Hal.IClock
    {
        public long NowMilliseconds => inner.NowMilliseconds;
        public void Sleep(int milliseconds)
        {
            inner.Sleep(milliseconds);
            onSleep();
        }
    }
}
