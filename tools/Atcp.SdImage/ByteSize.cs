using System.Globalization;

namespace Atcp.SdImage;

/// <summary>Sizes as people write and read them. Parsing follows truncate(1): K, M, G, T are powers
/// of 1024 (KiB, MiB, ... also accepted), KB, MB, GB, TB powers of 1000; a plain number is bytes.</summary>
public static class ByteSize
{
    /// <summary>Parses text such as 2G, 512M, 1.5GiB, 4GB or 1048576; false when it is not a size.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.')) split++;
        if (split == 0) return false;
        if (!decimal.TryParse(s[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number)) return false;
        decimal multiplier;
        switch (s[split..].ToUpperInvariant())
        {
            case "": case "B": multiplier = 1; break;
            case "K": case "KIB": multiplier = 1L << 10; break;
            case "M": case "MIB": multiplier = 1L << 20; break;
            case "G": case "GIB": multiplier = 1L << 30; break;
            case "T": case "TIB": multiplier = 1L << 40; break;
            case "KB": multiplier = 1_000; break;
            case "MB": multiplier = 1_000_000; break;
            case "GB": multiplier = 1_000_000_000; break;
            case "TB": multiplier = 1_000_000_000_000; break;
            default: return false;
        }
        decimal value = decimal.Floor(number * multiplier);
        if (value <= 0 || value > long.MaxValue / 2) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>A short size for people: "512 B", "20.0 MiB", "1.73 GiB".</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int u = -1;
        while (value >= 1024 && u < units.Length - 1) { value /= 1024; u++; }
        string digits = value < 10 ? value.ToString("0.00", CultureInfo.InvariantCulture)
            : value < 100 ? value.ToString("0.0", CultureInfo.InvariantCulture)
            : value.ToString("0", CultureInfo.InvariantCulture);
        return digits + " " + units[u];
    }

    /// <summary>A byte count with thousands separators, e.g. "20,971,520".</summary>
    public static string Exact(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);
}
