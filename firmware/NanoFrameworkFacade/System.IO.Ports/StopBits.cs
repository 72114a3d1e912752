// COMPILE-ONLY FACADE (see SerialPort.cs). From nanoframework/System.IO.Ports,
// System.IO.Ports/StopBits.cs (package nanoFramework.System.IO.Ports 1.1.132); value as there.

namespace System.IO.Ports
{
    /// <summary>Facade of the UART stop-bit setting (only the one the glue uses).</summary>
    public enum StopBits
    {
        /// <summary>One stop bit.</summary>
        One = 1,
    }
}
