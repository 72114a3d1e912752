using Atcp.Firmware.Hal;
using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Board
{
    /// <summary>What a volume keeps of the object open in each stream slot, read through the slot's
    /// <see cref="SlotSource"/>.</summary>
    public interface ISlotReader
    {
        /// <summary>Size of the object open in slot.</summary>
        long SizeOf(int slot);

        /// <summary>Chunk size of the stored sums of the object open in slot (0: none).</summary>
        int ChunkSizeOf(int slot);

        /// <summary>Reads bytes of the object open in slot (see <see cref="IPayloadSource.Read"/>).</summary>
        BlockStatus Read(int slot, long offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>Stored sum of the object open in slot (see <see cref="IPayloadSource.TryGetStoredSum"/>).</summary>
        bool TryGetStoredSum(int slot, long offset, int count, out ushort sum);
    }

    /// <summary>One payload source per stream slot, shared by every volume: a slot serves one object
    /// at a time, from whichever volume opened it last, so the disk and the CD need no sources of
    /// their own (on nanoCLR each object costs a heap block per field).</summary>
    public sealed class PayloadSlots
    {
        readonly SlotSource[] _sources;

        /// <summary>Sources for slots 0..count-1.</summary>
        public PayloadSlots(int count)
        {
            _sources = new SlotSource[count];
            for (int i = 0; i < count; i++) _sources[i] = new SlotSource(i);
        }

        /// <summary>Number of slots.</summary>
        public int Count { get { return _sources.Length; } }

        /// <summary>Slot's source, now reading the object reader opened there.</summary>
        public IPayloadSource Bind(int slot, ISlotReader reader)
        {
            SlotSource s = _sources[slot];
            s.Reader = reader;
            return s;
        }
    }

    /// <summary>A stream slot's payload: a small handle over the volume that opened the slot's object.</summary>
    public sealed class SlotSource : IPayloadSource
    {
        readonly int _slot;

        /// <summary>The volume whose object the slot serves.</summary>
        internal ISlotReader Reader;

        /// <summary>The source of stream slot slot.</summary>
        public SlotSource(int slot) { _slot = slot; }

        /// <inheritdoc/>
        public long Size { get { return Reader.SizeOf(_slot); } }
        /// <inheritdoc/>
        public int ChunkSize { get { return Reader.ChunkSizeOf(_slot); } }

        /// <inheritdoc/>
        public BlockStatus Read(long offset, byte[] buffer, int bufferOffset, int count)
        {
            return Reader.Read(_slot, offset, buffer, bufferOffset, count);
        }

        /// <inheritdoc/>
        public bool TryGetStoredSum(long offset, int count, out ushort sum)
        {
            return Reader.TryGetStoredSum(_slot, offset, count, out sum);
        }
    }
}
