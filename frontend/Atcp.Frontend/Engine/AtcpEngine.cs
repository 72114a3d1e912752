using System.Buffers.Binary;
using Atcp.Frontend.Configuration;
using Atcp.Frontend.Management;
using Atcp.Frontend.Net;
using Atcp.Wire.Ethernet;
using Microsoft.Extensions.Logging;
using CoreEngine = Atcp.Frontend.Engine.FrontendEngine;
using CoreOptions = Atcp.Frontend.Engine.FrontendOptions;

namespace Atcp.Frontend.Engine;

/// <summary>Builds the real protocol engine (Atcp.Frontend.Core) for the daemon.</summary>
public sealed class AtcpEngineFactory : IFrontendEngineFactory
{
    /// <inheritdoc/>
    public IFrontendEngine Create(EngineContext context) => new AtcpEngine(context);
}

/// <summary>The daemon's view of the core engine: frames in, timers, management on the engine thread.</summary>
public sealed class AtcpEngine : IFrontendEngine, IFrontendManagement
{
    readonly CoreEngine _engine;
    readonly ILogger _log;
    readonly long _startMs;

    sealed class SinkOutput(IFrameSink sink) : IFrameOutput
    {
        public long Dropped;
        public void SendFrame(ReadOnlySpan<byte> frame) { if (!sink.Send(frame)) Dropped++; }
    }

    readonly SinkOutput _output;

    /// <summary>Starts the engine on the context's interface: ARP announcements and HELLO_REQUEST go out now.</summary>
    public AtcpEngine(EngineContext context)
    {
        var s = context.Settings;
        _log = context.LoggerFactory.CreateLogger("atcp.engine");
        _startMs = context.StartMs;
        uint epoch = BootEpoch.Next(s.StateDirectory, _log);
        var options = new CoreOptions
        {
            Net = new NetStackOptions
            {
                Address = ToUInt(s.ServiceIp),
                PrefixLength = s.PrefixLength,
                Gateway = s.Gateway == null ? 0 : ToUInt(s.Gateway),
                MacAddress = context.MacAddress,
                Mtu = context.Mtu,
            },
            ClusterId = s.ClusterId,
            ClusterKey = context.ClusterKey,
            BootEpoch = epoch,
            HttpPort = (ushort)s.ServicePort,
            AckEvery = s.AckEvery,
            AckDelayMs = s.AckDelayMs,
        };
        _output = new SinkOutput(context.Output);
        _engine = new CoreEngine(options, _output);
        _engine.Start(context.StartMs);
        _log.LogInformation("ATCP engine started: service {Ip}:{Port}, cluster {Cluster}, boot epoch {Epoch}",
            s.ServiceIp, s.ServicePort, s.ClusterIdText, epoch);
    }

