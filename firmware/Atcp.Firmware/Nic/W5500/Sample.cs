using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Nic
{
    /// <summary>Usage sample for the W5500 driver: bring the chip up, then echo frames back to their
    /// senders. Compiled with the firmware so it stays correct; tests run it against the chip model.</summary>
    public static class W5500Sample
    {
        /// <summary>Initializes the chip and echoes frames (MAC addresses swapped) until maxFrames
        /// were echoed or none arrived for idleTimeoutMs. Checks link and socket once a second.
        /// Returns the number echoed, or -1 when the chip did not come up (message in
        /// W5500.Describe(nic.Status)).</summary>
        public static int InitializeAndEcho(ISpiTransport spi, IOutputPin resetPin, IClock clock, byte[] mac,
            int maxFrames, int idleTimeoutMs)
        {
            W5500 nic = new W5500(spi, clock, resetPin, mac);
            if (nic.Initialize() != W5500Status.Ok) return -1;

            // One buffer for the whole loop: headroom for the SPI header, and 2 spare bytes so a lone
            // frame arrives with its length header in a single SPI transfer.
            byte[] buffer = new byte[nic.Headroom + W5500.MaxFrame + 2];
            int frameOffset = nic.Headroom;
            int capacity = buffer.Length - frameOffset;
            byte[] mac6 = new byte[6];

            int echoed = 0;
            long lastFrameAt = clock.NowMilliseconds;
            long nextCheckAt = clock.NowMilliseconds + 1000;
            while (echoed < maxFrames)
            {
                int length = nic.Receive(buffer, frameOffset, capacity);
                long now = clock.NowMilliseconds;
                if (length > 0)
                {
                    // Reply to the sender: destination <- source, source <- destination.
                    System.Array.Copy(buffer, frameOffset, mac6, 0, 6);
                    System.Array.Copy(buffer, frameOffset + 6, buffer, frameOffset, 6);
                    System.Array.Copy(mac6, 0, buffer, frameOffset + 6, 6);
                    while (!nic.Transmit(buffer, frameOffset, length))
                    {
                        // The previous frame is still leaving the chip; it takes microseconds.
                    }
                    echoed++;
                    lastFrameAt = now;
                }
                else
                {
                    if (now - lastFrameAt >= idleTimeoutMs) break;
                    clock.Sleep(1); // let other threads run while idle
                }
                if (now >= nextCheckAt)
                {
                    nic.RefreshLinkStatus();
                    nic.CheckSocket();
                    nextCheckAt = now + 1000;
                }
            }
            return echoed;
        }
    }
}
