using Atcp.Frontend.Configuration;
using Atcp.Frontend.Engine;
using Atcp.Linux;

namespace Atcp.Frontend.Hosting;

/// <summary>What is running now, shared between the loop service and management: the socket, the
/// loop and the engine while the daemon runs; nulls before start and after stop.</summary>
public sealed class FrontendRuntime(FrontendSettings settings)
{
    /// <summary>How long management waits for the engine thread before answering 503.</summary>
    public static readonly TimeSpan EngineCallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The validated configuration.</summary>
    public FrontendSettings Settings { get; } = settings;

    /// <summary>When the daemon started (UTC).</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The packet socket, while open.</summary>
    public PacketSocket? Socket { get; internal set; }

    /// <summary>The engine loop, while running.</summary>
    public FrontendLoop? Loop { get; internal set; }

    /// <summary>Where management calls are queued for the engine thread, while running.</summary>
    public LoopDispatcher? Dispatcher { get; internal set; }

    /// <summary>The engine, while running.</summary>
    public IFrontendEngine? Engine { get; internal set; }

    /// <summary>The output sink, while running.</summary>
    public PacketSocketSink? Sink { get; internal set; }

    /// <summary>The engine clock (ms, monotonic).</summary>
    public Func<long> Clock { get; init; } = MonotonicMilliseconds;

    /// <summary>Milliseconds of CLOCK_MONOTONIC, exact to the nanosecond underneath.
    /// Environment.TickCount64 reads CLOCK_MONOTONIC_COARSE on Linux, a tick (1-4 ms) behind: a
    /// poll() that slept exactly until a timer's deadline then woke to a clock short of it, and
    /// slept again for the rest (two wake-ups per timer, eight a second when idle).</summary>
    public static long MonotonicMilliseconds() => System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1000);

    /// <summary>Runs a management call on the engine thread.</summary>
    public Task<T> OnEngineAsync<T>(Func<IFrontendManagement, long, T> call, CancellationToken cancellationToken = default)
    {
        var dispatcher = Dispatcher;
        var engine = Engine;
        if (dispatcher == null || engine == null)
            return Task.FromException<T>(new InvalidOperationException("the engine loop is not running"));
        return dispatcher.InvokeAsync(() => call(engine.Management, Clock()), EngineCallTimeout, cancellationToken);
    }
}