    static uint ToUInt(System.Net.IPAddress a) => BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes());

    /// <inheritdoc/>
    public void OnFrame(byte[] frame, int length, long nowMs) => _engine.OnFrame(frame, length, nowMs);
    /// <inheritdoc/>
    public void OnFrames(Atcp.Linux.FrameBatch batch, long nowMs) => _engine.OnFrames(batch.Buffers, batch.Lengths, nowMs);
    /// <inheritdoc/>
    public void OnTimer(long nowMs) => _engine.Poll(nowMs);
    /// <inheritdoc/>
    public long NextDeadlineMs => _engine.NextDeadline;
    /// <inheritdoc/>
    public long TolerableAckWaitUs => _engine.TolerableAckWaitUs;
    /// <inheritdoc/>
    public bool PauseEndsOnBoardAnswer => _engine.PauseEndsOnBoardAnswer;
    /// <inheritdoc/>
    public IFrontendManagement Management => this;

    /// <inheritdoc/>
    public EngineStatus GetStatus(long nowMs)
    {
        var d = _engine.Dispatcher.Counters;
        var counters = new Dictionary<string, long>
        {
            ["connections_accepted"] = d.Connections, ["replies_delegated"] = d.Delegated, ["replies_completed"] = d.Completed,
            ["replies_aborted"] = d.Aborted, ["replies_cancelled"] = d.Cancelled, ["replies_local"] = d.LocalReplies,
            ["local_reply_bytes"] = d.LocalBytes, ["client_acks"] = d.ClientAcks, ["client_acks_relayed"] = d.RelayedAcks, ["relay_frames"] = d.RelayFrames,
            ["command_retries"] = d.CommandRetries, ["board_refusals"] = d.Refusals, ["board_failures"] = d.BoardFailures,
            ["output_drops"] = _output.Dropped,
        };
        foreach (var (status, n) in d.ByStatus) counters["http_" + status] = n;
        foreach (var (counter, n) in _engine.Stack.Counters.NonZero()) counters["net_" + counter] = n;
        foreach (var (what, n) in _engine.Boards.Counters) counters["atcp_" + what.Replace(' ', '_')] = n;
        var boards = _engine.Boards.Registry.Boards.ToList();
        return new EngineStatus
        {
            BoardsUp = boards.Count(b => b.Health == Cluster.BoardHealth.Up),
            BoardsTotal = boards.Count,
            Connections = _engine.Stack.Tcp.ConnectionCount,
            Counters = counters,
            Gauges = new Dictionary<string, double>
            {
                ["objects"] = _engine.Dispatcher.Catalog.Count,
                ["streams_in_progress"] = _engine.Dispatcher.Streams.Count,
                ["relay_frames_per_client_ack"] = d.ClientAcks == 0 ? 0 : (double)d.RelayFrames / d.ClientAcks,
            },
        };
    }

    /// <inheritdoc/>
    public IReadOnlyList<BoardStatus> GetBoards(long nowMs) =>
        _engine.Boards.Registry.Boards.Select(b => new BoardStatus(b.Id, MacAddress.Format(b.Hello.Mac, 0), b.Health.ToString().ToLowerInvariant(),
            b.Draining, b.Hello.FirmwareVersion, nowMs - b.LastHeardMs, b.Hello.ActiveStreams, b.Hello.MaxStreams,
            b.Hello.Volumes.Count, b.Inventory.Count)).ToList();

    /// <inheritdoc/>
    public IReadOnlyList<ConnectionStatus> GetConnections(long nowMs) =>
        _engine.Stack.Tcp.Connections.Select(c =>
        {
            var session = c.UserState as HttpSession;
            var active = session?.Active;
            return new ConnectionStatus(Wire.IPv4.IPv4Address.Format(c.ClientAddress) + ":" + c.ClientPort, c.State.ToString(), 0,
                0, 0, active == null ? 0 : 1, active?.Board);
        }).ToList();

    /// <inheritdoc/>
    public DrainOutcome Drain(ushort boardId, long nowMs) => SetDraining(boardId, true);
    /// <inheritdoc/>
    public DrainOutcome Undrain(ushort boardId, long nowMs) => SetDraining(boardId, false);

    DrainOutcome SetDraining(ushort id, bool draining)
    {
        var b = _engine.Boards.Registry.Find(id);
        if (b == null) return DrainOutcome.UnknownBoard;
        if (b.Draining == draining) return DrainOutcome.Unchanged;
        _engine.Boards.Registry.SetDraining(id, draining);
        _log.LogInformation("board {Board} {What}", id, draining ? "draining: no new replies" : "back in service");
        return DrainOutcome.Changed;
    }
}

/// <summary>The front-end's ATCP boot epoch (SPEC 3.1): read, incremented and written back before any
/// frame is sent, so boards never see a frame counter repeat across restarts.</summary>
public static class BootEpoch
{
    /// <summary>The epoch for this start, persisted in directory/epoch.</summary>
    public static uint Next(string directory, ILogger log)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "epoch");
        uint previous = 0;
        if (File.Exists(path) && !uint.TryParse(File.ReadAllText(path).Trim(), out previous))
            log.LogWarning("{Path} is unreadable; starting from the clock", path);
        // Never below the clock in seconds since 2020: a lost state file still gives a fresh epoch.
        uint floor = (uint)Math.Max(1, (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1_577_836_800) / 60);
        uint next = Math.Max(previous + 1, floor);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, next.ToString());
        File.Move(tmp, path, true);
        return next;
    }
}
