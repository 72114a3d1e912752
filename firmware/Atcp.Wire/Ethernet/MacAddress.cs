namespace Atcp.Wire.Ethernet
{
    /// <summary>MAC address helpers for people (configuration, logs); not for the data path, where
    /// addresses stay 6-byte arrays compared with <see cref="Equal"/>.</summary>
    public static class MacAddress
    {
        /// <summary>Bytes in a MAC address.</summary>
        public const int Length = 6;

        /// <summary>True when a[aOffset..+6) and b[bOffset..+6) hold the same address.</summary>
        public static bool Equal(byte[] a, int aOffset, byte[] b, int bOffset)
        {
            return a[aOffset] == b[bOffset] && a[aOffset + 1] == b[bOffset + 1]
                && a[aOffset + 2] == b[bOffset + 2] && a[aOffset + 3] == b[bOffset + 3]
                && a[aOffset + 4] == b[bOffset + 4] && a[aOffset + 5] == b[bOffset + 5];
        }

        /// <summary>True for ff:ff:ff:ff:ff:ff.</summary>
        public static bool IsBroadcast(byte[] mac, int offset)
        {
            return (mac[offset] & mac[offset + 1] & mac[offset + 2] & mac[offset + 3] & mac[offset + 4] & mac[offset + 5]) == 0xFF;
        }

        /// <summary>True when the group bit (IEEE 802, least significant bit of the first octet) is
        /// set: multicast or broadcast.</summary>
        public static bool IsGroup(byte[] mac, int offset)
        {
            return (mac[offset] & 1) != 0;
        }

        /// <summary>Formats mac[offset..+6) as lower-case "02:00:5e:00:00:01".</summary>
        public static string Format(byte[] mac, int offset)
        {
            const string digits = "0123456789abcdef";
            char[] text = new char[17];
            for (int i = 0; i < 6; i++)
            {
                int b = mac[offset + i];
                text[i * 3] = digits[b >> 4];
                text[i * 3 + 1] = digits[b & 15];
                if (i < 5) text[i * 3 + 2] = ':';
            }
            return new string(text);
        }

        /// <summary>Parses "02:00:5e:00:00:01" (or with '-' separators, any case) into
        /// mac[offset..+6). Returns false and leaves mac unchanged when the text is not an address.</summary>
        public static bool TryParse(string text, byte[] mac, int offset)
        {
            if (text == null || text.Length != 17) return false;
            byte[] parsed = new byte[6];
            for (int i = 0; i < 6; i++)
            {
                int high = HexValue(text[i * 3]);
                int low = HexValue(text[i * 3 + 1]);
                if (high < 0 || low < 0) return false;
                if (i < 5 && text[i * 3 + 2] != ':' && text[i * 3 + 2] != '-') return false;
                parsed[i] = (byte)((high << 4) | low);
            }
            System.Array.Copy(parsed, 0, mac, offset, 6);
            return true;
        }

        static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
