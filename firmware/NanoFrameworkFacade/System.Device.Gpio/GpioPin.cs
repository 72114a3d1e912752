// COMPILE-ONLY FACADE (see GpioController.cs). Signatures from nanoframework/System.Device.Gpio,
// System.Device.Gpio/GpioPin.cs (package nanoFramework.System.Device.Gpio 1.1.57).

namespace System.Device.Gpio
{
    /// <summary>Facade of one opened GPIO pin.</summary>
    public sealed class GpioPin : IDisposable
    {
        private GpioPin()
        {
        }

        /// <summary>Reads the pin level (for an output: the last value written).</summary>
        public PinValue Read()
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Drives the pin (output) or sets its latched value (input).</summary>
        public void Write(PinValue value)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Releases the pin.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("compile-only facade");
        }
    }
}
