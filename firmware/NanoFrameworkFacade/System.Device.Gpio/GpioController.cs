// COMPILE-ONLY FACADE: lets firmware/Atcp.BoardCheck type-check the board glue against the real
// nanoFramework API without the nanoFramework packages. Never deployed; every body throws.
// Signatures from nanoframework/System.Device.Gpio, System.Device.Gpio/GpioController.cs
// (package nanoFramework.System.Device.Gpio 1.1.57, built against nanoFramework.CoreLibrary
// 1.17.11). Only the members the glue calls are declared.

namespace System.Device.Gpio
{
    /// <summary>Facade of nanoFramework's GPIO controller.</summary>
    public sealed class GpioController : IDisposable
    {
        /// <summary>A controller using the logical (GPIO number) pin scheme.</summary>
        public GpioController()
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Opens pinNumber and sets its mode; throws if the pin is already open.</summary>
        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Closes every pin opened through this controller.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("compile-only facade");
        }
    }
}
