namespace Atcp.Firmware.Alu
{
    /// <summary>Outcome of fitting a requested byte range to an object.</summary>
    public enum RangeStatus
    {
        /// <summary>The whole request lies inside the object.</summary>
        Ok = 0,
        /// <summary>The request ran past the end of the object and was cut at its end.</summary>
        Clamped = 1,
        /// <summary>A zero-length request at or before the end: nothing to send, not an error.</summary>
        Empty = 2,
        /// <summary>The request starts at or past the end of the object (HTTP 416).</summary>
        Unsatisfiable = 3,
        /// <summary>A negative offset or length, or a size that cannot be an object's.</summary>
        Invalid = 4,
    }

    /// <summary>Byte-range arithmetic on long values, written so no intermediate sum can overflow
    /// (limits are compared by subtraction, never by adding two caller values).</summary>
    public static class ByteRange
    {
        /// <summary>Fits [offset, offset + length) to an object of objectSize bytes. On Ok and Clamped,
        /// start and count give the bytes to send; otherwise start is the offset (or 0 when invalid)
        /// and count is 0. A length of long.MaxValue means "to the end".</summary>
        public static RangeStatus Clamp(long objectSize, long offset, long length, out long start, out long count)
        {
            start = 0;
            count = 0;
            if (objectSize < 0 || offset < 0 || length < 0) return RangeStatus.Invalid;
            start = offset;
            if (offset > objectSize) return RangeStatus.Unsatisfiable;
            if (length == 0) return RangeStatus.Empty;
            if (offset == objectSize) return RangeStatus.Unsatisfiable;
            long available = objectSize - offset;
            if (length <= available)
            {
                count = length;
                return RangeStatus.Ok;
            }
            count = available;
            return RangeStatus.Clamped;
        }

        /// <summary>Fits a suffix request (the last suffixLength bytes, HTTP "bytes=-N") to an object.
        /// A suffix longer than the object gives the whole object (Clamped); a zero suffix is
        /// Unsatisfiable as RFC 9110 section 14.1.3 says; an empty object is Unsatisfiable.</summary>
        public static RangeStatus Suffix(long objectSize, long suffixLength, out long start, out long count)
        {
            start = 0;
            count = 0;
            if (objectSize < 0 || suffixLength < 0) return RangeStatus.Invalid;
            if (suffixLength == 0 || objectSize == 0) return RangeStatus.Unsatisfiable;
            if (suffixLength <= objectSize)
            {
                start = objectSize - suffixLength;
                count = suffixLength;
                return RangeStatus.Ok;
            }
            count = objectSize;
            return RangeStatus.Clamped;
        }

        /// <summary>Number of pieces of pieceSize bytes needed to hold length bytes (ceiling
        /// division without the overflow of length + pieceSize - 1). 0 when either is not positive.</summary>
        public static long PiecesFor(long length, long pieceSize)
        {
            if (length <= 0 || pieceSize <= 0) return 0;
            long pieces = length / pieceSize;
            if (length % pieceSize != 0) pieces++;
            return pieces;
        }

        /// <summary>value rounded down to a multiple of alignment (alignment > 0, value >= 0).</summary>
        public static long AlignDown(long value, long alignment)
        {
            return value - value % alignment;
        }

        /// <summary>value rounded up to a multiple of alignment, or -1 when that would overflow.</summary>
        public static long AlignUp(long value, long alignment)
        {
            long rest = value % alignment;
            if (rest == 0) return value;
            long add = alignment - rest;
            if (value > long.MaxValue - add) return -1;
            return value + add;
        }

        /// <summary>The smaller of two longs (nanoFramework's mscorlib has no System.Math).</summary>
        public static long Min(long a, long b) { return a < b ? a : b; }

        /// <summary>The larger of two longs.</summary>
        public static long Max(long a, long b) { return a > b ? a : b; }
    }
}
