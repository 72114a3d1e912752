namespace Atcp.Firmware.Hal
{
    /// <summary>Lets the SD driver change the SPI clock: the card is identified at 400 kHz at most
    /// and then run at up to 25 MHz (SD Physical Layer Simplified Specification v4.10, §6.7 and
    /// TRAN_SPEED in §5.3.2). On nanoFramework the glue reopens its SpiDevice with new connection
    /// settings, since a SpiDevice's clock is fixed when it is created.</summary>
    public interface ISpiClockControl
    {
        /// <summary>Sets the SPI clock for the following transfers; the glue may round it down to a
        /// frequency the controller can make.</summary>
        void SetClockFrequency(int hertz);
    }
}
