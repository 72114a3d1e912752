namespace Atcp.Wire.IPv4
{
    /// <summary>IPv4 address helpers for people (configuration, logs); not for the data path.
    /// An address is the host-order uint of its network-order bytes: 10.0.0.1 is 0x0A000001.</summary>
    public static class IPv4Address
    {
        /// <summary>0.0.0.0.</summary>
        public const uint Any = 0;
        /// <summary>255.255.255.255, the limited broadcast address.</summary>
        public const uint Broadcast = 0xFFFFFFFF;

        /// <summary>The address a.b.c.d.</summary>
        public static uint FromOctets(byte a, byte b, byte c, byte d)
        {
            return ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;
        }

        /// <summary>Formats an address as a dotted quad, "192.0.2.1".</summary>
        public static string Format(uint address)
        {
            return ((address >> 24) & 0xFF).ToString() + "." + ((address >> 16) & 0xFF).ToString() + "."
                + ((address >> 8) & 0xFF).ToString() + "." + (address & 0xFF).ToString();
        }

        /// <summary>Parses a dotted quad of four decimal octets 0..255 (at most three digits each,
        /// no spaces). Returns false and sets address to 0 for anything else.</summary>
        public static bool TryParse(string text, out uint address)
        {
            address = 0;
            if (text == null) return false;
            uint value = 0;
            int octets = 0;
            int digits = 0;
            int octet = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                char c = i < text.Length ? text[i] : '.';
                if (c >= '0' && c <= '9')
                {
                    if (++digits > 3) return false;
                    octet = octet * 10 + (c - '0');
                    if (octet > 255) return false;
                }
                else if (c == '.')
                {
                    if (digits == 0 || octets == 4) return false;
                    value = (value << 8) | (uint)octet;
                    octets++;
                    digits = 0;
                    octet = 0;
                }
                else return false;
            }
            if (octets != 4) return false;
            address = value;
            return true;
        }

        /// <summary>True when a and b are in the same network under a prefix of prefixLength bits (0..32).</summary>
        public static bool SameNetwork(uint a, uint b, int prefixLength)
        {
            if (prefixLength <= 0) return true;
            if (prefixLength >= 32) return a == b;
            uint mask = 0xFFFFFFFFu << (32 - prefixLength);
            return (a & mask) == (b & mask);
        }
    }
}
