using System.Device.Gpio;
using Atcp.Firmware.Hal;

namespace Atcp.Board.Glue
{
    /// <summary><see cref="IInputPin"/> over a nanoFramework <see cref="GpioPin"/> (card detect, the
    /// W5500 interrupt line). Polled: the firmware reads levels, it registers no pin events.</summary>
    public sealed class NanoInputPin : IInputPin
    {
        private readonly GpioPin _pin;

        /// <summary>Opens pinNumber as an input, with the internal pull-up when pullUp is set. GPIO
        /// 34-39 have no internal pull resistors (ESP32 datasheet 2.2, "Pin Description"): wire an
        /// external one there and pass false.</summary>
        public NanoInputPin(GpioController gpio, int pinNumber, bool pullUp)
        {
            _pin = gpio.OpenPin(pinNumber, pullUp ? PinMode.InputPullUp : PinMode.Input);
        }

        /// <summary>See <see cref="IInputPin.Read"/>.</summary>
        public bool Read()
        {
            return _pin.Read() == PinValue.High;
        }
    }
}
