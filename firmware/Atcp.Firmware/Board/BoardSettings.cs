using Atcp.Firmware.Console;
using Atcp.Firmware.Store;
using Atcp.Wire;

namespace Atcp.Firmware.Board
{
    /// <summary>The board's configuration as text lines "key=value" in the disk store object
    /// ".atcp/board.conf" (never served to clients). Written whole on every change, so the store's
    /// crash safety covers it: a power cut leaves the old or the new file, never a mix.
    /// Keys: board-id, cluster-id (hex), cluster-key (32 hex digits), mac, heartbeat (seconds), epoch.</summary>
    public static class BoardSettings
    {
        /// <summary>Object name of the settings file.</summary>
        public const string ObjectName = ".atcp/board.conf";

        /// <summary>Reads settings from store into config; false when there are none (first boot or no card).</summary>
        public static bool Load(ObjectStore store, BoardConfig config, BoardLog log, long now)
        {
            if (store == null || !store.IsMounted) return false;
            StoreObject o = new StoreObject();
            if (store.Lookup(ObjectName, o) != StoreStatus.Ok) return false;
            if (o.Size > 4096) { log.Add(now, LogLevel.Warning, "settings file too large, ignored"); return false; }
            byte[] text = new byte[(int)o.Size];
            if (store.ReadRange(o, 0, text, 0, text.Length) != StoreStatus.Ok)
            {
                log.Add(now, LogLevel.Error, "settings file unreadable, using defaults");
                return false;
            }
            string[] lines = Utf8.GetString(text, 0, text.Length).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                int eq = line.IndexOf('=');
                if (line.Length == 0 || line[0] == '#' || eq <= 0) continue;
                string error = Apply(config, line.Substring(0, eq).Trim(), line.Substring(eq + 1).Trim());
                if (error != null) log.Add(now, LogLevel.Warning, "settings line " + (i + 1).ToString() + ": " + error);
            }
            return true;
        }

        /// <summary>Writes config to store; returns a store status.</summary>
        public static StoreStatus Save(ObjectStore store, BoardConfig config)
        {
            if (store == null || !store.IsMounted) return StoreStatus.NotMounted;
            byte[] text = Utf8.GetBytes(Format(config, true));
            ObjectWriter w = store.Writer;
            StoreStatus status = w.Begin(ObjectName, text.Length, "text/plain");
            if (status == StoreStatus.Ok)
            {
                status = w.Append(text, 0, text.Length);
                if (status == StoreStatus.Ok) status = w.Commit();
                else w.Abort();
            }
            // Settings are written at boot and by the console's `set`, nothing else writes: the
            // writer's buffers (about 2 KB) go back to the heap rather than stay for the board's life.
            store.ReleaseWriter();
            return status;
        }

        /// <summary>The settings as text; withKey false masks the cluster key (for the console).</summary>
        public static string Format(BoardConfig c, bool withKey)
        {
            return "board-id=" + c.BoardId.ToString() + "\n"
                + "cluster-id=" + Hex32(c.ClusterId) + "\n"
                + "cluster-key=" + (withKey ? Text.Hex(c.ClusterKey, 0, 16) : "(set, " + KeyFingerprint(c) + ")") + "\n"
                + "mac=" + Text.Mac(c.Mac, 0) + "\n"
                + "heartbeat=" + c.HeartbeatSeconds.ToString() + "\n"
                + "epoch=" + c.BootEpoch.ToString() + "\n";
        }

        /// <summary>Applies one key; returns null, or an error for people.</summary>
        public static string Apply(BoardConfig c, string key, string value)
        {
            long n;
            switch (key)
            {
                case "board-id":
                    if (!ParseDecimal(value, out n) || n < 1 || n > 65534) return "board-id must be 1..65534";
                    c.BoardId = (ushort)n;
                    return null;
                case "cluster-id":
                    if (!ParseHex(value, 8, out n)) return "cluster-id must be up to 8 hex digits, e.g. a7c90001";
                    c.ClusterId = (uint)n;
                    return null;
                case "cluster-key":
                    if (value.Length != 32 || !ParseHexBytes(value, c.ClusterKey)) return "cluster-key must be 32 hex digits (16 bytes)";
                    return null;
                case "mac":
                    if (!Atcp.Wire.Ethernet.MacAddress.TryParse(value, c.Mac, 0)) return "mac must look like 02:a7:c9:0b:00:01";
                    return null;
                case "heartbeat":
                    if (!ParseDecimal(value, out n) || n < 1 || n > 3600) return "heartbeat must be 1..3600 seconds";
                    c.HeartbeatSeconds = (int)n;
                    return null;
                case "epoch":
                    if (!ParseDecimal(value, out n) || n < 0 || n > 0xFFFFFFFFL) return "epoch must be 0..4294967295";
                    c.BootEpoch = (uint)n;
                    return null;
                default:
                    return "unknown key '" + key + "' (keys: board-id, cluster-id, cluster-key, mac, heartbeat)";
            }
        }

        /// <summary>A short fingerprint of the key for people: the first 4 hex digits of its SipHash.</summary>
        public static string KeyFingerprint(BoardConfig c)
        {
            byte[] zero = new byte[1];
            ulong h = global::Atcp.Wire.Atcp.SipHash24.Compute(global::Atcp.Wire.Atcp.SipHash24.KeyHalf(c.ClusterKey, 0),
                global::Atcp.Wire.Atcp.SipHash24.KeyHalf(c.ClusterKey, 8), zero, 0, 1);
            return "fingerprint " + Text.Hex2((int)(h >> 56)) + Text.Hex2((int)(h >> 48));
        }

        static string Hex32(uint v)
        {
            return Text.Hex2((int)(v >> 24)) + Text.Hex2((int)(v >> 16)) + Text.Hex2((int)(v >> 8)) + Text.Hex2((int)v);
        }

        static bool ParseDecimal(string s, out long value)
        {
            value = 0;
            if (s.Length == 0 || s.Length > 10) return false;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9') return false;
                value = value * 10 + (s[i] - '0');
            }
            return true;
        }

        static int HexDigit(char ch)
        {
            if (ch >= '0' && ch <= '9') return ch - '0';
            if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
            if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
            return -1;
        }

        static bool ParseHex(string s, int maxDigits, out long value)
        {
            value = 0;
            if (s.StartsWith("0x") || s.StartsWith("0X")) s = s.Substring(2);
            if (s.Length == 0 || s.Length > maxDigits) return false;
            for (int i = 0; i < s.Length; i++)
            {
                int d = HexDigit(s[i]);
                if (d < 0) return false;
                value = (value << 4) | (uint)d;
            }
            return true;
        }

        static bool ParseHexBytes(string s, byte[] dest)
        {
            byte[] tmp = new byte[dest.Length];
            for (int i = 0; i < dest.Length; i++)
            {
                int hi = HexDigit(s[2 * i]), lo = HexDigit(s[2 * i + 1]);
                if (hi < 0 || lo < 0) return false;
                tmp[i] = (byte)((hi << 4) | lo);
            }
            System.Array.Copy(tmp, dest, dest.Length);
            return true;
        }
    }
}
