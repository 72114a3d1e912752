// COMPILE-ONLY FACADE (see GpioController.cs). From nanoframework/System.Device.Gpio,
// System.Device.Gpio/PinMode.cs (package nanoFramework.System.Device.Gpio 1.1.57); the members
// the glue uses, with the values they have there (declaration order 0, 1, 2, 3).

namespace System.Device.Gpio
{
    /// <summary>Facade of the GPIO pin modes.</summary>
    public enum PinMode
    {
        /// <summary>Floating input (high impedance).</summary>
        Input = 0,

        /// <summary>Input with the internal pull-up enabled.</summary>
        InputPullUp = 2,

        /// <summary>Push-pull output.</summary>
        Output = 3,
    }
}
