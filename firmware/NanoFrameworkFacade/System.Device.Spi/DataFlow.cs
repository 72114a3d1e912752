// COMPILE-ONLY FACADE (see SpiDevice.cs). From nanoframework/System.Device.Spi,
// System.Device.Spi/DataFlow.cs (package nanoFramework.System.Device.Spi 1.3.82); values as there.

namespace System.Device.Spi
{
    /// <summary>Facade of the SPI bit order (only the one the glue uses).</summary>
    public enum DataFlow
    {
        /// <summary>Most significant bit first.</summary>
        MsbFirst = 0,
    }
}
