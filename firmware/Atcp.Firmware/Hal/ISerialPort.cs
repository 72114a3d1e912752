namespace Atcp.Firmware.Hal
{
    /// <summary>A UART as the console sees it (115200 8N1 on the board; stdin/stdout or a pty in
    /// emulation).</summary>
    public interface ISerialPort
    {
        /// <summary>Copies up to count received bytes into buffer[offset..]; returns how many, 0 when
        /// none are waiting. Never blocks.</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Sends buffer[offset .. +count).</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
