using Atcp.Frontend.Engine;
using Atcp.Frontend.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Atcp.Linux.Tests.Support;

/// <summary>The daemon's management endpoint on 127.0.0.1 (a free port) around a fake engine, with a
/// thread standing in for the engine loop (it runs the queued management calls). No packet socket,
/// so no root needed.</summary>
public sealed class ManagementServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly LoopDispatcher _dispatcher;
    readonly Thread _pump;
    volatile bool _stop;

    ManagementServer(IFrontendEngine engine, bool pump)
    {
        Runtime = new FrontendRuntime(TestSettings.Make());
        _dispatcher = new LoopDispatcher(() => { });
        Runtime.Engine = engine;
        Runtime.Dispatcher = _dispatcher;
        _app = FrontendHost.BuildManagementOnly(Runtime, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build());
        _pump = new Thread(() =>
        {
            while (!_stop)
            {
                if (pump) _dispatcher.RunPending();
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
    }

    public FrontendRuntime Runtime { get; }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Starts the server; pump false leaves the "engine" stuck (calls time out).</summary>
    public static async Task<ManagementServer> StartAsync(IFrontendEngine engine, bool pump = true)
    {
        var server = new ManagementServer(engine, pump);
        await server._app.StartAsync();
        server._pump.Start();
        server.BaseUri = AddressOf(server._app);
        return server;
    }

    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public async ValueTask DisposeAsync()
    {
        _stop = true;
        _pump.Join();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
