using System;
using System.Device.Gpio;
using Atcp.Board.Glue;
using Atcp.Firmware.Board;
using Atcp.Wire;

namespace Atcp.Board
{
    /// <summary>The board application: routes the ESP32 pins, wraps nanoFramework's SPI, GPIO, UART and
    /// timer in the firmware core's HAL interfaces, and hands them to the core's single entry point.
    /// Everything else (drivers, protocol, console) is the shared firmware code.</summary>
    public class Program
    {
        /// <summary>nanoFramework entry point.</summary>
        public static void Main()
        {
            // Pins first: SPI buses and UARTs take their pins when they open.
            PinMap.RoutePinFunctions();

            // The console comes up before anything else so a setup failure can be reported on it.
            NanoSerialPort console = new NanoSerialPort(PinMap.ConsolePort, PinMap.ConsoleBaudRate);

            BoardHardware hardware;
            try
            {
                hardware = Build(console);
            }
            catch (Exception e)
            {
                Say(console, "atcp board: hardware setup failed: " + e.Message
                    + ". Check the wiring against hardware/board/README.md and firmware/Atcp.Board/PinMap.cs.\r\n");
                throw;
            }

            BoardMain.Run(hardware);
        }

        private static BoardHardware Build(NanoSerialPort console)
        {
            GpioController gpio = new GpioController();

            // Chip selects go high (idle) before the SD bus starts clocking.
            NanoOutputPin diskCs = new NanoOutputPin(gpio, PinMap.DiskChipSelect, true);
            NanoOutputPin cdCs = new NanoOutputPin(gpio, PinMap.CdChipSelect, true);

            // RSTn high: the W5500 runs; its driver pulses reset itself during initialisation.
            NanoOutputPin w5500Reset = new NanoOutputPin(gpio, PinMap.W5500Reset, true);
            NanoInputPin w5500Interrupt = new NanoInputPin(gpio, PinMap.W5500Interrupt, false);

            NanoInputPin diskDetect = new NanoInputPin(gpio, PinMap.DiskDetect, true);
            NanoInputPin cdDetect = new NanoInputPin(gpio, PinMap.CdDetect, true);

            NanoSpiTransport w5500Spi = new NanoSpiTransport(PinMap.W5500SpiBus, PinMap.W5500ChipSelect, PinMap.W5500ClockHz);

            // The SD bus starts at the identification clock; the SD driver raises it through
            // ISpiClockControl once a card is identified.
            NanoSpiTransport sdSpi = new NanoSpiTransport(PinMap.SdSpiBus, NanoSpiTransport.NoChipSelect, PinMap.SdInitClockHz);

            return new BoardHardware(
                w5500Spi,
                w5500Reset,
                w5500Interrupt,
                sdSpi,
                diskCs,
                diskDetect,
                cdCs,
                cdDetect,
                console,
                new NanoClock());
        }

        private static void Say(NanoSerialPort console, string text)
        {
            byte[] bytes = Utf8.GetBytes(text);
            console.Write(bytes, 0, bytes.Length);
        }
    }
}
