using System.Globalization;
using Atcp.Firmware.Board;

namespace Atcp.VirtualBoard;

/// <summary>A problem that stops the board before it runs (bad option, missing interface or image,
/// no permission): reported as one line on stderr, exit code 2.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What <c>atcp-vboard</c> was asked to run; see <see cref="BoardCommandLine"/> for the
/// options. Values are checked by <see cref="ToConfig"/> and by <see cref="BoardHost"/>.</summary>
public sealed class BoardOptions
{
    /// <summary>Default cluster id.</summary>
    public const uint DefaultClusterId = 0xA7C90001;

    /// <summary>The Linux interface the W5500 is plugged into (a veth end).</summary>
    public string Interface { get; set; } = "";
    /// <summary>Network namespace to open the raw socket in (null: the current one).</summary>
    public string? Namespace { get; set; }
    /// <summary>Board id, 1..65534.</summary>
    public int BoardId { get; set; } = 1;
    /// <summary>MAC as text (null: 02:a7:c9:0b:hi:lo from the board id).</summary>
    public string? Mac { get; set; }
    /// <summary>SD image for the disk card (null: empty socket).</summary>
    public string? DiskImage { get; set; }
    /// <summary>.iso for the CD card (null: empty socket).</summary>
    public string? CdImage { get; set; }
    /// <summary>Cluster id as hex text (null: a7c90001).</summary>
    public string? ClusterId { get; set; }
    /// <summary>File with the 128-bit cluster key: 16 raw bytes or 32 hex digits.</summary>
    public string ClusterKeyFile { get; set; } = "";
    /// <summary>"stdio", or a path where a link to the console's pseudo-terminal is made.</summary>
    public string Console { get; set; } = "stdio";
    /// <summary>Seconds between HELLOs, 1..3600.</summary>
    public int HeartbeatSeconds { get; set; } = 10;
    /// <summary>Where to write SPI and frame statistics as JSON (null: nowhere).</summary>
    public string? SpiStatsFile { get; set; }
    /// <summary>How often the statistics file is rewritten.</summary>
    public TimeSpan SpiStatsInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when the console is the process's stdin/stdout.</summary>
    public bool ConsoleIsStdio => Console == "stdio" || Console == "-";

    /// <summary>The firmware configuration these options describe (the key read from its file);
    /// throws <see cref="StartupException"/> with the reason when a value is out of range.</summary>
    public BoardConfig ToConfig()
    {
        if (string.IsNullOrEmpty(Interface)) throw new StartupException("--interface is required: the Linux interface the board's W5500 is plugged into");
        if (BoardId < 1 || BoardId > 65534) throw new StartupException("--board-id must be 1..65534, not " + BoardId);
        if (HeartbeatSeconds < 1 || HeartbeatSeconds > 3600) throw new StartupException("--heartbeat must be 1..3600 seconds, not " + HeartbeatSeconds);
        var config = new BoardConfig
        {
            BoardId = (ushort)BoardId,
            ClusterId = ParseClusterId(ClusterId),
            HeartbeatSeconds = HeartbeatSeconds,
            BootEpoch = HostClockEpoch(DateTime.UtcNow),
        };
        if (Mac == null) BoardConfig.DefaultMac(config.BoardId, config.Mac);
        else if (!Atcp.Wire.Ethernet.MacAddress.TryParse(Mac, config.Mac, 0)) throw new StartupException("--mac must look like 02:a7:c9:0b:00:01, not '" + Mac + "'");
        ReadClusterKey(ClusterKeyFile).CopyTo(config.ClusterKey, 0);
        return config;
    }

    /// <summary>Parses a cluster id of up to 8 hex digits (an optional 0x prefix); null gives the default.</summary>
    public static uint ParseClusterId(string? text)
    {
        if (text == null) return DefaultClusterId;
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length is < 1 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint id))
            throw new StartupException("--cluster-id must be up to 8 hex digits, e.g. a7c90001, not '" + text + "'");
        return id;
    }

    /// <summary>Reads a cluster key file: exactly 16 bytes are the raw key; otherwise the text,
    /// surrounding whitespace removed, must be 32 hex digits.</summary>
    public static byte[] ReadClusterKey(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new StartupException("--cluster-key-file is required: a file with the 128-bit cluster key (16 raw bytes or 32 hex digits)");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException("cannot read the cluster key file " + path + ": " + e.Message, e);
        }
        if (bytes.Length == 16) return bytes;
        string text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length == 32)
        {
            try
            {
                return Convert.FromHexString(text);
            }
            catch (FormatException) { }
        }
        throw new StartupException("the cluster key file " + path + " must hold 16 raw bytes or 32 hex digits (it has "
            + bytes.Length + " bytes); make one with: head -c16 /dev/urandom | xxd -p > " + path);
    }

    /// <summary>A boot epoch from the host clock (seconds since 2024-01-01 UTC), so a board without
    /// a disk card, which cannot persist its epoch (SPEC 3.1), still starts each run above the last.
    /// With a disk card the epoch stored there wins (the firmware adds 1 to it).</summary>
    public static uint HostClockEpoch(DateTime utcNow)
    {
        long seconds = (long)(utcNow - new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
        return (uint)Math.Clamp(seconds, 1, uint.MaxValue - 1);
    }
}
