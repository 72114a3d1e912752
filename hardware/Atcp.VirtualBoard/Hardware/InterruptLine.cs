using Atcp.Emulation.W5500;
using Atcp.Firmware.Hal;

namespace Atcp.VirtualBoard.Hardware;

/// <summary>The W5500's INTn output as the board's GPIO input sees it: low while the chip asserts
/// an interrupt (W5500 Datasheet v1.0.9, 4.1 IR/IMR, SIR/SIMR).</summary>
public sealed class InterruptLine(W5500Model chip) : IInputPin
{
    /// <summary>The line level: false (low) while an enabled interrupt is pending.</summary>
    public bool Read() => !chip.InterruptAsserted;
}
