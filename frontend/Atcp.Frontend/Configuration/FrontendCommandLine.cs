using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Atcp.Frontend.Configuration;

/// <summary>The daemon's flags (System.CommandLine) and how they override the configuration file:
/// each flag given becomes a configuration key over the file's and the environment's.</summary>
public sealed class FrontendCommandLine
{
    /// <summary>Where the configuration file is looked for when --config is not given.</summary>
    public const string DefaultConfigPath = "/etc/atcp/frontend.json";

    /// <summary>--config.</summary>
    public Option<string> Config { get; } = new("--config", "-c")
    {
        Description = "Configuration file (JSON). Default " + DefaultConfigPath + " (optional when missing).",
    };
    /// <summary>--interface.</summary>
    public Option<string> Interface { get; } = new("--interface", "-i") { Description = "Network interface of the service IP (e.g. eth0)." };
    /// <summary>--service-ip.</summary>
    public Option<string> ServiceIp { get; } = new("--service-ip") { Description = "Service IPv4 address, owned by the appliance alone." };
    /// <summary>--service-port.</summary>
    public Option<int?> ServicePort { get; } = new("--service-port") { Description = "Service TCP port (default 80)." };
    /// <summary>--gateway.</summary>
    public Option<string> Gateway { get; } = new("--gateway") { Description = "Default gateway for off-link clients." };
    /// <summary>--netmask.</summary>
    public Option<string> Netmask { get; } = new("--netmask") { Description = "Service network mask: 255.255.255.0, /24 or 24." };
    /// <summary>--cluster-id.</summary>
    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = "ATCP cluster id (decimal or 0x hex)." };
    /// <summary>--cluster-key-file.</summary>
    public Option<string> ClusterKeyFile { get; } = new("--cluster-key-file") { Description = "File with the 128-bit cluster key (16 bytes or 32 hex digits)." };
    /// <summary>--mgmt-listen.</summary>
    public Option<string> ManagementListen { get; } = new("--mgmt-listen") { Description = "address:port of the management endpoint, on the kernel stack (default 127.0.0.1:9100)." };
    /// <summary>--ack-every.</summary>
    public Option<int?> AckEvery { get; } = new("--ack-every") { Description = "Relay client ACKs to boards every K ACKs once a reply is past slow start (default 32)." };
    /// <summary>--ack-delay-ms.</summary>
    public Option<int?> AckDelayMs { get; } = new("--ack-delay-ms") { Description = "Relay held client ACKs when no further ACK came within T ms, at most 4T after the first (default 40)." };
    /// <summary>--rx-batch-us.</summary>
    public Option<int?> RxBatchMicroseconds { get; } = new("--rx-batch-us")
    {
        Description = "After handling frames, let the next ones collect this long (microseconds, 0..20000, 0 = off) before " +
            "handling them together (default " + FrontendOptions.DefaultRxBatchMicroseconds + "); a request (SYN, data, FIN, " +
            "an ACK with SACK blocks, a board's message) ends it at once.",
    };
    /// <summary>--rx-batch-max-us.</summary>
    public Option<int?> RxBatchMaxMicroseconds { get; } = new("--rx-batch-max-us")
    {
        Description = "Longest batching pause (microseconds, 0..100000, default " + FrontendOptions.DefaultRxBatchMaxMicroseconds +
            "): the pause grows up to this while every reply is past slow start, free of loss and slow enough for its " +
            "ACKs to wait; at or below --rx-batch-us the pause stays fixed.",
    };
    /// <summary>--state-dir.</summary>
    public Option<string> StateDirectory { get; } = new("--state-dir") { Description = "State kept across restarts (default /var/lib/atcp)." };
    /// <summary>--netns.</summary>
    public Option<string> NetworkNamespace { get; } = new("--netns") { Description = "Open the packet socket in this named network namespace (lab setups)." };
    /// <summary>--log-level.</summary>
    public Option<string> LogLevel { get; } = new("--log-level")
    {
        Description = "Trace, Debug, Information, Warning, Error or Critical (default Information).",
    };
    /// <summary>--check-config.</summary>
    public Option<bool> CheckConfig { get; } = new("--check-config") { Description = "Validate the configuration, print it, and exit." };

    /// <summary>Builds the root command with every option.</summary>
    public RootCommand CreateRoot()
    {
        LogLevel.AcceptOnlyFromAmong("Trace", "Debug", "Information", "Warning", "Error", "Critical", "None");
        var root = new RootCommand("atcp-frontend: the ATCP front-end appliance daemon. It owns the service IP with its own " +
            "TCP/IP on a raw socket and serves management (/metrics, /status, drain) on the kernel stack.");
        foreach (var option in AllOptions()) root.Add(option);
        return root;
    }

    IEnumerable<Option> AllOptions() =>
    [
        Config, Interface, ServiceIp, ServicePort, Gateway, Netmask, ClusterId, ClusterKeyFile, ManagementListen,
        AckEvery, AckDelayMs, RxBatchMicroseconds, RxBatchMaxMicroseconds, StateDirectory, NetworkNamespace, LogLevel, CheckConfig,
    ];

    /// <summary>The configuration keys the given flags set (flags not given set nothing).</summary>
    public Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value != null) values[key] = value;
        }
        string S(string name) => FrontendOptions.Section + ":" + name;
        Set(S(nameof(FrontendOptions.Interface)), parse.GetValue(Interface));
        Set(S(nameof(FrontendOptions.ServiceIp)), parse.GetValue(ServiceIp));
        Set(S(nameof(FrontendOptions.ServicePort)), Text(parse.GetValue(ServicePort)));
        Set(S(nameof(FrontendOptions.Gateway)), parse.GetValue(Gateway));
        Set(S(nameof(FrontendOptions.Netmask)), parse.GetValue(Netmask));
        Set(S(nameof(FrontendOptions.ClusterId)), parse.GetValue(ClusterId));
        Set(S(nameof(FrontendOptions.ClusterKeyFile)), parse.GetValue(ClusterKeyFile));
        Set(S(nameof(FrontendOptions.ManagementListen)), parse.GetValue(ManagementListen));
        Set(S(nameof(FrontendOptions.AckEvery)), Text(parse.GetValue(AckEvery)));
        Set(S(nameof(FrontendOptions.AckDelayMs)), Text(parse.GetValue(AckDelayMs)));
        Set(S(nameof(FrontendOptions.RxBatchMicroseconds)), Text(parse.GetValue(RxBatchMicroseconds)));
        Set(S(nameof(FrontendOptions.RxBatchMaxMicroseconds)), Text(parse.GetValue(RxBatchMaxMicroseconds)));
        Set(S(nameof(FrontendOptions.StateDirectory)), parse.GetValue(StateDirectory));
        Set(S(nameof(FrontendOptions.NetworkNamespace)), parse.GetValue(NetworkNamespace));
        Set("Logging:LogLevel:Default", parse.GetValue(LogLevel));
        return values;
    }

    static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Builds the configuration: file (when present; required when --config names it),
    /// then ATCP_* environment variables, then flags.</summary>
    public IConfigurationRoot BuildConfiguration(ParseResult parse, IDictionary<string, string?>? environment = null)
    {
        string? explicitPath = parse.GetValue(Config);
        string path = explicitPath ?? DefaultConfigPath;
        if (explicitPath != null && !File.Exists(path))
            throw new FileNotFoundException("configuration file " + path + " (from --config) does not exist", path);
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            })
            .AddJsonFile(Path.GetFullPath(path), optional: explicitPath == null, reloadOnChange: false);
        if (environment != null) builder.AddInMemoryCollection(environment);
        else builder.AddEnvironmentVariables("ATCP_");
        return builder.AddInMemoryCollection(Overrides(parse)).Build();
    }

    /// <summary>Reads the "Frontend" section into options.</summary>
    public static FrontendOptions Bind(IConfiguration configuration)
    {
        var options = new FrontendOptions();
        configuration.GetSection(FrontendOptions.Section).Bind(options);
        return options;
    }
}
