using System.Globalization;
using Atcp.Frontend.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Atcp.Frontend.Management;

/// <summary>The management HTTP API, on the kernel stack (--mgmt-listen), never on the service IP:
/// GET /metrics, /status, /boards, /connections; POST /boards/{id}/drain and /undrain. Engine
/// calls run on the engine thread; a stuck or stopped engine gives 503 with a reason.</summary>
public static class ManagementEndpoints
{
    /// <summary>Maps every endpoint.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Json(new[] { "/metrics", "/status", "/boards", "/connections",
            "POST /boards/{id}/drain", "POST /boards/{id}/undrain" }, ManagementJson.Default.StringArray));

        app.MapGet("/metrics", async (HttpContext context, FrontendMetrics metrics) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        });

        app.MapGet("/status", async (HttpContext context, FrontendRuntime runtime, CancellationToken ct) =>
        {
            EngineStatus? engine = null;
            try
            {
                engine = await runtime.OnEngineAsync((m, now) => m.GetStatus(now), ct);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
            }
            var listen = context.Connection.LocalIpAddress is { } local
                ? new System.Net.IPEndPoint(local, context.Connection.LocalPort) : runtime.Settings.ManagementListen;
            return Results.Json(BuildStatus(runtime, engine, listen), ManagementJson.Default.StatusResponse);
        });

        app.MapGet("/boards", (FrontendRuntime runtime, CancellationToken ct) =>
            Engine(runtime, (m, now) => Results.Json(m.GetBoards(now).ToArray(), ManagementJson.Default.BoardStatusArray), ct));

        app.MapGet("/connections", (FrontendRuntime runtime, CancellationToken ct) =>
            Engine(runtime, (m, now) => Results.Json(m.GetConnections(now).ToArray(), ManagementJson.Default.ConnectionStatusArray), ct));

        app.MapPost("/boards/{id}/drain", (string id, FrontendRuntime runtime, CancellationToken ct) => Drain(runtime, id, true, ct));
        app.MapPost("/boards/{id}/undrain", (string id, FrontendRuntime runtime, CancellationToken ct) => Drain(runtime, id, false, ct));
    }

    static Task<IResult> Drain(FrontendRuntime runtime, string id, bool drain, CancellationToken ct)
    {
        if (!ushort.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ushort boardId) || boardId is 0 or 65535)
            return Task.FromResult(Error(StatusCodes.Status400BadRequest, "'" + id + "' is not a board id (1..65534)"));
        return Engine(runtime, (m, now) =>
        {
            var outcome = drain ? m.Drain(boardId, now) : m.Undrain(boardId, now);
            if (outcome == DrainOutcome.UnknownBoard)
                return Error(StatusCodes.Status404NotFound, "no board " + boardId + " is known to the front-end");
            string text = outcome == DrainOutcome.Changed
                ? (drain ? "drained: no new work goes to board " + boardId + "; streams in progress finish" : "undrained: board " + boardId + " gets new work again")
                : (drain ? "board " + boardId + " was already draining" : "board " + boardId + " was not draining");
            return Results.Json(new DrainResponse(boardId, drain, text), ManagementJson.Default.DrainResponse);
        }, ct);
    }

    static async Task<IResult> Engine(FrontendRuntime runtime, Func<Engine.IFrontendManagement, long, IResult> call, CancellationToken ct)
    {
        try
        {
            return await runtime.OnEngineAsync(call, ct);
        }
        catch (TimeoutException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable,
                "the engine did not answer within " + FrontendRuntime.EngineCallTimeout.TotalSeconds + " s (busy or stuck)");
        }
        catch (InvalidOperationException e)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }

    static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), ManagementJson.Default.ErrorResponse, statusCode: status);

    /// <summary>The /status document.</summary>
    public static StatusResponse BuildStatus(FrontendRuntime runtime, EngineStatus? engine, System.Net.IPEndPoint managementListen)
    {
        var s = runtime.Settings;
        var socket = runtime.Socket;
        var loop = runtime.Loop;
        var c = socket?.Counters ?? default;
        string version = typeof(ManagementEndpoints).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        return new StatusResponse(
            new DaemonStatus(version, s.Interface, socket == null ? "" : FormatMac(socket.MacAddress), socket?.Mtu ?? 0,
                s.ServiceIp.ToString(), s.ServicePort, s.ClusterIdText, managementListen.ToString(),
                (long)(DateTimeOffset.UtcNow - runtime.StartedAt).TotalSeconds, engine != null,
                loop?.Iterations ?? 0, loop?.TimerRuns ?? 0, runtime.Sink?.Drops ?? 0, loop?.Pauses ?? 0,
                GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), socket?.RequestWakes ?? 0, loop?.PauseMicroseconds ?? 0),
            new DeviceStatus(c.FramesReceived, c.BytesReceived, c.FramesSent, c.BytesSent, c.KernelDrops, c.OversizeDrops,
                c.TransmitBusy, c.TransmitErrors, c.Syscalls),
            engine);
    }

    /// <summary>aa:bb:cc:dd:ee:ff.</summary>
    public static string FormatMac(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
