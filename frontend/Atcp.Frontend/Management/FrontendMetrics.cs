using System.Text;
using Atcp.Frontend.Hosting;
using Prometheus;

namespace Atcp.Frontend.Management;

/// <summary>Prometheus metrics (prometheus-net, a registry of our own): packet socket counters,
/// loop counters, and the engine's status snapshot (its free-form counters become
/// atcp_engine_NAME_total, its gauges atcp_engine_NAME). Values are read at scrape time.</summary>
public sealed class FrontendMetrics
{
    readonly FrontendRuntime _runtime;
    readonly MetricFactory _factory;
    readonly Dictionary<string, Counter> _engineCounters = new(StringComparer.Ordinal);
    readonly Dictionary<string, Gauge> _engineGauges = new(StringComparer.Ordinal);
    readonly Lock _lock = new();

    readonly Counter _framesReceived, _bytesReceived, _framesSent, _bytesSent, _kernelDrops, _oversizeDrops,
        _transmitBusy, _transmitErrors, _syscalls, _loopIterations, _timerRuns, _outputDrops;
    readonly Gauge _up, _uptime, _boardsUp, _boardsTotal, _connections;

    /// <summary>Creates the metrics for a runtime.</summary>
    public FrontendMetrics(FrontendRuntime runtime)
    {
        _runtime = runtime;
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _framesReceived = _factory.CreateCounter("atcp_frames_received_total", "Frames received on the service interface.");
        _bytesReceived = _factory.CreateCounter("atcp_bytes_received_total", "Bytes of frames received on the service interface.");
        _framesSent = _factory.CreateCounter("atcp_frames_sent_total", "Frames sent on the service interface.");
        _bytesSent = _factory.CreateCounter("atcp_bytes_sent_total", "Bytes of frames sent on the service interface.");
        _kernelDrops = _factory.CreateCounter("atcp_kernel_drops_total", "Frames the kernel dropped because the RX ring was full.");
        _oversizeDrops = _factory.CreateCounter("atcp_oversize_drops_total", "Received frames dropped for exceeding the MTU.");
        _transmitBusy = _factory.CreateCounter("atcp_transmit_busy_total", "Sends refused for now (socket buffer or qdisc full).");
        _transmitErrors = _factory.CreateCounter("atcp_transmit_errors_total", "Sends that failed (interface down, bad frame).");
        _syscalls = _factory.CreateCounter("atcp_socket_syscalls_total", "System calls on the packet socket's data path.");
        _loopIterations = _factory.CreateCounter("atcp_loop_iterations_total", "Rounds of the engine loop.");
        _timerRuns = _factory.CreateCounter("atcp_timer_runs_total", "Engine timer runs.");
        _outputDrops = _factory.CreateCounter("atcp_output_drops_total", "Frames the engine sent that found the transmit queue full.");
        _up = _factory.CreateGauge("atcp_engine_up", "1 while the engine loop runs and answers.");
        _uptime = _factory.CreateGauge("atcp_uptime_seconds", "Seconds since the daemon started.");
        _boardsUp = _factory.CreateGauge("atcp_boards_up", "Boards that are up.");
        _boardsTotal = _factory.CreateGauge("atcp_boards", "Boards known.");
        _connections = _factory.CreateGauge("atcp_connections", "Client connections open.");
    }

    /// <summary>The registry scraped at /metrics.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Updates every metric and writes the Prometheus text exposition format.</summary>
    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        await UpdateAsync(cancellationToken).ConfigureAwait(false);
        await Registry.CollectAndExportAsTextAsync(output, cancellationToken).ConfigureAwait(false);
    }

    async Task UpdateAsync(CancellationToken cancellationToken)
    {
        _uptime.Set((DateTimeOffset.UtcNow - _runtime.StartedAt).TotalSeconds);
        if (_runtime.Socket is { } socket)
        {
            var c = socket.Counters;
            _framesReceived.IncTo(c.FramesReceived);
            _bytesReceived.IncTo(c.BytesReceived);
            _framesSent.IncTo(c.FramesSent);
            _bytesSent.IncTo(c.BytesSent);
            _kernelDrops.IncTo(c.KernelDrops);
            _oversizeDrops.IncTo(c.OversizeDrops);
            _transmitBusy.IncTo(c.TransmitBusy);
            _transmitErrors.IncTo(c.TransmitErrors);
            _syscalls.IncTo(c.Syscalls);
        }
        if (_runtime.Loop is { } loop)
        {
            _loopIterations.IncTo(loop.Iterations);
            _timerRuns.IncTo(loop.TimerRuns);
        }
        if (_runtime.Sink is { } sink) _outputDrops.IncTo(sink.Drops);

        EngineStatus? status = null;
        try
        {
            status = await _runtime.OnEngineAsync((m, now) => m.GetStatus(now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
        }
        _up.Set(status != null ? 1 : 0);
        if (status == null) return;
        _boardsUp.Set(status.BoardsUp);
        _boardsTotal.Set(status.BoardsTotal);
        _connections.Set(status.Connections);
        lock (_lock)
        {
            foreach (var (name, value) in status.Counters)
            {
                if (!_engineCounters.TryGetValue(name, out var counter))
                    _engineCounters[name] = counter = _factory.CreateCounter("atcp_engine_" + MetricName(name) + "_total", "Engine counter " + name + ".");
                counter.IncTo(value);
            }
            foreach (var (name, value) in status.Gauges)
            {
                if (!_engineGauges.TryGetValue(name, out var gauge))
                    _engineGauges[name] = gauge = _factory.CreateGauge("atcp_engine_" + MetricName(name), "Engine gauge " + name + ".");
                gauge.Set(value);
            }
        }
    }

    /// <summary>A Prometheus-safe metric name part: [a-z0-9_], lower case.</summary>
    public static string MetricName(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (char c in name)
            b.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        return b.Length == 0 ? "unnamed" : b.ToString();
    }
}
