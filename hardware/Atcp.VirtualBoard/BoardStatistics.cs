using System.Text.Json;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.VirtualBoard.Hardware;

namespace Atcp.VirtualBoard;

/// <summary>The board's traffic as JSON, for benchmarks: SPI transactions and bytes per chip (as the
/// chip models and the SD bus counted them), frames in and out at the chip, at the firmware and on
/// the Linux interface. Counters are read while the board runs, so a snapshot is consistent only
/// to within a few transfers. Field names are stable (the benchmark parses them).</summary>
public static class BoardStatistics
{
    /// <summary>The snapshot as indented JSON text.</summary>
    public static string ToJson(EmulatedBoard board, LinuxRawSocketWire? wire, DateTime utcNow)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            Write(json, board, wire, utcNow);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the snapshot as one JSON object.</summary>
    public static void Write(Utf8JsonWriter json, EmulatedBoard board, LinuxRawSocketWire? wire, DateTime utcNow)
    {
        json.WriteStartObject();
        json.WriteString("time", utcNow.ToString("O"));
        json.WriteNumber("clockMs", board.Clock.NowMilliseconds);
        json.WriteNumber("boots", board.Boots);
        BoardRuntime? runtime = board.Runtime;
        if (runtime != null) json.WriteNumber("boardId", runtime.Config.BoardId);

        W5500ModelCounters nic = board.Nic.Counters;
        json.WriteStartObject("w5500");
        json.WriteNumber("spiTransactions", nic.SpiTransactions);
        json.WriteNumber("spiBytes", nic.SpiBytes);
        json.WriteNumber("spiDataBytesWritten", nic.SpiDataBytesWritten);
        json.WriteNumber("spiDataBytesRead", nic.SpiDataBytesRead);
        json.WriteNumber("framesIn", nic.FramesReceived);
        json.WriteNumber("bytesIn", nic.BytesReceived);
        json.WriteNumber("framesOut", nic.FramesTransmitted);
        json.WriteNumber("bytesOut", nic.BytesTransmitted);
        json.WriteNumber("rxDroppedOverflow", nic.RxDroppedOverflow);
        json.WriteNumber("rxDroppedFiltered", nic.RxDroppedFiltered);
        json.WriteNumber("rxDroppedNotOpen", nic.RxDroppedNotOpen);
        json.WriteNumber("rxDroppedInReset", nic.RxDroppedInReset);
        json.WriteNumber("rxDroppedLinkDown", nic.RxDroppedLinkDown);
        json.WriteNumber("rxDroppedBadSize", nic.RxDroppedBadSize);
        json.WriteNumber("txDroppedOversize", nic.TxDroppedOversize);
        json.WriteEndObject();

        SdBus bus = board.SdBus;
        json.WriteStartObject("sdBus");
        json.WriteNumber("clockHz", bus.ClockHz);
        json.WriteNumber("spiTransactions", bus.Transfers);
        json.WriteNumber("spiBytes", bus.Bytes);
        json.WriteNumber("idleTransactions", bus.IdleTransfers);
        json.WriteNumber("contentionTransactions", bus.ContentionTransfers);
        json.WriteEndObject();
        WriteSocket(json, board.DiskSocket);
        WriteSocket(json, board.CdSocket);

        if (runtime != null)
        {
            BoardCounters c = runtime.Engine.Counters;
            json.WriteStartObject("firmware");
            json.WriteNumber("framesIn", c.FramesIn);
            json.WriteNumber("framesOut", c.FramesOut);
            json.WriteNumber("payloadBytesOut", c.PayloadBytesOut);
            json.WriteNumber("retransmissions", c.Retransmissions);
            json.WriteNumber("streamsStarted", c.StreamsStarted);
            json.WriteNumber("streamsCompleted", c.StreamsCompleted);
            json.WriteNumber("streamsFailed", c.StreamsFailed);
            json.WriteNumber("commandsRefused", c.CommandsRefused);
            json.WriteNumber("drops", c.TotalDrops);
            json.WriteNumber("activeStreams", runtime.Engine.ActiveStreams);
            json.WriteEndObject();
        }
        if (wire != null)
        {
            json.WriteStartObject("interface");
            json.WriteString("name", wire.InterfaceName);
            json.WriteNumber("framesSent", wire.FramesSent);
            json.WriteNumber("sendWaitsQueueFull", wire.SendWaits);
            json.WriteNumber("framesDroppedQueueFull", wire.FramesDroppedQueueFull);
            json.WriteNumber("framesReceived", wire.FramesReceived);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    static void WriteSocket(Utf8JsonWriter json, SdSocket socket)
    {
        json.WriteStartObject(socket.Name);
        json.WriteBoolean("present", socket.Card != null);
        json.WriteNumber("spiTransactions", socket.Transfers);
        json.WriteNumber("spiBytes", socket.Bytes);
        json.WriteNumber("selections", socket.Selections);
        if (socket.Card != null)
        {
            json.WriteNumber("commands", socket.Card.CommandsReceived);
            json.WriteNumber("blocksRead", socket.Card.BlocksRead);
            json.WriteNumber("blocksWritten", socket.Card.BlocksWritten);
            json.WriteNumber("busyViolations", socket.Card.BusyViolations);
        }
        json.WriteEndObject();
    }
}

/// <summary>Keeps the statistics file current: rewritten every interval and once more at exit,
/// atomically (a temporary file renamed over it), so a reader never sees half a file.</summary>
public sealed class StatisticsFile : IDisposable
{
    readonly EmulatedBoard _board;
    readonly LinuxRawSocketWire? _wire;
    readonly string _path;
    readonly Timer _timer;
    readonly object _gate = new();

    /// <summary>Starts writing board statistics to path every interval.</summary>
    public StatisticsFile(EmulatedBoard board, LinuxRawSocketWire? wire, string path, TimeSpan interval)
    {
        _board = board;
        _wire = wire;
        _path = Path.GetFullPath(path);
        _timer = new Timer(_ => TryWrite(), null, interval, interval);
    }

    /// <summary>Writes the file now.</summary>
    public void WriteNow()
    {
        lock (_gate)
        {
            string temporary = _path + ".tmp";
            File.WriteAllText(temporary, BoardStatistics.ToJson(_board, _wire, DateTime.UtcNow));
            File.Move(temporary, _path, overwrite: true);
        }
    }

    void TryWrite()
    {
        try
        {
            WriteNow();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next tick tries again; the final write at exit reports its failure.
        }
    }

    /// <summary>Stops the timer without a final write.</summary>
    public void Stop() => _timer.Dispose();

    /// <summary>Stops the timer and writes the final figures.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        WriteNow();
    }
}
