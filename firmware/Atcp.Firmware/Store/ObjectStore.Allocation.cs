namespace Atcp.Firmware.Store
{
    // Free space: one bit per allocation unit in the bitmap blocks (1 = used), LSB first. Allocation
    // reads the committed bitmap only; the bits are set in the same commit that makes the object
    // visible, so units of an unfinished write are free again after a power cut.
    public sealed partial class ObjectStore
    {
        readonly uint[] _runStart = new uint[StoreObject.MaxExtents];
        readonly uint[] _runLength = new uint[StoreObject.MaxExtents];

        /// <summary>Finds units free units in at most MaxExtents runs: the first single run that is
        /// long enough, else the longest runs. Fills starts/counts in ascending unit order.
        /// CardFull when fewer units are free, Fragmented when the longest runs are too few.
        /// Scans the bitmap (console/host path).</summary>
        internal StoreStatus Allocate(long units, uint[] starts, uint[] counts, out int extentCount)
        {
            extentCount = 0;
            if (units > _committed.FreeUnits) return StoreStatus.CardFull;
            StoreLayout layout = _working.Layout;
            int kept = 0;
            long runStart = 0;
            long runLength = 0;
            for (int j = 0; j < layout.BitmapBlocks; j++)
            {
                StoreStatus status = ReadMeta(BitmapIndex(j), _meta);
                if (status != StoreStatus.Ok) return status;
                long firstUnit = (long)j * StoreLayout.UnitsPerBitmapBlock;
                long lastUnit = firstUnit + StoreLayout.UnitsPerBitmapBlock;
                if (lastUnit > layout.UnitCount) lastUnit = layout.UnitCount;
                long unit = firstUnit;
                while (unit < lastUnit)
                {
                    int bit = (int)(unit - firstUnit);
                    int value = _meta[MetadataBlock.HeaderLength + (bit >> 3)];
                    if ((bit & 7) == 0 && unit + 8 <= lastUnit && (value == 0 || value == 0xFF))
                    {
                        // Whole free or whole used byte: one step instead of eight.
                        if (value == 0)
                        {
                            if (runLength == 0) runStart = unit;
                            runLength += 8;
                            if (runLength >= units) return TakeSingle(runStart, units, starts, counts, out extentCount);
                        }
                        else if (runLength > 0)
                        {
                            kept = KeepRun(runStart, runLength, kept);
                            runLength = 0;
                        }
                        unit += 8;
                        continue;
                    }
                    if ((value & (1 << (bit & 7))) == 0)
                    {
                        if (runLength == 0) runStart = unit;
                        runLength++;
                        if (runLength >= units) return TakeSingle(runStart, units, starts, counts, out extentCount);
                    }
                    else if (runLength > 0)
                    {
                        kept = KeepRun(runStart, runLength, kept);
                        runLength = 0;
                    }
                    unit++;
                }
            }
            if (runLength > 0) kept = KeepRun(runStart, runLength, kept);
            // _runStart/_runLength hold the longest runs, longest first.
            long remaining = units;
            int n = 0;
            while (n < kept && remaining > 0)
            {
                long take = _runLength[n] < remaining ? _runLength[n] : remaining;
                starts[n] = _runStart[n];
                counts[n] = (uint)take;
                remaining -= take;
                n++;
            }
            if (remaining > 0) return StoreStatus.Fragmented;
            SortByStart(starts, counts, n);
            extentCount = n;
            return StoreStatus.Ok;
        }

        static StoreStatus TakeSingle(long start, long units, uint[] starts, uint[] counts, out int extentCount)
        {
            starts[0] = (uint)start;
            counts[0] = (uint)units;
            extentCount = 1;
            return StoreStatus.Ok;
        }

        /// <summary>Inserts a run into the longest-first list of at most MaxExtents runs.</summary>
        int KeepRun(long start, long length, int kept)
        {
            int position = kept;
            while (position > 0 && _runLength[position - 1] < length) position--;
            if (position >= StoreObject.MaxExtents) return kept;
            int last = kept < StoreObject.MaxExtents ? kept : StoreObject.MaxExtents - 1;
            for (int i = last; i > position; i--)
            {
                _runStart[i] = _runStart[i - 1];
                _runLength[i] = _runLength[i - 1];
            }
            _runStart[position] = (uint)start;
            _runLength[position] = (uint)length;
            return kept < StoreObject.MaxExtents ? kept + 1 : kept;
        }

        static void SortByStart(uint[] starts, uint[] counts, int n)
        {
            for (int i = 1; i < n; i++)
            {
                uint s = starts[i];
                uint c = counts[i];
                int k = i - 1;
                while (k >= 0 && starts[k] > s)
                {
                    starts[k + 1] = starts[k];
                    counts[k + 1] = counts[k];
                    k--;
                }
                starts[k + 1] = s;
                counts[k + 1] = c;
            }
        }

        /// <summary>Inside a transaction: marks units [start, start + count) used or free. Corrupt
        /// (nothing written for that block) when a bit already has the wanted value: that would be
        /// a double allocation or a double free.</summary>
        StoreStatus MarkUnits(long start, long count, bool used)
        {
            long end = start + count;
            while (start < end)
            {
                int j = (int)(start / StoreLayout.UnitsPerBitmapBlock);
                long blockFirst = (long)j * StoreLayout.UnitsPerBitmapBlock;
                long stop = blockFirst + StoreLayout.UnitsPerBitmapBlock;
                if (stop > end) stop = end;
                StoreStatus status = ReadMeta(BitmapIndex(j), _meta);
                if (status != StoreStatus.Ok) return status;
                long unit = start;
                while (unit < stop)
                {
                    int bit = (int)(unit - blockFirst);
                    int at = MetadataBlock.HeaderLength + (bit >> 3);
                    if ((bit & 7) == 0 && unit + 8 <= stop)
                    {
                        // Whole byte: it must be all free (or all used) before the change.
                        if (_meta[at] != (used ? 0x00 : 0xFF)) return StoreStatus.Corrupt;
                        _meta[at] = (byte)(used ? 0xFF : 0x00);
                        unit += 8;
                        continue;
                    }
                    int mask = 1 << (bit & 7);
                    bool isUsed = (_meta[at] & mask) != 0;
                    if (isUsed == used) return StoreStatus.Corrupt;
                    _meta[at] = (byte)(used ? _meta[at] | mask : _meta[at] & ~mask);
                    unit++;
                }
                status = WriteMeta(BitmapIndex(j), _meta, StoreLayout.BlockSize);
                if (status != StoreStatus.Ok) return status;
                start = stop;
            }
            return StoreStatus.Ok;
        }

        /// <summary>Inside a transaction: marks every extent of obj used or free.</summary>
        StoreStatus MarkObject(StoreObject obj, bool used)
        {
            for (int i = 0; i < obj.ExtentCount; i++)
            {
                StoreStatus status = MarkUnits(obj.ExtentStart[i], obj.ExtentUnits[i], used);
                if (status != StoreStatus.Ok) return status;
            }
            return StoreStatus.Ok;
        }
    }
}
