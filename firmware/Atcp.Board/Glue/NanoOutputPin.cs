using System.Device.Gpio;
using Atcp.Firmware.Hal;

namespace Atcp.Board.Glue
{
    /// <summary><see cref="IOutputPin"/> over a nanoFramework <see cref="GpioPin"/> in push-pull output
    /// mode (chip selects, the W5500 reset line).</summary>
    public sealed class NanoOutputPin : IOutputPin
    {
        private readonly GpioPin _pin;

        /// <summary>Opens pinNumber as an output and drives initialHigh. Between the open and the first
        /// write the pin sits low for a few microseconds: harmless, as no SPI clock runs yet and the
        /// W5500 needs RSTn low for at least 500 us to reset (W5500 datasheet 5.5.1, "Reset Timing").</summary>
        public NanoOutputPin(GpioController gpio, int pinNumber, bool initialHigh)
        {
            _pin = gpio.OpenPin(pinNumber, PinMode.Output);
            Write(initialHigh);
        }

        /// <summary>See <see cref="IOutputPin.Write"/>.</summary>
        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
