// COMPILE-ONLY FACADE (see SerialPort.cs). From nanoframework/System.IO.Ports,
// System.IO.Ports/Parity.cs (package nanoFramework.System.IO.Ports 1.1.132); value as there.

namespace System.IO.Ports
{
    /// <summary>Facade of the UART parity setting (only the one the glue uses).</summary>
    public enum Parity
    {
        /// <summary>No parity bit.</summary>
        None = 0,
    }
}
