using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Board
{
    /// <summary>Every piece of hardware the firmware core needs, as HAL interfaces: what the board
    /// application (nanoFramework glue) hands to BoardMain.Run, and what emulation and tests build from
    /// fakes.</summary>
    public sealed class BoardHardware
    {
        /// <summary>Bundles the hardware; no argument may be null.</summary>
        public BoardHardware(
            ISpiTransport w5500Spi,
            IOutputPin w5500Reset,
            IInputPin w5500Interrupt,
            ISpiTransport sdSpi,
            IOutputPin diskCs,
            IInputPin diskDetect,
            IOutputPin cdCs,
            IInputPin cdDetect,
            ISerialPort console,
            IClock clock)
        {
            W5500Spi = w5500Spi;
            W5500Reset = w5500Reset;
            W5500Interrupt = w5500Interrupt;
            SdSpi = sdSpi;
            DiskCs = diskCs;
            DiskDetect = diskDetect;
            CdCs = cdCs;
            CdDetect = cdDetect;
            Console = console;
            Clock = clock;
        }

        /// <summary>The W5500's SPI device; chip select is toggled by the transport per call.</summary>
        public ISpiTransport W5500Spi { get; }

        /// <summary>W5500 RSTn: false (low) holds the chip in reset.</summary>
        public IOutputPin W5500Reset { get; }

        /// <summary>W5500 INTn: low while an enabled interrupt is pending.</summary>
        public IInputPin W5500Interrupt { get; }

        /// <summary>The SD bus, shared by both cards; it drives no chip select itself.</summary>
        public ISpiTransport SdSpi { get; }

        /// <summary>Chip select of the disk card (active low).</summary>
        public IOutputPin DiskCs { get; }

        /// <summary>Card detect of the disk socket (raw level; low = card present with the wiring in
        /// hardware/board/README.md).</summary>
        public IInputPin DiskDetect { get; }

        /// <summary>Chip select of the card holding the CD image (active low).</summary>
        public IOutputPin CdCs { get; }

        /// <summary>Card detect of the CD socket (raw level; low = card present).</summary>
        public IInputPin CdDetect { get; }

        /// <summary>The console UART.</summary>
        public ISerialPort Console { get; }

        /// <summary>Monotonic milliseconds and blocking delays.</summary>
        public IClock Clock { get; }
    }
}
