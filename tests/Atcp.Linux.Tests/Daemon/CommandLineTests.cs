using Atcp.Frontend.Configuration;
using Atcp.Frontend.Hosting;
using Atcp.Linux.Tests.Support;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>atcp-frontend's flags over its configuration file, and what the program prints and
/// returns before it starts anything.</summary>
public sealed class CommandLineTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly string _key;
    readonly string _config;

    public CommandLineTests()
    {
        _key = _dir.File("cluster.key", "000102030405060708090a0b0c0d0e0f");
        _config = _dir.File("frontend.json", """
            {
              "Frontend": {
                "Interface": "eth0",
                "ServiceIp": "198.18.1.10",
                "ServicePort": 8080,
                "ClusterId": "0xA7C90001",
                "ClusterKeyFile": "KEY",
                "ManagementListen": "127.0.0.1:9100",
                "AckEvery": 4
              }
            }
            """.Replace("KEY", _key));
    }

    public void Dispose() => _dir.Dispose();

    static FrontendOptions Parse(string[] args, IDictionary<string, string?>? environment = null)
    {
        var cli = new FrontendCommandLine();
        var parse = cli.CreateRoot().Parse(args);
        Assert.Empty(parse.Errors);
        return FrontendCommandLine.Bind(cli.BuildConfiguration(parse, environment ?? new Dictionary<string, string?>()));
    }

    async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await FrontendProgram.RunAsync(args, new FrontendProgramOptions
        {
            Out = output,
            Error = error,
            Environment = new Dictionary<string, string?>(),
            KernelAddresses = _ => FakeKernel.Default,
        });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void File_AloneGivesItsValues_AndDefaultsFillTheRest()
    {
        var o = Parse(["--config", _config]);

        Assert.Equal("eth0", o.Interface);
        Assert.Equal(8080, o.ServicePort);
        Assert.Equal(4, o.AckEvery);
        Assert.Equal(40, o.AckDelayMs); // the default fills it
        Assert.Equal("255.255.255.0", o.Netmask);
    }

    [Fact]
    public void Flags_OverrideTheFile()
    {
        var o = Parse(["--config", _config, "--interface", "eth1", "--service-ip", "198.18.1.11", "--service-port", "81",
            "--gateway", "198.18.1.1", "--netmask", "/23", "--cluster-id", "5", "--cluster-key-file", "/k",
            "--mgmt-listen", "0.0.0.0:9200", "--ack-every", "1", "--ack-delay-ms", "7", "--state-dir", "/s", "--netns", "lab"]);

        Assert.Equal(("eth1", "198.18.1.11", 81, "198.18.1.1", "/23", "5", "/k"), (o.Interface, o.ServiceIp, o.ServicePort, o.Gateway, o.Netmask, o.ClusterId, o.ClusterKeyFile));
        Assert.Equal(("0.0.0.0:9200", 1, 7, "/s", "lab"), (o.ManagementListen, o.AckEvery, o.AckDelayMs, o.StateDirectory, o.NetworkNamespace));
    }

    [Fact]
    public void RxBatchFlag_SetsThePause_AndItsDefaultIsTwoMilliseconds()
    {
        Assert.Equal(2000, Parse(["--config", _config]).RxBatchMicroseconds);
        Assert.Equal(0, Parse(["--config", _config, "--rx-batch-us", "0"]).RxBatchMicroseconds);
        Assert.Equal(750, Parse(["--config", _config, "--rx-batch-us", "750"]).RxBatchMicroseconds);
    }

    [Fact]
    public void RxBatchMaxFlag_SetsTheLongestPause_AndItsDefaultIs100Milliseconds()
    {
        Assert.Equal(100000, Parse(["--config", _config]).RxBatchMaxMicroseconds);
        Assert.Equal(2000, Parse(["--config", _config, "--rx-batch-max-us", "2000"]).RxBatchMaxMicroseconds);
    }

    [Fact]
    public void Environment_OverridesTheFile_AndFlagsOverrideTheEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["Frontend:Interface"] = "eth5", ["Frontend:AckEvery"] = "9" };

        var o = Parse(["--config", _config, "--ack-every", "3"], environment);

        Assert.Equal("eth5", o.Interface);
        Assert.Equal(3, o.AckEvery);
    }

    [Fact]
    public async Task CheckConfig_PrintsTheSettingsAndExitsZero()
    {
        var (code, output, error) = await Run("--config", _config, "--check-config");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("service          198.18.1.10:8080/24", output);
        Assert.Contains("cluster          0xA7C90001", output);
        Assert.Contains("ack relay        every 4 ACKs or 40 ms", output);
    }

    [Fact]
    public async Task ExplicitConfigMissing_IsAConfigurationError()
    {
        var (code, _, error) = await Run("--config", Path.Combine(_dir.Path, "nope.json"));

        Assert.Equal(FrontendProgram.ConfigurationErrorExitCode, code);
        Assert.Contains("configuration file " + Path.Combine(_dir.Path, "nope.json") + " (from --config) does not exist", error);
    }

    [Fact]
    public async Task MalformedJson_IsAConfigurationError()
    {
        string bad = _dir.File("bad.json", "{ \"Frontend\": { \"Interface\": ");

        var (code, _, error) = await Run("--config", bad);

        Assert.Equal(FrontendProgram.ConfigurationErrorExitCode, code);
        Assert.StartsWith("atcp-frontend: configuration error:", error);
    }

    [Fact]
    public async Task InvalidSettings_AreAllPrinted_WithExitCode78()
    {
        var (code, _, error) = await Run("--config", _config, "--service-ip", "10.1", "--ack-delay-ms", "900");

        Assert.Equal(78, code);
        var lines = error.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("atcp-frontend: configuration error: ", l));
    }

    [Fact]
    public async Task UnknownFlag_IsAUsageError()
    {
        var (code, _, error) = await Run("--no-such-flag");

        Assert.NotEqual(0, code);
        Assert.Contains("--no-such-flag", error);
    }

    [Fact]
    public async Task LogLevel_OutsideTheList_IsAUsageError()
    {
        var (code, _, error) = await Run("--log-level", "loud");

        Assert.NotEqual(0, code);
        Assert.Contains("loud", error);
    }
}
