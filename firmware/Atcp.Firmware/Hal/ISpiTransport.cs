namespace Atcp.Firmware.Hal
{
    /// <summary>One SPI device as the board glue exposes it. Each call is one transaction; whether
    /// chip select is toggled around each call (nanoFramework SpiDevice with a hardware CS line,
    /// as for the W5500) or held by the driver through an <see cref="IOutputPin"/> (the SD card,
    /// whose protocol spans several transfers) is the glue's choice, documented per driver.</summary>
    public interface ISpiTransport
    {
        /// <summary>Clocks write[writeOffset .. +length) out on MOSI while storing MISO into
        /// read[readOffset .. +length). read and write may be the same array.</summary>
        void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length);

        /// <summary>Clocks buffer[offset .. +length) out on MOSI, ignoring MISO.</summary>
        void Write(byte[] buffer, int offset, int length);
    }

    /// <summary>A GPIO output (chip select, reset).</summary>
    public interface IOutputPin
    {
        /// <summary>Drives the pin high (true) or low (false).</summary>
        void Write(bool high);
    }

    /// <summary>A GPIO input (card detect, interrupt).</summary>
    public interface IInputPin
    {
        /// <summary>Reads the pin level: true is high.</summary>
        bool Read();
    }

    /// <summary>Blocking delays and a monotonic millisecond clock, passed in so drivers and protocol
    /// code never read a global clock (tests use a virtual one).</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards.</summary>
        long NowMilliseconds { get; }

        /// <summary>Waits at least the given number of milliseconds (a virtual clock just advances).</summary>
        void Sleep(int milliseconds);
    }
}
