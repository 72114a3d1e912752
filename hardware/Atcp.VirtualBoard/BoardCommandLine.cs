using System.CommandLine;

namespace Atcp.VirtualBoard;

/// <summary>The <c>atcp-vboard</c> command line (System.CommandLine): options to
/// <see cref="BoardOptions"/>, then <see cref="BoardHost.Run"/>. A command line that does not parse
/// prints one line and exits 2, like every other startup error.</summary>
public static class BoardCommandLine
{
    /// <summary>Parses args and runs the board; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var interfaceName = new Option<string>("--interface") { Description = "Linux interface the board's W5500 is plugged into (a veth end)", Required = true, HelpName = "NAME" };
        var netns = new Option<string?>("--namespace") { Description = "network namespace to open the raw socket in (ip netns)", HelpName = "NAME" };
        var boardId = new Option<int>("--board-id") { Description = "board id, 1..65534", DefaultValueFactory = _ => 1, HelpName = "N" };
        var mac = new Option<string?>("--mac") { Description = "MAC address (default 02:a7:c9:0b:hi:lo from the board id)", HelpName = "MAC" };
        var disk = new Option<string?>("--disk") { Description = "SD image for the disk card, made by tools/sdimage (absent: no disk card)", HelpName = "IMG" };
        var cd = new Option<string?>("--cd") { Description = ".iso image served by the CD card (absent: no CD card)", HelpName = "ISO" };
        var clusterId = new Option<string?>("--cluster-id") { Description = "cluster id in hex (default a7c90001)", HelpName = "HEX" };
        var keyFile = new Option<string>("--cluster-key-file") { Description = "file with the 128-bit cluster key: 16 raw bytes or 32 hex digits", Required = true, HelpName = "FILE" };
        var console = new Option<string>("--console") { Description = "console: stdio, or a PATH to link to a new pseudo-terminal (picocom PATH)", DefaultValueFactory = _ => "stdio", HelpName = "stdio|PATH" };
        var heartbeat = new Option<int>("--heartbeat") { Description = "seconds between HELLOs, 1..3600", DefaultValueFactory = _ => 10, HelpName = "SECONDS" };
        var statsFile = new Option<string?>("--spi-stats-file") { Description = "write SPI and frame counters as JSON here, every 2 s and at exit", HelpName = "FILE" };

        var root = new RootCommand("atcp-vboard: a virtual ATCP storage board. Runs the board firmware on emulated W5500 and SD card chips, "
            + "its Ethernet on a Linux interface. Needs root (raw socket). SIGTERM or SIGINT stop it cleanly.")
        {
            interfaceName, netns, boardId, mac, disk, cd, clusterId, keyFile, console, heartbeat, statsFile,
        };
        root.SetAction(result => BoardHost.Run(new BoardOptions
        {
            Interface = result.GetValue(interfaceName)!,
            Namespace = result.GetValue(netns),
            BoardId = result.GetValue(boardId),
            Mac = result.GetValue(mac),
            DiskImage = result.GetValue(disk),
            CdImage = result.GetValue(cd),
            ClusterId = result.GetValue(clusterId),
            ClusterKeyFile = result.GetValue(keyFile)!,
            Console = result.GetValue(console)!,
            HeartbeatSeconds = result.GetValue(heartbeat),
            SpiStatsFile = result.GetValue(statsFile),
        }, stderr));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine("atcp-vboard: " + parsed.Errors[0].Message + " (atcp-vboard --help lists the options)");
            return BoardHost.ExitStartup;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null });
    }
}
