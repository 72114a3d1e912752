namespace Atcp.Wire.Link
{
    /// <summary>The only boundary between protocol code and a network interface: whole Ethernet
    /// frames in and out (destination MAC first, no preamble, no FCS). Implementations: the W5500 in
    /// MACRAW mode (board), AF_PACKET (appliance), loopback, pcap-writing and fault-injecting
    /// wrappers (tests).</summary>
    public interface IFrameDevice
    {
        /// <summary>Bytes the device needs free in front of a frame in the caller's buffer, for both
        /// Receive and Transmit (the W5500 driver puts its 3-byte SPI header there, so a frame
        /// crosses SPI in one transfer without a copy).</summary>
        int Headroom { get; }

        /// <summary>Largest frame the device carries, Ethernet header included, FCS excluded.</summary>
        int MaxFrameLength { get; }

        /// <summary>Copies the next received frame to buffer[offset..] and returns its length, or 0
        /// when none is waiting. buffer[offset - Headroom .. offset) may be overwritten. Frames longer
        /// than capacity are dropped and counted by the device, never truncated.</summary>
        int Receive(byte[] buffer, int offset, int capacity);

        /// <summary>Queues buffer[offset .. offset + length) for transmission. Returns false when the
        /// device has no room now (the caller keeps the frame and tries later).
        /// buffer[offset - Headroom .. offset) may be overwritten.</summary>
        bool Transmit(byte[] buffer, int offset, int length);
    }
}
