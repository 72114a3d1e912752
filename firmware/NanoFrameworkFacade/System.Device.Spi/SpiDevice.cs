// COMPILE-ONLY FACADE: lets firmware/Atcp.BoardCheck type-check the board glue against the real
// nanoFramework API without the nanoFramework packages. Never deployed; every body throws.
// Signatures from nanoframework/System.Device.Spi, System.Device.Spi/SpiDevice.cs, the SpanByte
// generation of the library (package nanoFramework.System.Device.Spi 1.3.82, built against
// nanoFramework.CoreLibrary 1.17.11, as pinned in Atcp.Board/packages.config). The native side
// (nanoframework/nf-interpreter, src/System.Device.Spi/sys_dev_spi_native_System_Device_Spi_SpiDevice.cpp)
// reads SpanByte's array/start/length directly, so a slice costs no managed copy.
// Only the members the glue calls are declared: a call to anything else fails the check.

namespace System.Device.Spi
{
    /// <summary>Facade of nanoFramework's SPI device (one chip select on one bus).</summary>
    public class SpiDevice : IDisposable
    {
        /// <summary>Facade constructor; the glue uses <see cref="Create"/>.</summary>
        protected SpiDevice()
        {
        }

        /// <summary>Opens a device on the bus and chip select named by the settings.</summary>
        public static SpiDevice Create(SpiConnectionSettings settings)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Clocks writeBuffer out while storing MISO into readBuffer (same length).</summary>
        public void TransferFullDuplex(SpanByte writeBuffer, SpanByte readBuffer)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Clocks buffer out, ignoring MISO.</summary>
        public void Write(SpanByte buffer)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Closes the device (frees its chip select on the bus).</summary>
        public void Dispose()
        {
            throw new NotSupportedException("compile-only facade");
        }
    }
}
