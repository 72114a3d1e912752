using nanoFramework.Hardware.Esp32;

namespace Atcp.Board
{
    /// <summary>Where everything is wired on the ESP32 (GPIO numbers), the SPI bus ids and clocks, and
    /// the pin-function routing. hardware/board/README.md has the same map as a wiring table; change
    /// both together.</summary>
    /// <remarks>Both SPI buses use their ESP32 IO_MUX pins (ESP32 Technical Reference Manual, "SPI":
    /// signals routed through the GPIO matrix instead are limited to about 26 MHz full duplex).
    /// GPIO 12 (HSPI MISO) is a strapping pin that selects the flash voltage at reset (ESP32 datasheet,
    /// "Strapping Pins"): nothing on it may pull it high at power-up, which is why the W5500 (MISO
    /// tri-stated while it is not selected) sits on HSPI and the SD cards, whose MISO line carries a
    /// pull-up, sit on VSPI. Two buses, because the data path reads SD blocks and writes them to the
    /// W5500: each bus keeps its own clock and its own SPI/DMA engine.</remarks>
    public static class PinMap
    {
        // ---- W5500 on SPI1 (ESP32 HSPI); the SPI driver toggles SCSn around every transaction ----

        /// <summary>nanoFramework bus id of the W5500 bus (1 = SPI1 = HSPI).</summary>
        public const int W5500SpiBus = 1;

        /// <summary>HSPI MOSI (IO_MUX HSPID) to W5500 MOSI.</summary>
        public const int W5500Mosi = 13;

        /// <summary>HSPI MISO (IO_MUX HSPIQ) from W5500 MISO. Strapping pin: see the remarks.</summary>
        public const int W5500Miso = 12;

        /// <summary>HSPI clock (IO_MUX HSPICLK) to W5500 SCLK.</summary>
        public const int W5500Clock = 14;

        /// <summary>HSPI CS0 (IO_MUX HSPICS0) to W5500 SCSn; driven by the SPI driver per transaction.</summary>
        public const int W5500ChipSelect = 15;

        /// <summary>Output to W5500 RSTn (active low).</summary>
        public const int W5500Reset = 4;

        /// <summary>Input from W5500 INTn (active low). Input-only pin without internal pull-up: needs
        /// an external 10 kOhm pull-up to 3.3 V.</summary>
        public const int W5500Interrupt = 34;

        /// <summary>W5500 SPI clock: 20 MHz. The W5500 guarantees 33.3 MHz (datasheet 5.5.4, "SPI
        /// Timing"); 20 MHz leaves margin for module wiring on a carrier board.</summary>
        public const int W5500ClockHz = 20000000;

        // ---- SD cards on SPI2 (ESP32 VSPI); the SD driver drives each card's CS as a GPIO ----

        /// <summary>nanoFramework bus id of the SD bus (2 = SPI2 = VSPI).</summary>
        public const int SdSpiBus = 2;

        /// <summary>VSPI MOSI (IO_MUX VSPID) to both cards' MOSI (DI).</summary>
        public const int SdMosi = 23;

        /// <summary>VSPI MISO (IO_MUX VSPIQ) from both cards' MISO (DO).</summary>
        public const int SdMiso = 19;

        /// <summary>VSPI clock (IO_MUX VSPICLK) to both cards' SCK.</summary>
        public const int SdClock = 18;

        /// <summary>Output to the disk card's CS (active low). Strapping pin with an internal pull-up
        /// at reset; the breakout's pull-up keeps it high, which is also the idle level.</summary>
        public const int DiskChipSelect = 5;

        /// <summary>Input from the disk socket's card-detect switch (internal pull-up; low = card in on
        /// sockets whose switch closes to GND).</summary>
        public const int DiskDetect = 32;

        /// <summary>Output to the CD card's CS (active low).</summary>
        public const int CdChipSelect = 21;

        /// <summary>Input from the CD socket's card-detect switch (internal pull-up; low = card in).</summary>
        public const int CdDetect = 33;

        /// <summary>SD clock during card identification: 400 kHz at most (SD Physical Layer
        /// Simplified Specification 4.2, "Card Identification Mode").</summary>
        public const int SdInitClockHz = 400000;

        /// <summary>SD clock after identification: 20 MHz, under the 25 MHz of default speed mode.</summary>
        public const int SdDataClockHz = 20000000;

        // ---- console on COM2 (UART2), 115200 8N1; COM1 (UART0, the USB bridge) carries the debugger ----

        /// <summary>nanoFramework name of the console UART.</summary>
        public const string ConsolePort = "COM2";

        /// <summary>Console baud rate.</summary>
        public const int ConsoleBaudRate = 115200;

        /// <summary>UART2 TX to the USB-serial adapter's RX.</summary>
        public const int ConsoleTx = 17;

        /// <summary>UART2 RX from the USB-serial adapter's TX.</summary>
        public const int ConsoleRx = 16;

        /// <summary>Routes the SPI and UART signals to the pins above. Must run before any SpiDevice or
        /// SerialPort is opened: the bus takes its pins when it initialises.</summary>
        public static void RoutePinFunctions()
        {
            Configuration.SetPinFunction(W5500Mosi, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(W5500Miso, DeviceFunction.SPI1_MISO);
            Configuration.SetPinFunction(W5500Clock, DeviceFunction.SPI1_CLOCK);

            Configuration.SetPinFunction(SdMosi, DeviceFunction.SPI2_MOSI);
            Configuration.SetPinFunction(SdMiso, DeviceFunction.SPI2_MISO);
            Configuration.SetPinFunction(SdClock, DeviceFunction.SPI2_CLOCK);

            Configuration.SetPinFunction(ConsoleTx, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(ConsoleRx, DeviceFunction.COM2_RX);
        }
    }
}
