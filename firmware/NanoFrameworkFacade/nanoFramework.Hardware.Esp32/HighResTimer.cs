// COMPILE-ONLY FACADE (see Configuration.cs). Signature from nanoframework/nanoFramework.Hardware.Esp32,
// nanoFramework.Hardware.Esp32/HighResTimer.cs (package nanoFramework.Hardware.Esp32 1.6.34):
// GetCurrent wraps ESP-IDF esp_timer_get_time, microseconds since boot, never set, never wraps.

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Facade of the ESP32 high-resolution timer (only the free-running counter).</summary>
    public class HighResTimer
    {
        private HighResTimer()
        {
        }

        /// <summary>Microseconds since boot.</summary>
        public static ulong GetCurrent()
        {
            throw new System.NotSupportedException("compile-only facade");
        }
    }
}
