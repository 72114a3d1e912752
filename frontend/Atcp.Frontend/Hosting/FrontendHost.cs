using Atcp.Frontend.Configuration;
using Atcp.Frontend.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Atcp.Frontend.Hosting;

/// <summary>Composes the daemon: systemd integration (notify, journal log format), Kestrel on the
/// management address only, the engine loop service, metrics and the management endpoints. The
/// engine comes from an <see cref="Engine.IFrontendEngineFactory"/> that configureServices registers.</summary>
public static class FrontendHost
{
    /// <summary>Builds the application; configuration supplies logging levels.</summary>
    public static WebApplication Build(FrontendSettings settings, IConfiguration configuration,
        Action<IServiceCollection>? configureServices = null, Func<long>? clock = null)
    {
        var runtime = new FrontendRuntime(settings) { Clock = clock ?? FrontendRuntime.MonotonicMilliseconds };
        return Build(runtime, configuration, services =>
        {
            services.AddHostedService<FrontendLoopService>();
            configureServices?.Invoke(services);
        });
    }

    /// <summary>Builds management alone around a runtime the caller drives (tests with a fake engine).</summary>
    internal static WebApplication BuildManagementOnly(FrontendRuntime runtime, IConfiguration configuration) =>
        Build(runtime, configuration, null);

    static WebApplication Build(FrontendRuntime runtime, IConfiguration configuration, Action<IServiceCollection>? configureServices)
    {
        var settings = runtime.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "atcp-frontend",
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        // Under systemd: READY=1 once started, STOPPING=1 on SIGTERM, and log lines in the
        // journal's format with syslog priorities. Elsewhere it does nothing.
        builder.Services.AddSystemd();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.ManagementListen);
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<FrontendMetrics>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        ManagementEndpoints.Map(app);
        return app;
    }
}
