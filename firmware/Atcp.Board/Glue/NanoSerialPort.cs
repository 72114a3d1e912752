using System.IO.Ports;
using Atcp.Firmware.Hal;

namespace Atcp.Board.Glue
{
    /// <summary><see cref="ISerialPort"/> over a nanoFramework <see cref="SerialPort"/>, 8N1. Read
    /// never blocks: it takes only what <see cref="SerialPort.BytesToRead"/> reports, because
    /// SerialPort.Read waits (up to its ReadTimeout, infinite by default) when nothing is buffered.</summary>
    public sealed class NanoSerialPort : ISerialPort
    {
        private readonly SerialPort _port;

        /// <summary>Opens portName ("COM2" is UART2 on ESP32) at baudRate, 8 data bits, no parity,
        /// one stop bit. Its pins must already be routed (<see cref="PinMap.RoutePinFunctions"/>).</summary>
        public NanoSerialPort(string portName, int baudRate)
        {
            _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            _port.Open();
        }

        /// <summary>See <see cref="ISerialPort.Read"/>.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            int waiting = _port.BytesToRead;
            if (waiting <= 0 || count <= 0)
            {
                return 0;
            }

            return _port.Read(buffer, offset, waiting < count ? waiting : count);
        }

        /// <summary>See <see cref="ISerialPort.Write"/>.</summary>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (count <= 0)
            {
                return;
            }

            _port.Write(buffer, offset, count);
        }
    }
}
