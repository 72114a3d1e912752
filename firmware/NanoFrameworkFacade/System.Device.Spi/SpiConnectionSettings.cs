// COMPILE-ONLY FACADE (see SpiDevice.cs). Signatures from nanoframework/System.Device.Spi,
// System.Device.Spi/SpiConnectionSettings.cs (package nanoFramework.System.Device.Spi 1.3.82).
// busId is 1-based (SPI1, SPI2); chipSelectLine -1 means the driver drives no chip select (the
// native NativeOpenDevice rejects only values below -1).

namespace System.Device.Spi
{
    /// <summary>Facade of the settings a SPI device is opened with (copied when the device opens).</summary>
    public sealed class SpiConnectionSettings
    {
        /// <summary>Settings for the device on bus busId (1-based) selected by chipSelectLine (-1: none).</summary>
        public SpiConnectionSettings(int busId, int chipSelectLine)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>SPI clock in Hz.</summary>
        public int ClockFrequency
        {
            get { throw new NotSupportedException("compile-only facade"); }
            set { throw new NotSupportedException("compile-only facade"); }
        }

        /// <summary>Clock polarity and phase.</summary>
        public SpiMode Mode
        {
            get { throw new NotSupportedException("compile-only facade"); }
            set { throw new NotSupportedException("compile-only facade"); }
        }

        /// <summary>Bit order on the wire.</summary>
        public DataFlow DataFlow
        {
            get { throw new NotSupportedException("compile-only facade"); }
            set { throw new NotSupportedException("compile-only facade"); }
        }
    }
}
