namespace Atcp.Firmware.Cd
{
    /// <summary>ISO 9660 dates to Unix seconds (UTC), without DateTime so it costs the same on the
    /// board as in tests. 0 means "not recorded or invalid" (callers then omit the date).</summary>
    public static class IsoDate
    {
        /// <summary>Converts a 7-byte directory record date (ECMA-119 9.1.5: years since 1900, month,
        /// day, hour, minute, second, signed GMT offset in 15-minute units).</summary>
        public static long FromRecordingDate(byte[] buffer, int offset)
        {
            int year = 1900 + buffer[offset];
            int month = buffer[offset + 1];
            int day = buffer[offset + 2];
            int hour = buffer[offset + 3];
            int minute = buffer[offset + 4];
            int second = buffer[offset + 5];
            int gmtOffset = (sbyte)buffer[offset + 6];
            return ToUnixSeconds(year, month, day, hour, minute, second, gmtOffset);
        }

        /// <summary>Converts a 17-byte volume descriptor date (ECMA-119 8.4.26.1: "YYYYMMDDHHMMSScc"
        /// in ASCII digits, then a signed GMT offset in 15-minute units). All zero digits: not recorded.</summary>
        public static long FromDescriptorDate(byte[] buffer, int offset)
        {
            int year = Digits(buffer, offset, 4);
            int month = Digits(buffer, offset + 4, 2);
            int day = Digits(buffer, offset + 6, 2);
            int hour = Digits(buffer, offset + 8, 2);
            int minute = Digits(buffer, offset + 10, 2);
            int second = Digits(buffer, offset + 12, 2);
            int gmtOffset = (sbyte)buffer[offset + 16];
            if (year <= 0) return 0;
            return ToUnixSeconds(year, month, day, hour, minute, second, gmtOffset);
        }

        /// <summary>Seconds since 1970-01-01T00:00Z for a local date with a GMT offset in quarter
        /// hours; 0 when a field is out of range.</summary>
        public static long ToUnixSeconds(int year, int month, int day, int hour, int minute, int second, int gmtOffsetQuarters)
        {
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return 0;
            if (gmtOffsetQuarters < -48 || gmtOffsetQuarters > 52) return 0;
            long days = DaysFromCivil(year, month, day);
            return days * 86400 + hour * 3600 + minute * 60 + second - gmtOffsetQuarters * 900L;
        }

        // Days since 1970-01-01 in the proleptic Gregorian calendar: years start in March so the
        // leap day falls last, eras are 400-year cycles of 146097 days.
        static long DaysFromCivil(int year, int month, int day)
        {
            int y = month <= 2 ? year - 1 : year;
            int era = (y >= 0 ? y : y - 399) / 400;
            int yearOfEra = y - era * 400;
            int monthFromMarch = month > 2 ? month - 3 : month + 9;
            int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
            int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146097L + dayOfEra - 719468;
        }

        static int Digits(byte[] buffer, int offset, int count)
        {
            int value = 0;
            for (int i = 0; i < count; i++)
            {
                int d = buffer[offset + i] - '0';
                if (d < 0 || d > 9) return -1;
                value = value * 10 + d;
            }
            return value;
        }
    }
}
