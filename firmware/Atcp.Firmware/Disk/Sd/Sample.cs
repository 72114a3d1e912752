using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>The README's usage example, compiled with the firmware: bring a card up, describe
    /// it, stream a byte range that starts inside a block (explicitly, then as two segments through
    /// ReadBytes), rewrite a block. The board glue supplies
    /// the transport (no hardware chip select), the pins, the clock control and the clock.</summary>
    public static class SdCardSample
    {
        /// <summary>Runs the example and returns what a serial console would print.</summary>
        public static string Run(ISpiTransport spi, IOutputPin chipSelect, IInputPin cardDetect, ISpiClockControl clockControl, IClock clock)
        {
            SdCard card = new SdCard(spi, chipSelect, clock, cardDetect, true);
            card.ClockControl = clockControl;
            BlockStatus status = card.Initialize();
            if (status != BlockStatus.Ok) return "SD: " + SdCard.StatusText(status);
            string text = "SD: " + card.Info.Describe();

            // Bytes 1000..2999 of the card: the range starts inside block 1.
            const int start = 1000;
            const int length = 2000;
            byte[] payload = new byte[length];
            status = card.BeginRead(start / 512);
            int skip = start % 512;
            int done = 0;
            while (status == BlockStatus.Ok && done < length)
            {
                int take = 512 - skip;
                if (take > length - done) take = length - done;
                status = card.ReadNext(payload, done, skip, take);
                done += take;
                skip = 0;
            }
            BlockStatus end = card.EndRead();
            if (status == BlockStatus.Ok) status = end;
            text += "\nread bytes 1000..2999: " + SdCard.StatusText(status);

            // The data path: the same range as two segments; the second continues the open read.
            status = card.ReadBytes(start / 512, start % 512, payload, 0, 1460);
            if (status == BlockStatus.Ok) status = card.ReadBytes((start + 1460) / 512, (start + 1460) % 512, payload, 1460, length - 1460);
            text += "\nsegments of bytes 1000..2999: " + SdCard.StatusText(status);

            byte[] block = new byte[512];
            status = card.Read(2, 1, block, 0);
            if (status == BlockStatus.Ok) status = card.Write(2, 1, block, 0);
            text += "\nrewrite block 2: " + SdCard.StatusText(status);

            SdCardStatistics statistics = card.Statistics;
            text += "\nSPI " + statistics.SpiBytes.ToString() + " bytes in " + statistics.SpiTransactions.ToString()
                + " transactions, CRC errors " + statistics.CrcErrors.ToString();
            return text;
        }
    }
}
