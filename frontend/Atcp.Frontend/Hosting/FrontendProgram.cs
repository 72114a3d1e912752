using System.CommandLine;
using System.Globalization;
using Atcp.Frontend.Configuration;
using Atcp.Linux;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atcp.Frontend.Hosting;

/// <summary>What <see cref="FrontendProgram.RunAsync"/> needs beyond the arguments; tests replace
/// parts of it.</summary>
public sealed class FrontendProgramOptions
{
    /// <summary>Registers the engine factory (and anything else) into the host's services.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    /// <summary>Standard output.</summary>
    public TextWriter Out { get; init; } = Console.Out;
    /// <summary>Standard error.</summary>
    public TextWriter Error { get; init; } = Console.Error;
    /// <summary>Environment overrides instead of ATCP_* variables (tests).</summary>
    public IDictionary<string, string?>? Environment { get; init; }
    /// <summary>The kernel's interfaces (tests); default reads the system.</summary>
    public Func<FrontendOptions, IKernelAddresses>? KernelAddresses { get; init; }
    /// <summary>Called with the running application (tests use it to find the management port).</summary>
    public Action<WebApplication>? OnStarted { get; init; }
}

/// <summary>The daemon's entry: flags, configuration, validation, then the host.</summary>
public static class FrontendProgram
{
    /// <summary>Exit code for a configuration error (EX_CONFIG, sysexits.h); the systemd unit does
    /// not restart on it.</summary>
    public const int ConfigurationErrorExitCode = 78;
    /// <summary>Exit code when the daemon could not start (socket, engine, management port).</summary>
    public const int StartFailureExitCode = 1;

    /// <summary>Parses args and runs the daemon until SIGTERM/SIGINT or cancellation.</summary>
    public static Task<int> RunAsync(string[] args, FrontendProgramOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FrontendProgramOptions();
        var cli = new FrontendCommandLine();
        var root = cli.CreateRoot();
        root.SetAction((parse, ct) => RunDaemonAsync(cli, parse, options, ct));
        var invocation = new InvocationConfiguration
        {
            Output = options.Out,
            Error = options.Error,
            ProcessTerminationTimeout = null, // the host handles SIGTERM itself (systemd stop)
        };
        return root.Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    static async Task<int> RunDaemonAsync(FrontendCommandLine cli, ParseResult parse, FrontendProgramOptions o, CancellationToken ct)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = cli.BuildConfiguration(parse, o.Environment);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or FormatException or IOException)
        {
            o.Error.WriteLine("atcp-frontend: configuration error: " + e.Message);
            return ConfigurationErrorExitCode;
        }

        var raw = FrontendCommandLine.Bind(configuration);
        ValidationResult validation;
        try
        {
            var kernel = o.KernelAddresses?.Invoke(raw) ?? new SystemKernelAddresses(raw.NetworkNamespace);
            validation = FrontendOptionsValidator.Validate(raw, kernel);
        }
        catch (PacketSocketException e)
        {
            o.Error.WriteLine("atcp-frontend: configuration error: " + e.Message);
            return ConfigurationErrorExitCode;
        }
        foreach (var warning in validation.Warnings) o.Error.WriteLine("atcp-frontend: warning: " + warning);
        if (!validation.IsValid)
        {
            foreach (var error in validation.Errors) o.Error.WriteLine("atcp-frontend: configuration error: " + error);
            return ConfigurationErrorExitCode;
        }
        var settings = validation.Settings!;
        if (parse.GetValue(cli.CheckConfig))
        {
            o.Out.WriteLine(Describe(settings));
            return 0;
        }

        WebApplication app;
        try
        {
            app = FrontendHost.Build(settings, configuration, o.ConfigureServices);
        }
        catch (Exception e)
        {
            o.Error.WriteLine("atcp-frontend: cannot start: " + e.Message);
            return StartFailureExitCode;
        }
        await using (app)
        {
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                o.Error.WriteLine("atcp-frontend: cannot start: " + Describe(e));
                return StartFailureExitCode;
            }
            o.OnStarted?.Invoke(app);
            try
            {
                await app.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }
            await app.StopAsync(CancellationToken.None);
        }
        return System.Environment.ExitCode;
    }

    static string Describe(Exception e) => e switch
    {
        System.Net.Sockets.SocketException or IOException when e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            e.Message + " (is another atcp-frontend running? change --mgmt-listen)",
        _ => e.Message,
    };

    /// <summary>The settings as people read them (--check-config).</summary>
    public static string Describe(FrontendSettings s) => string.Join(System.Environment.NewLine,
    [
        "interface        " + s.Interface + (s.NetworkNamespace != null ? " (namespace " + s.NetworkNamespace + ")" : ""),
        "service          " + s.ServiceIp + ":" + s.ServicePort.ToString(CultureInfo.InvariantCulture) + "/" + s.PrefixLength.ToString(CultureInfo.InvariantCulture) +
            (s.Gateway != null ? " via " + s.Gateway : ""),
        "cluster          " + s.ClusterIdText + " (key from " + s.ClusterKeyFile + ")",
        "management       http://" + s.ManagementListen,
        "ack relay        every " + s.AckEvery.ToString(CultureInfo.InvariantCulture) + " ACKs or " + s.AckDelayMs.ToString(CultureInfo.InvariantCulture) + " ms",
        "state            " + s.StateDirectory,
        "socket           ring " + (s.RxRingBytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB, batch " + s.TxBatchSize.ToString(CultureInfo.InvariantCulture) +
            (s.QdiscBypass ? ", qdisc bypass" : "") + (s.Promiscuous ? ", promiscuous" : ""),
        "rx batching      " + (s.RxBatchMicroseconds == 0 ? "off" : s.RxBatchMaxMicroseconds > s.RxBatchMicroseconds
            ? s.RxBatchMicroseconds.ToString(CultureInfo.InvariantCulture) + ".." + s.RxBatchMaxMicroseconds.ToString(CultureInfo.InvariantCulture) + " us"
            : s.RxBatchMicroseconds.ToString(CultureInfo.InvariantCulture) + " us"),
    ]);
}
