// COMPILE-ONLY FACADE (see GpioController.cs). From nanoframework/System.Device.Gpio,
// System.Device.Gpio/PinValue.cs (package nanoFramework.System.Device.Gpio 1.1.57): a readonly
// struct with static High/Low and value equality. The glue only compares and passes High/Low, which
// also compiles against the older enum-shaped PinValue.

namespace System.Device.Gpio
{
    /// <summary>Facade of a pin level.</summary>
    public readonly struct PinValue
    {
        /// <summary>High level.</summary>
        public static PinValue High
        {
            get { throw new NotSupportedException("compile-only facade"); }
        }

        /// <summary>Low level.</summary>
        public static PinValue Low
        {
            get { throw new NotSupportedException("compile-only facade"); }
        }

        /// <summary>True when both are the same level.</summary>
        public static bool operator ==(PinValue a, PinValue b)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>True when the levels differ.</summary>
        public static bool operator !=(PinValue a, PinValue b)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Value equality (declared because == is).</summary>
        public override bool Equals(object obj)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Hash of the level (declared because == is).</summary>
        public override int GetHashCode()
        {
            throw new NotSupportedException("compile-only facade");
        }
    }
}
