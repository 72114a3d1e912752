using System.Threading;
using nanoFramework.Hardware.Esp32;
using Atcp.Firmware.Hal;

namespace Atcp.Board.Glue
{
    /// <summary><see cref="IClock"/> from the ESP32 high-resolution timer (ESP-IDF esp_timer:
    /// microseconds since boot, 64-bit, never set and never wrapping in practice). Not DateTime.UtcNow:
    /// that is the settable wall clock and may jump. nanoFramework.CoreLibrary 1.17.11 has no
    /// System.Environment, so there is no Environment.TickCount64 to use either.</summary>
    public sealed class NanoClock : IClock
    {
        /// <summary>See <see cref="IClock.NowMilliseconds"/>.</summary>
        public long NowMilliseconds
        {
            get { return (long)(HighResTimer.GetCurrent() / 1000UL); }
        }

        /// <summary>See <see cref="IClock.Sleep"/>; Thread.Sleep lets the other nanoCLR threads run.</summary>
        public void Sleep(int milliseconds)
        {
            if (milliseconds > 0)
            {
                Thread.Sleep(milliseconds);
            }
        }
    }
}
