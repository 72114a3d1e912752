namespace Atcp.Firmware.Console
{
    /// <summary>Number formatting for people that behaves the same on nanoFramework and .NET
    /// (no format strings: their support differs between the two runtimes).</summary>
    public static class Text
    {
        /// <summary>Milliseconds as seconds with three decimals, e.g. "12.345s".</summary>
        public static string Seconds(long ms)
        {
            long s = ms / 1000, frac = ms % 1000;
            return s.ToString() + "." + Pad(frac, 3) + "s";
        }

        /// <summary>A non-negative value left-padded with zeros to width digits.</summary>
        public static string Pad(long value, int width)
        {
            string t = value.ToString();
            while (t.Length < width) t = "0" + t;
            return t;
        }

        /// <summary>A string right-aligned in width columns.</summary>
        public static string Right(string text, int width)
        {
            while (text.Length < width) text = " " + text;
            return text;
        }

        /// <summary>A string left-aligned in width columns.</summary>
        public static string Left(string text, int width)
        {
            while (text.Length < width) text = text + " ";
            return text;
        }

        /// <summary>Bytes in human units: "512 B", "1.5 KiB", "3.2 MiB", "7.9 GiB".</summary>
        public static string Bytes(long bytes)
        {
            if (bytes < 1024) return bytes.ToString() + " B";
            string[] units = Units;
            double v = bytes;
            int u = -1;
            while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
            long tenths = (long)(v * 10 + 0.5);
            return (tenths / 10).ToString() + "." + (tenths % 10).ToString() + " " + units[u];
        }

        static readonly string[] Units = new string[] { "KiB", "MiB", "GiB", "TiB" };

        /// <summary>A MAC address as aa:bb:cc:dd:ee:ff (the wire library's format).</summary>
        public static string Mac(byte[] mac, int offset) { return Atcp.Wire.Ethernet.MacAddress.Format(mac, offset); }

        /// <summary>An IPv4 address (host-order value of network-order bytes) as a dotted quad.</summary>
        public static string Ip(uint address) { return Atcp.Wire.IPv4.IPv4Address.Format(address); }

        /// <summary>Two lowercase hex digits.</summary>
        public static string Hex2(int b)
        {
            const string digits = "0123456789abcdef";
            return digits[(b >> 4) & 0xF].ToString() + digits[b & 0xF].ToString();
        }

        /// <summary>Hex of bytes, e.g. "00a1ff".</summary>
        public static string Hex(byte[] bytes, int offset, int count)
        {
            string s = "";
            for (int i = 0; i < count; i++) s += Hex2(bytes[offset + i]);
            return s;
        }
    }
}
