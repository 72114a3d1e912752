// COMPILE-ONLY STAND-IN, part of Atcp.BoardCheck and never of the board application.
// firmware/Atcp.Board/Program.cs calls Atcp.Firmware.Board.BoardMain.Run, which the firmware core
// does not have yet. This declares that one signature so the glue type-checks today. When the real
// BoardMain lands in firmware/Atcp.Firmware/Board/, this file collides with it (CS0101) and must be
// deleted: that build error is the reminder.

namespace Atcp.Firmware.Board
{
    /// <summary>Stand-in for the firmware core's composition entry point (see the file header).</summary>
    public static class BoardMain
    {
        /// <summary>The real one builds the drivers and protocol from hardware and runs forever.</summary>
        public static void Run(BoardHardware hardware)
        {
            throw new System.NotSupportedException("compile-only stand-in for BoardMain");
        }
    }
}
