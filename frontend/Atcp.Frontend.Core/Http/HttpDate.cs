using System.Globalization;

namespace Atcp.Frontend.Http;

/// <summary>HTTP-date (RFC 9110 5.6.7): IMF-fixdate for sending; IMF-fixdate, the obsolete RFC 850
/// form and asctime accepted when receiving, as recipients must.</summary>
public static class HttpDate
{
    static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    static readonly string[] LongDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>"Sun, 06 Nov 1994 08:49:37 GMT" for <paramref name="time"/> (converted to UTC, seconds truncated).</summary>
    public static string Format(DateTimeOffset time) => string.Create(29, time.UtcDateTime, static (c, t) =>
    {
        DayNames[(int)t.DayOfWeek].CopyTo(c);
        c[3] = ',';
        c[4] = ' ';
        TwoDigits(c[5..], t.Day);
        c[7] = ' ';
        MonthNames[t.Month - 1].CopyTo(c[8..]);
        c[11] = ' ';
        TwoDigits(c[12..], t.Year / 100);
        TwoDigits(c[14..], t.Year % 100);
        c[16] = ' ';
        TwoDigits(c[17..], t.Hour);
        c[19] = ':';
        TwoDigits(c[20..], t.Minute);
        c[22] = ':';
        TwoDigits(c[23..], t.Second);
        " GMT".CopyTo(c[25..]);
    });

    static void TwoDigits(Span<char> c, int value)
    {
        c[0] = (char)('0' + value / 10);
        c[1] = (char)('0' + value % 10);
    }

    /// <summary>Truncates to whole seconds, the precision of an HTTP-date.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>Parses any of the three HTTP-date forms exactly; <paramref name="now"/> resolves the
    /// two-digit year of the RFC 850 form (never more than 50 years ahead).</summary>
    public static bool TryParse(string? value, DateTimeOffset now, out DateTimeOffset time)
    {
        time = default;
        if (value == null) return false;
        ReadOnlySpan<char> s = value;
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (s.Length == 29 && s[3] == ',' && Array.IndexOf(DayNames, s[..3].ToString()) >= 0 &&
            s[4] == ' ' && s[7] == ' ' && s[11] == ' ' && s[16] == ' ' && s[25..].SequenceEqual(" GMT"))
            return TryBuild(s.Slice(12, 4), s.Slice(8, 3), s.Slice(5, 2), s.Slice(17, 8), out time);
        // asctime: "Sun Nov  6 08:49:37 1994"
        if (s.Length == 24 && s[3] == ' ' && Array.IndexOf(DayNames, s[..3].ToString()) >= 0 && s[7] == ' ' &&
            s[10] == ' ' && s[19] == ' ')
        {
            ReadOnlySpan<char> day = s[8] == ' ' ? s.Slice(9, 1) : s.Slice(8, 2);
            return TryBuild(s.Slice(20, 4), s.Slice(4, 3), day, s.Slice(11, 8), out time);
        }
        // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"
        int comma = s.IndexOf(',');
        if (comma > 0 && Array.IndexOf(LongDayNames, s[..comma].ToString()) >= 0)
        {
            ReadOnlySpan<char> r = s[(comma + 1)..];
            if (r.Length != 23 || r[0] != ' ' || r[3] != '-' || r[7] != '-' || r[10] != ' ' || !r[19..].SequenceEqual(" GMT"))
                return false;
            if (!TryDigits(r.Slice(8, 2), out int yy)) return false;
            int year = now.UtcDateTime.Year / 100 * 100 + yy;
            if (year > now.UtcDateTime.Year + 50) year -= 100;
            return TryBuild(year.ToString("0000", CultureInfo.InvariantCulture), r.Slice(4, 3), r.Slice(1, 2), r.Slice(11, 8), out time);
        }
        return false;
    }

    static bool TryBuild(ReadOnlySpan<char> year, ReadOnlySpan<char> month, ReadOnlySpan<char> day, ReadOnlySpan<char> clock,
                         out DateTimeOffset time)
    {
        time = default;
        int m = Array.IndexOf(MonthNames, month.ToString());
        if (m < 0 || clock[2] != ':' || clock[5] != ':') return false;
        if (!TryDigits(year, out int y) || !TryDigits(day, out int d) || !TryDigits(clock[..2], out int hh) ||
            !TryDigits(clock.Slice(3, 2), out int mm) || !TryDigits(clock.Slice(6, 2), out int ss))
            return false;
        // RFC 9110 5.6.7 allows second 60 (leap second); DateTime does not, so it reads as 59.
        if (y < 1 || d < 1 || d > DateTime.DaysInMonth(y, m + 1) || hh > 23 || mm > 59 || ss > 60) return false;
        time = new DateTimeOffset(y, m + 1, d, hh, mm, Math.Min(ss, 59), TimeSpan.Zero);
        return true;
    }

    static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        foreach (char c in s)
        {
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
