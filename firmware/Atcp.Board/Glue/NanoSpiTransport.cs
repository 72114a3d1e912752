using System;
using System.Device.Spi;
using Atcp.Firmware.Hal;

namespace Atcp.Board.Glue
{
    /// <summary><see cref="ISpiTransport"/> over one nanoFramework <see cref="SpiDevice"/>. Each call
    /// is one SPI transaction; with a chip select line the ESP32 SPI driver asserts it for exactly that
    /// transaction (the W5500), with <see cref="NoChipSelect"/> it touches no select line and the driver
    /// above drives one as GPIO (the SD cards, whose commands span several transactions).</summary>
    public sealed class NanoSpiTransport : ISpiTransport, ISpiClockControl, IDisposable
    {
        /// <summary>Chip select value meaning "the SPI driver drives no select line".</summary>
        public const int NoChipSelect = -1;

        private readonly int _busId;
        private readonly int _chipSelectLine;
        private SpiDevice _device;
        private int _clockHz;

        /// <summary>Opens bus busId (1 = SPI1/HSPI, 2 = SPI2/VSPI) in mode 0, MSB first, at clockHz.
        /// The bus pins must already be routed (<see cref="PinMap.RoutePinFunctions"/>).</summary>
        public NanoSpiTransport(int busId, int chipSelectLine, int clockHz)
        {
            _busId = busId;
            _chipSelectLine = chipSelectLine;
            _device = Open(clockHz);
            _clockHz = clockHz;
        }

        /// <summary>The SPI clock the device is open with, in Hz.</summary>
        public int ClockHz
        {
            get { return _clockHz; }
        }

        /// <summary>Reopens the device at a new clock. nanoFramework copies the connection settings
        /// when a device opens, so a clock change means close and reopen; it is meant for the one
        /// switch an SD card needs (identification at 400 kHz at most, then up to 25 MHz in default
        /// speed mode: SD Physical Layer Simplified Specification 4.2, "Card Identification Mode"),
        /// never for the data path.</summary>
        public void SetClockFrequency(int clockHz)
        {
            if (clockHz == _clockHz)
            {
                return;
            }

            _device.Dispose();
            _device = Open(clockHz);
            _clockHz = clockHz;
        }

        /// <summary>See <see cref="ISpiTransport.TransferFullDuplex"/>. The slices are SpanByte views
        /// of the caller's arrays, which the native driver reads in place; read and write may be the
        /// same array.</summary>
        public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
        {
            if (length <= 0)
            {
                return;
            }

            _device.TransferFullDuplex(new SpanByte(write, writeOffset, length), new SpanByte(read, readOffset, length));
        }

        /// <summary>See <see cref="ISpiTransport.Write"/>.</summary>
        public void Write(byte[] buffer, int offset, int length)
        {
            if (length <= 0)
            {
                return;
            }

            _device.Write(new SpanByte(buffer, offset, length));
        }

        /// <summary>Closes the device.</summary>
        public void Dispose()
        {
            _device.Dispose();
        }

        private SpiDevice Open(int clockHz)
        {
            SpiConnectionSettings settings = new SpiConnectionSettings(_busId, _chipSelectLine);
            settings.ClockFrequency = clockHz;
            settings.Mode = SpiMode.Mode0;
            settings.DataFlow = DataFlow.MsbFirst;
            return SpiDevice.Create(settings);
        }
    }
}
