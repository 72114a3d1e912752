using System.Globalization;
using Atcp.Firmware.Board;

namespace Atcp.SdImage;

/// <summary>The settings file (.atcp/board.conf) an image can carry, so a board boots into its
/// cluster without a console session: board id, cluster id and key, default MAC, heartbeat 10 s,
/// epoch 0 (the board raises it before first use).</summary>
public static class BoardProvisioning
{
    /// <summary>Seconds between HELLOs written into provisioned settings.</summary>
    public const int HeartbeatSeconds = 10;

    /// <summary>The settings of board boardId; clusterId and key default to BoardConfig's (key all zero).</summary>
    public static BoardConfig Settings(ushort boardId, uint? clusterId, byte[]? clusterKey)
    {
        var config = new BoardConfig { BoardId = boardId, HeartbeatSeconds = HeartbeatSeconds, BootEpoch = 0 };
        if (clusterId is uint id) config.ClusterId = id;
        if (clusterKey != null) Array.Copy(clusterKey, config.ClusterKey, config.ClusterKey.Length);
        BoardConfig.DefaultMac(boardId, config.Mac);
        return config;
    }

    /// <summary>Parses a cluster id of up to 8 hex digits (an optional 0x prefix).</summary>
    public static uint ParseClusterId(string text)
    {
        string s = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (s.Length is < 1 or > 8 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id))
            throw new UsageException($"--cluster-id must be up to 8 hex digits, e.g. a7c90001, not '{text}'");
        return id;
    }

    /// <summary>Reads a 128-bit cluster key: a text file of 32 hex digits (whitespace and a trailing
    /// newline ignored), or exactly 16 raw bytes.</summary>
    public static byte[] ReadKeyFile(string path)
    {
        if (!File.Exists(path)) throw new ToolException($"cluster key file not found: {path}");
        byte[] raw = File.ReadAllBytes(path);
        string text = new string(raw.Select(b => (char)b).Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (text.Length == 32 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        if (raw.Length == 16) return raw;
        throw new ToolException($"bad cluster key file {path}: expected 32 hex digits (a 128-bit key, e.g. from " +
            "'openssl rand -hex 16') or exactly 16 raw bytes; found " + raw.Length + " bytes");
    }
}
