namespace Atcp.Frontend.Http;

/// <summary>A contiguous run of bytes of an object: [Offset, Offset + Length).</summary>
public readonly record struct ByteRange(long Offset, long Length)
{
    /// <summary>The position of the last byte (inclusive), as Content-Range writes it.</summary>
    public long Last => Offset + Length - 1;

    /// <summary>The Content-Range value for this range of an object of <paramref name="size"/> bytes.</summary>
    public string ToContentRange(long size) => "bytes " + Offset + "-" + Last + "/" + size;
}

/// <summary>One range-spec as written (RFC 9110 14.1.1): "first-last", "first-" or "-suffix".</summary>
/// <param name="First">first-pos, or -1 for a suffix range.</param>
/// <param name="Last">last-pos, or -1 if open-ended or a suffix range.</param>
/// <param name="SuffixLength">suffix-length for a suffix range, else -1.</param>
public readonly record struct RangeSpec(long First, long Last, long SuffixLength)
{
    /// <summary>True for "-n".</summary>
    public bool IsSuffix => First < 0;
}

/// <summary>How a Range request is answered.</summary>
public enum RangeDecision
{
    /// <summary>Serve the whole object with 200: no Range, a Range we ignore, or ranges that do not coalesce.</summary>
    Full,
    /// <summary>Serve one range with 206.</summary>
    Partial,
    /// <summary>No range overlaps the object: 416 with "Content-Range: bytes */size".</summary>
    Unsatisfiable,
}

/// <summary>The Range header (RFC 9110 14.1-14.2) for a server whose boards send one contiguous run of
/// bytes: a range set is answered with the single range it coalesces into, or in full otherwise.</summary>
public static class ByteRanges
{
    /// <summary>More range-specs than this and the Range field is ignored (whole object, 200).</summary>
    public const int DefaultMaxRanges = 64;

    /// <summary>Parses "bytes=" range-set. False (ignore the field) for another unit, bad syntax,
    /// last-pos before first-pos, or more than <paramref name="maxRanges"/> specs.</summary>
    public static bool TryParse(string value, int maxRanges, out List<RangeSpec> specs)
    {
        specs = [];
        ReadOnlySpan<char> v = value;
        int eq = v.IndexOf('=');
        if (eq < 0 || !HttpSyntax.EqualsIgnoreCase(v[..eq], "bytes")) return false;
        foreach (Range r in v[(eq + 1)..].Split(','))
        {
            ReadOnlySpan<char> spec = HttpSyntax.TrimOws(v[(eq + 1)..][r]);
            if (spec.IsEmpty) continue; // RFC 9110 5.6.1: empty list elements are ignored
            int dash = spec.IndexOf('-');
            if (dash < 0) return false;
            ReadOnlySpan<char> first = spec[..dash], last = spec[(dash + 1)..];
            if (first.IsEmpty)
            {
                if (!TryNumber(last, out long suffix)) return false;
                specs.Add(new RangeSpec(-1, -1, suffix));
            }
            else
            {
                if (!TryNumber(first, out long f)) return false;
                long l = -1;
                if (!last.IsEmpty && (!TryNumber(last, out l) || l < f)) return false;
                specs.Add(new RangeSpec(f, l, -1));
            }
            if (specs.Count > maxRanges) return false;
        }
        return specs.Count > 0;
    }

    /// <summary>Decides how to answer <paramref name="rangeField"/> (null: no Range) for an object of
    /// <paramref name="size"/> bytes; for Partial, <paramref name="range"/> is the range to send.</summary>
    public static RangeDecision Resolve(string? rangeField, long size, out ByteRange range, int maxRanges = DefaultMaxRanges)
    {
        range = new ByteRange(0, size);
        if (rangeField == null || !TryParse(rangeField, maxRanges, out List<RangeSpec> specs)) return RangeDecision.Full;

        var satisfiable = new List<ByteRange>(specs.Count);
        bool emptyButSatisfiable = false;
        foreach (RangeSpec spec in specs)
        {
            if (spec.IsSuffix)
            {
                if (spec.SuffixLength == 0) continue;
                // RFC 9110 14.1.3: for a zero-length object only a non-zero suffix is satisfiable,
                // yet no Content-Range can describe an empty part: the (empty) whole is served.
                if (size == 0) { emptyButSatisfiable = true; continue; }
                long length = Math.Min(spec.SuffixLength, size);
                satisfiable.Add(new ByteRange(size - length, length));
            }
            else
            {
                if (spec.First >= size) continue;
                long last = spec.Last < 0 || spec.Last >= size ? size - 1 : spec.Last;
                satisfiable.Add(new ByteRange(spec.First, last - spec.First + 1));
            }
        }
        if (satisfiable.Count == 0) return emptyButSatisfiable ? RangeDecision.Full : RangeDecision.Unsatisfiable;

        satisfiable.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        ByteRange merged = satisfiable[0];
        for (int i = 1; i < satisfiable.Count; i++)
        {
            ByteRange next = satisfiable[i];
            if (next.Offset > merged.Last + 1) return RangeDecision.Full; // a gap: not one contiguous range
            long end = Math.Max(merged.Last, next.Last);
            merged = new ByteRange(merged.Offset, end - merged.Offset + 1);
        }
        range = merged;
        return RangeDecision.Partial;
    }

    /// <summary>1*DIGIT; values beyond a long saturate (a huge last-pos just means "to the end").</summary>
    static bool TryNumber(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        foreach (char c in s)
        {
            if (c < '0' || c > '9') return false;
            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : value * 10 + (c - '0');
        }
        return true;
    }
}
