using Atcp.Frontend.Engine;
using Atcp.Linux;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atcp.Frontend.Hosting;

/// <summary>Opens the service interface's packet socket, builds the engine from the registered
/// <see cref="IFrontendEngineFactory"/>, and runs <see cref="FrontendLoop"/> on a dedicated thread.
/// A failure to open or an engine crash stops the application with a non-zero exit code, so
/// systemd's Restart=on-failure applies.</summary>
public sealed class FrontendLoopService(
    FrontendRuntime runtime,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>Exit code after an engine crash (EX_SOFTWARE, sysexits.h).</summary>
    public const int EngineCrashExitCode = 70;

    readonly ILogger _logger = loggerFactory.CreateLogger("Atcp.Frontend.Loop");
    Thread? _thread;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = runtime.Settings;
        var factory = services.GetService<IFrontendEngineFactory>()
            ?? throw new InvalidOperationException("No protocol engine is registered (IFrontendEngineFactory): this build " +
                "of atcp-frontend has no engine yet. The real engine lands with the dispatcher; see frontend/README.md.");

        var socket = PacketSocket.Open(settings.Interface, new PacketSocketOptions
        {
            RxRingBytes = settings.RxRingBytes,
            TxBatchSize = settings.TxBatchSize,
            QdiscBypass = settings.QdiscBypass,
            Promiscuous = settings.Promiscuous,
            NetworkNamespace = settings.NetworkNamespace,
        });
        try
        {
            // Requests end a batching pause early, so the pause may grow (FrontendLoop.PauseMicroseconds).
            if (settings.RxBatchMicroseconds > 0) socket.WatchRequestsDuringPause();
            var sink = new PacketSocketSink(socket);
            long start = runtime.Clock();
            var engine = factory.Create(new EngineContext(settings, socket.MacAddress, socket.Mtu, sink,
                (byte[])settings.ClusterKey.Clone(), loggerFactory, start));
            var loop = new FrontendLoop(socket, engine, runtime.Clock, _logger, settings.TxBatchSize, settings.RxBatchMicroseconds,
                settings.RxBatchMaxMicroseconds);
            runtime.Socket = socket;
            runtime.Sink = sink;
            runtime.Engine = engine;
            runtime.Loop = loop;
            runtime.Dispatcher = loop.Dispatcher;
            _thread = new Thread(() => RunLoop(loop)) { Name = "atcp-engine", IsBackground = true };
            _thread.Start();
            _logger.LogInformation("Serving {ServiceIp}:{Port} on {Interface} ({Mac}, MTU {Mtu}, ring {RingFrames} frames)",
                settings.ServiceIp, settings.ServicePort, settings.Interface, Management.ManagementEndpoints.FormatMac(socket.MacAddress), socket.Mtu,
                socket.RingFrameCount);
            return Task.CompletedTask;
        }
        catch
        {
            runtime.Socket = null;
            socket.Dispose();
            throw;
        }
    }

    void RunLoop(FrontendLoop loop)
    {
        try
        {
            loop.Run();
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "The engine failed; stopping so the service manager restarts atcp-frontend");
            Environment.ExitCode = EngineCrashExitCode;
            lifetime.StopApplication();
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        var loop = runtime.Loop;
        loop?.Stop();
        if (_thread != null && !_thread.Join(TimeSpan.FromSeconds(5)))
            _logger.LogWarning("The engine thread did not stop within 5 s");
        runtime.Loop = null;
        runtime.Dispatcher = null;
        if (runtime.Engine is IDisposable disposable) disposable.Dispose();
        runtime.Engine = null;
        runtime.Socket?.Dispose();
        runtime.Socket = null;
        return Task.CompletedTask;
    }
}
