namespace Atcp.Firmware.Disk.Sd
{
    /// <summary>Which SdCard last selected a card on a shared SPI bus. The board's two cards (disk and
    /// CD) share SCK, MOSI and MISO; a card with a multiple block read open keeps its CS low between
    /// calls, so before another card is selected (or clocked with every CS high) the holder closes
    /// its stream. The cards also share one stream buffer. Give the same instance to every SdCard on the bus (SdCard.SharedBus).</summary>
    public sealed class SdBusOwner
    {
        /// <summary>The card that may still hold the bus (CS low), or null.</summary>
        internal SdCard Holder;

        /// <summary>The multiple block read engine's buffer, shared by the cards on the bus (only one
        /// reads at a time): saves a buffer per card.</summary>
        internal readonly byte[] StreamBuffer = new byte[SdCard.StreamBufferLength];

        /// <summary>The card whose bytes StreamBuffer holds; another card taking the bus makes it
        /// forget the blocks it kept decoded there.</summary>
        internal SdCard BufferUser;

        /// <summary>True while some card holds the bus between calls (an open stream).</summary>
        public bool IsHeld { get { return Holder != null; } }
    }
}
