extern alias ctl;

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Atcp.Linux.Tests.Support;
using CtlApp = ctl::Atcp.Ctl.CtlApp;

namespace Atcp.Linux.Tests.Ctl;

/// <summary>atcpctl against the daemon's management endpoint with a fake engine: the tables people
/// read, --json, exit codes, and the errors when the daemon is not there.</summary>
public sealed class AtcpctlTests : IAsyncLifetime
{
    readonly FakeManagement _engine = new();
    ManagementServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagementServer.StartAsync(_engine);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CtlApp.RunAsync(["--endpoint", _server.BaseUri.ToString().TrimEnd('/'), .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Boards_PrintsAnAlignedTable()
    {
        var (code, output, error) = await Run("boards");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(
            "ID  MAC                HEALTH  DRAINING  STREAMS  VOLUMES  OBJECTS  LAST HEARD  FIRMWARE\n" +
            " 7  02:a7:c9:00:00:07  up      no            2/8        2    1,500      450 ms  0.3.1\n" +
            "12  02:a7:c9:00:00:0c  down    yes           0/8        1       20      2m 05s  0.3.0\n", output);
    }

    [Fact]
    public async Task Boards_WhenNone_SaysSo()
    {
        _engine.Boards = [];

        var (code, output, _) = await Run("boards");

        Assert.Equal(0, code);
        Assert.Equal("no boards known yet (none has sent a HELLO)\n", output);
    }

    [Fact]
    public async Task Connections_PrintsATableAndACount()
    {
        var (code, output, _) = await Run("connections");

        Assert.Equal(0, code);
        Assert.Equal(
            "CLIENT             STATE        AGE     IN      OUT  REPLIES  BOARD\n" +
            "198.18.0.50:49152  ESTABLISHED  3 s  420 B  1.0 MiB        1  7\n" +
            "1 connection\n", output);
    }

    [Fact]
    public async Task Status_ShowsServiceEngineAndCounters()
    {
        var (code, output, _) = await Run("status");

        Assert.Equal(0, code);
        Assert.StartsWith("atcp-frontend 0.1.0, up ", output);
        Assert.Contains("service      198.18.0.10:80\n", output);
        Assert.Contains("cluster      0xA7C90001\n", output);
        Assert.Contains("boards       1 up of 2\n", output);
        Assert.Contains("commands_sent  1,234\n", output);
        Assert.Contains("arp_entries        3\n", output);
    }

    [Fact]
    public async Task Json_PrintsTheDaemonsDocument()
    {
        var (code, output, _) = await Run("boards", "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(12, json[1].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Drain_ThenUndrain_PrintsWhatHappened()
    {
        var drained = await Run("drain", "7");
        var undrained = await Run("undrain", "7");

        Assert.Equal((0, "drained: no new work goes to board 7; streams in progress finish\n"), (drained.Code, drained.Out));
        Assert.Equal((0, "undrained: board 7 gets new work again\n"), (undrained.Code, undrained.Out));
        Assert.Equal(["drain 7", "undrain 7"], _engine.Calls);
    }

    [Fact]
    public async Task Drain_UnknownBoard_ExitsTwoWithTheDaemonsReason()
    {
        var (code, output, error) = await Run("drain", "99");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("atcpctl: atcp-frontend answered 404 Not Found for POST /boards/99/drain: no board 99 is known to the front-end\n", error);
    }

    [Fact]
    public async Task Drain_WithoutId_IsAUsageError()
    {
        var (code, _, error) = await Run("drain");

        Assert.Equal(1, code);
        Assert.Contains("Required argument missing for command: 'drain'", error);
    }
}

/// <summary>atcpctl when the daemon is not there or does not answer.</summary>
public sealed class AtcpctlUnreachableTests
{
    static async Task<(int Code, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        int code = await CtlApp.RunAsync(args, new StringWriter(), error);
        return (code, error.ToString());
    }

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task NothingListening_ExitsThreeAndSaysHowToCheck()
    {
        int port = FreePort();

        var (code, error) = await Run("status", "--endpoint", "http://127.0.0.1:" + port);

        Assert.Equal(3, code);
        Assert.Equal("atcpctl: cannot reach atcp-frontend at http://127.0.0.1:" + port + "/: connection refused (nothing listens there). " +
            "Is the daemon running (systemctl status atcp-frontend)? Is --endpoint its --mgmt-listen address?\n", error);
    }

    [Fact]
    public async Task ListenerThatNeverAnswers_ExitsThreeAfterTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var (code, error) = await Run("boards", "--endpoint", "http://127.0.0.1:" + port, "--timeout", "0.5");

        Assert.Equal(3, code);
        Assert.Contains("did not answer within 0.5 s", error);
    }

    [Fact]
    public async Task EndpointNotAUrl_IsAUsageError()
    {
        var (code, error) = await Run("status", "--endpoint", "198.18.0.2:9100");

        Assert.Equal(1, code);
        Assert.Contains("is not an http:// URL", error);
    }

    [Fact]
    public async Task EnvironmentEndpoint_IsTheDefault()
    {
        int port = FreePort();
        var error = new StringWriter();

        int code = await CtlApp.RunAsync(["status"], new StringWriter(), error, environmentEndpoint: "http://127.0.0.1:" + port);

        Assert.Equal(3, code);
        Assert.Contains("http://127.0.0.1:" + port + "/", error.ToString());
    }
}

/// <summary>The small formatters behind the tables.</summary>
public sealed class AtcpctlFormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    public void Bytes_UseBinaryUnits(long bytes, string text) => Assert.Equal(text, ctl::Atcp.Ctl.Format.Bytes(bytes));

    [Theory]
    [InlineData(59, "59 s")]
    [InlineData(61, "1m 01s")]
    [InlineData(7500, "2h 05m")]
    [InlineData(273600, "3d 04h")]
    public void Duration_IsShortAndReadable(long seconds, string text) => Assert.Equal(text, ctl::Atcp.Ctl.Format.Duration(seconds));
}
