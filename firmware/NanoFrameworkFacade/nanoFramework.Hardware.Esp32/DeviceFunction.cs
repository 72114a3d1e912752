// COMPILE-ONLY FACADE (see Configuration.cs). From nanoframework/nanoFramework.Hardware.Esp32,
// nanoFramework.Hardware.Esp32/DeviceTypePins.cs (package nanoFramework.Hardware.Esp32 1.6.34).
// Values computed as there: DeviceType * 0x10000 + bus index * 0x100 + signal, with SPI = 1 and
// SERIAL = 3.

namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Facade of the ESP32 device functions (only those the glue routes).</summary>
    public enum DeviceFunction
    {
        /// <summary>MOSI of SPI1 (HSPI).</summary>
        SPI1_MOSI = 0x10100,

        /// <summary>MISO of SPI1 (HSPI).</summary>
        SPI1_MISO = 0x10101,

        /// <summary>Clock of SPI1 (HSPI).</summary>
        SPI1_CLOCK = 0x10102,

        /// <summary>MOSI of SPI2 (VSPI).</summary>
        SPI2_MOSI = 0x10200,

        /// <summary>MISO of SPI2 (VSPI).</summary>
        SPI2_MISO = 0x10201,

        /// <summary>Clock of SPI2 (VSPI).</summary>
        SPI2_CLOCK = 0x10202,

        /// <summary>TX of COM2 (UART2).</summary>
        COM2_TX = 0x30200,

        /// <summary>RX of COM2 (UART2).</summary>
        COM2_RX = 0x30201,
    }
}
