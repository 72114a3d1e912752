using System.Net.Sockets;
using System.Runtime.InteropServices;
using Atcp.Emulation.SdCard;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.Firmware.Console;
using Atcp.Firmware.Hal;
using Atcp.VirtualBoard.Hardware;
using Atcp.VirtualBoard.Media;
using Atcp.VirtualBoard.Serial;

namespace Atcp.VirtualBoard;

/// <summary>Runs one virtual board as a process: opens the images, plugs the W5500 into the Linux
/// interface, sets up the console, runs the firmware until SIGTERM or SIGINT, and cleans up
/// (statistics written, images flushed, pty link removed). Exit codes: 0 after a clean stop, 2 when
/// it could not start (one line on stderr says why), 1 when the firmware failed while running.</summary>
public static class BoardHost
{
    /// <summary>Exit code of a clean stop.</summary>
    public const int ExitOk = 0;
    /// <summary>Exit code when the firmware threw while running.</summary>
    public const int ExitFailed = 1;
    /// <summary>Exit code when the board could not start.</summary>
    public const int ExitStartup = 2;

    /// <summary>Runs the board described by options until a signal stops it; returns the exit code.</summary>
    public static int Run(BoardOptions options, TextWriter stderr)
    {
        SdCardModel? disk = null, cd = null;
        LinuxRawSocketWire? wire = null;
        ISerialPort? console = null;
        EmulatedBoard? board = null;
        StatisticsFile? statistics = null;
        var signals = new List<PosixSignalRegistration>();
        try
        {
            BoardConfig config = options.ToConfig();
            disk = options.DiskImage == null ? null : CardImages.OpenDisk(options.DiskImage);
            cd = options.CdImage == null ? null : CardImages.OpenCd(options.CdImage);
            var nic = new W5500Model();
            // A pty is made before the raw socket (a bad path fails without root); stdin is taken last,
            // once nothing else can fail.
            if (!options.ConsoleIsStdio) console = OpenPty(options.Console);
            wire = Plug(nic, options.Interface, options.Namespace);
            console ??= new StdioSerialPort();
            board = new EmulatedBoard(nic, disk, cd, console, new MonotonicClock(), config);
            disk = cd = null; // the board owns them now
            if (options.SpiStatsFile != null) statistics = OpenStatistics(board, wire, options);

            EmulatedBoard running = board;
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
                signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // The first signal stops through the loop (images flushed, link removed); a second
                    // one, if the board does not stop, gets the default action: exit at once.
                    if (running.StopRequested) return;
                    context.Cancel = true;
                    running.RequestStop();
                }));

            stderr.WriteLine(Summary(options, config, board, console));
            stderr.Flush();
        }
        catch (StartupException e)
        {
            stderr.WriteLine("atcp-vboard: " + e.Message);
            Release(statistics, board, disk, cd, wire, console, signals);
            return ExitStartup;
        }

        int exit = ExitOk;
        try
        {
            board.Run();
        }
        catch (Exception e)
        {
            stderr.WriteLine("atcp-vboard: the firmware stopped with " + e.GetType().Name + ": " + e.Message);
            stderr.WriteLine(e.StackTrace);
            exit = ExitFailed;
        }
        try
        {
            Release(statistics, board, null, null, wire, console, signals);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("atcp-vboard: cleanup failed: " + e.Message);
            exit = ExitFailed;
        }
        return exit;
    }

    static LinuxRawSocketWire Plug(W5500Model nic, string interfaceName, string? networkNamespace)
    {
        string where = "'" + interfaceName + "'" + (networkNamespace != null ? " in network namespace '" + networkNamespace + "'" : "");
        if (networkNamespace != null && !File.Exists(Path.Combine("/run/netns", networkNamespace)))
            throw new StartupException("no network namespace '" + networkNamespace + "' (ip netns list shows those that exist)");
        try
        {
            return LinuxRawSocketWire.Connect(nic, interfaceName, networkNamespace);
        }
        catch (Exception e) when (IsPermission(e))
        {
            throw new StartupException("opening a raw socket on " + where + " needs root (CAP_NET_RAW"
                + (networkNamespace != null ? " and CAP_SYS_ADMIN" : "") + "): run as root", e);
        }
        catch (Exception e) when (e is InvalidOperationException && e.Message.Contains("no network interface", StringComparison.Ordinal))
        {
            throw new StartupException("no network interface " + where + " (ip link shows those that exist)", e);
        }
        catch (Exception e) when (e is InvalidOperationException or SocketException or IOException)
        {
            throw new StartupException("cannot attach to " + where + ": " + e.Message, e);
        }
    }

    static bool IsPermission(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is SocketException s && s.SocketErrorCode is SocketError.AccessDenied) return true;
            if (e is UnauthorizedAccessException) return true;
            if (e.Message.Contains("errno 1,", StringComparison.Ordinal) || e.Message.EndsWith("errno 1", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    static StatisticsFile OpenStatistics(EmulatedBoard board, LinuxRawSocketWire wire, BoardOptions options)
    {
        var statistics = new StatisticsFile(board, wire, options.SpiStatsFile!, options.SpiStatsInterval);
        try
        {
            statistics.WriteNow(); // a path that cannot be written is a startup error, not a surprise at exit
            return statistics;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            statistics.Stop();
            throw new StartupException("cannot write the statistics file " + options.SpiStatsFile + ": " + e.Message, e);
        }
    }

    static PtySerialPort OpenPty(string console)
    {
        try
        {
            return PtySerialPort.Create(console);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException("cannot make the console pseudo-terminal at " + console + ": " + e.Message, e);
        }
    }

    static string Summary(BoardOptions options, BoardConfig config, EmulatedBoard board, ISerialPort console)
    {
        string Card(SdSocket socket, string? path) => socket.Card == null ? "none"
            : path + " (" + Text.Bytes(((CardImageFile)socket.Card.Image).FileLength) + ")";
        return "atcp-vboard: board " + config.BoardId + ", MAC " + Text.Mac(config.Mac, 0)
            + ", on " + options.Interface + (options.Namespace != null ? " in netns " + options.Namespace : "")
            + ", disk " + Card(board.DiskSocket, options.DiskImage) + ", cd " + Card(board.CdSocket, options.CdImage)
            + ", cluster " + config.ClusterId.ToString("x8") + " (key " + BoardSettings.KeyFingerprint(config) + ")"
            + ", heartbeat " + config.HeartbeatSeconds + " s"
            + ", console " + (console is PtySerialPort pty ? pty.LinkPath + " -> " + pty.SlavePath : "stdio")
            + (options.SpiStatsFile != null ? ", stats " + options.SpiStatsFile : "");
    }

    static void Release(StatisticsFile? statistics, EmulatedBoard? board, SdCardModel? disk, SdCardModel? cd,
        LinuxRawSocketWire? wire, ISerialPort? console, List<PosixSignalRegistration> signals)
    {
        foreach (var signal in signals) signal.Dispose();
        try
        {
            statistics?.Dispose();
        }
        finally
        {
            wire?.Dispose();
            board?.Dispose();
            disk?.Dispose();
            cd?.Dispose();
            (console as IDisposable)?.Dispose();
        }
    }
}
