// COMPILE-ONLY FACADE (see SpiDevice.cs). From nanoframework/System.Device.Spi,
// System.Device.Spi/SpiMode.cs (package nanoFramework.System.Device.Spi 1.3.82); values as there.

namespace System.Device.Spi
{
    /// <summary>Facade of the SPI clock polarity/phase modes (only the one the glue uses).</summary>
    public enum SpiMode
    {
        /// <summary>CPOL 0, CPHA 0: W5500 (datasheet ch. 2, "HOST Interface": modes 0 and 3) and SD cards in SPI mode.</summary>
        Mode0 = 0,
    }
}
