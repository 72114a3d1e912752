extern alias ctl;

using Atcp.Frontend.Engine;
using Atcp.Frontend.Hosting;
using Atcp.Linux.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using CtlApp = ctl::Atcp.Ctl.CtlApp;

namespace Atcp.Linux.Tests.Daemon;

/// <summary>The whole daemon as started from its command line (FrontendProgram), with the echo
/// engine registered, its packet socket on a veth end in a namespace, and management on
/// 127.0.0.1; atcpctl talks to it.</summary>
public sealed class DaemonTests : IDisposable
{
    readonly VethLink _link = new();
    readonly TempDirectory _dir = new();
    readonly string _key;

    public DaemonTests() => _key = _dir.File("cluster.key", "000102030405060708090a0b0c0d0e0f");

    public void Dispose()
    {
        _link.Dispose();
        _dir.Dispose();
    }

    string[] Args(params string[] extra) =>
    [
        "--interface", _link.LeftName, "--netns", _link.Left.Name, "--service-ip", "198.18.0.10",
        "--cluster-id", "0xA7C90001", "--cluster-key-file", _key, "--mgmt-listen", "127.0.0.1:0",
        "--log-level", "Warning", .. extra,
    ];

    sealed class Daemon
    {
        public required Task<int> Exit { get; init; }
        public required TaskCompletionSource<WebApplication> Started { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public required StringWriter Error { get; init; }
    }

    static Daemon Launch(string[] args, IFrontendEngineFactory? factory)
    {
        var started = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = new CancellationTokenSource();
        var error = new StringWriter();
        var exit = FrontendProgram.RunAsync(args, new FrontendProgramOptions
        {
            Out = new StringWriter(),
            Error = error,
            Environment = new Dictionary<string, string?>(),
            ConfigureServices = factory == null ? null : s => s.AddSingleton(factory),
            OnStarted = app => started.TrySetResult(app),
        }, stop.Token);
        _ = exit.ContinueWith(t => started.TrySetException(new InvalidOperationException("daemon exited: " + error)), TaskScheduler.Default);
        return new Daemon { Exit = exit, Started = started, Stop = stop, Error = error };
    }

    static async Task<(int Code, string Out)> Ctl(Uri endpoint, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CtlApp.RunAsync(["--endpoint", endpoint.ToString(), .. args], output, error);
        return (code, output + error.ToString());
    }

    [Fact]
    public async Task Daemon_EchoesFrames_ServesAtcpctl_AndStopsCleanly()
    {
        var factory = new EchoEngineFactory();
        var daemon = Launch(Args(), factory);
        var app = await daemon.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var endpoint = ManagementServer.AddressOf(app);

        using var peer = _link.OpenRight();
        byte[] serviceMac = factory.Last!.Context.MacAddress;
        for (uint i = 0; i < 100; i++)
            Assert.True(peer.Transmit(Frames.Make(serviceMac, peer.MacAddress, i, 100)));
        var echoes = Collect.TestFrames(peer, 100, 5000);

        var status = await Ctl(endpoint, "status");
        var drain = await Ctl(endpoint, "drain", "1");
        var boards = await Ctl(endpoint, "boards");
        daemon.Stop.Cancel();
        int exit = await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(100, echoes.Count);
        Assert.True(status.Code == 0, status.Out);
        Assert.Contains("interface    veth-a " + string.Join(':', serviceMac.Select(b => b.ToString("x2"))) + " MTU 1500", status.Out);
        Assert.Contains("engine       echoing", status.Out);
        Assert.Contains("frames in    100 (9.8 KiB)", status.Out);
        Assert.Contains("echoed        100", status.Out);
        Assert.Contains("management   " + endpoint.Authority + "\n", status.Out);
        Assert.Equal((0, "drained: no new work goes to board 1; streams in progress finish\n"), drain);
        Assert.Contains(" 1  02:a7:c9:00:00:01  up      yes", boards.Out);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Daemon_MetricsReflectTheSocketCounters()
    {
        var daemon = Launch(Args(), new EchoEngineFactory());
        var app = await daemon.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        using var peer = _link.OpenRight();
        for (uint i = 0; i < 10; i++)
            Assert.True(peer.Transmit(Frames.Make(Frames.Broadcast, peer.MacAddress, i, 200)));
        Assert.Equal(10, Collect.TestFrames(peer, 10, 5000).Count);

        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(new Uri(ManagementServer.AddressOf(app), "metrics"));
        daemon.Stop.Cancel();
        await daemon.Exit;

        Assert.Contains("atcp_frames_received_total 10", metrics);
        Assert.Contains("atcp_bytes_received_total 2000", metrics);
        Assert.Contains("atcp_frames_sent_total 10", metrics);
        Assert.Contains("atcp_engine_echoed_total 10", metrics);
    }

    [Fact]
    public async Task Daemon_WithoutAnEngine_RefusesToStart_PointingToTheReadme()
    {
        var daemon = Launch(Args(), factory: null);

        int exit = await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(FrontendProgram.StartFailureExitCode, exit);
        Assert.Contains("No protocol engine is registered", daemon.Error.ToString());
        Assert.Contains("frontend/README.md", daemon.Error.ToString());
    }

    [Fact]
    public async Task Daemon_WhenTheInterfaceIsDown_SaysSoAndExitsOne()
    {
        _link.Left.SetLinkDown(_link.LeftName);

        var daemon = Launch(Args(), new EchoEngineFactory());
        int exit = await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, exit);
        Assert.Contains("Interface 'veth-a' is down: bring it up with 'ip link set veth-a up'", daemon.Error.ToString());
    }

    [Fact]
    public async Task Daemon_WhenTheEngineCrashes_ExitsWithCode70()
    {
        var factory = new EchoEngineFactory { Configure = e => e.ThrowOnFrame = new InvalidDataException("engine bug") };
        var daemon = Launch(Args(), factory);
        await daemon.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        using var peer = _link.OpenRight();

        Assert.True(peer.Transmit(Frames.Make(Frames.Broadcast, peer.MacAddress, 1, 60)));
        int exit = await daemon.Exit.WaitAsync(TimeSpan.FromSeconds(20));
        Environment.ExitCode = 0; // the daemon set it for its process; this one is the test host

        Assert.Equal(FrontendLoopService.EngineCrashExitCode, exit);
    }
}
