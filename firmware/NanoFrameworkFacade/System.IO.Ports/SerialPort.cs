// COMPILE-ONLY FACADE: lets firmware/Atcp.BoardCheck type-check the board glue against the real
// nanoFramework API without the nanoFramework packages. Never deployed; every body throws.
// Signatures from nanoframework/System.IO.Ports, System.IO.Ports/SerialPort.cs (package
// nanoFramework.System.IO.Ports 1.1.132, built against nanoFramework.CoreLibrary 1.17.11).
// Read blocks up to ReadTimeout when nothing is buffered (and then throws TimeoutException), so
// the glue reads only what BytesToRead reports. Only the members the glue calls are declared.

namespace System.IO.Ports
{
    /// <summary>Facade of nanoFramework's UART ("COM1".."COMn"; COM1 carries the debugger on ESP32).</summary>
    public sealed class SerialPort : IDisposable
    {
        /// <summary>A port on portName with the given line settings; not opened yet.</summary>
        public SerialPort(string portName, int baudRate, Parity parity, int dataBits, StopBits stopBits)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Bytes waiting in the receive buffer.</summary>
        public int BytesToRead
        {
            get { throw new NotSupportedException("compile-only facade"); }
        }

        /// <summary>Opens the UART with the settings given.</summary>
        public void Open()
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Copies up to count received bytes into buffer[offset..]; returns how many.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Sends buffer[offset .. +count).</summary>
        public void Write(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("compile-only facade");
        }

        /// <summary>Closes the port.</summary>
        public void Dispose()
        {
            throw new NotSupportedException("compile-only facade");
        }
    }
}
