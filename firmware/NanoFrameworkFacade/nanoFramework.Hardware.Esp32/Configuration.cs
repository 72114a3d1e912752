// COMPILE-ONLY FACADE: lets firmware/Atcp.BoardCheck type-check the board glue against the real
// nanoFramework API without the nanoFramework packages. Never deployed; every body throws.
// Signature from nanoframework/nanoFramework.Hardware.Esp32, nanoFramework.Hardware.Esp32/Configuration.cs
// (package nanoFramework.Hardware.Esp32 1.6.34, built against nanoFramework.CoreLibrary 1.17.11).

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Facade of the ESP32 pin-function (GPIO matrix) configuration.</summary>
    public class Configuration
    {
        /// <summary>Routes device function value to GPIO pin; must run before the device is opened.</summary>
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            throw new System.NotSupportedException("compile-only facade");
        }
    }
}
