namespace Atcp.SdImage;

/// <summary>The sdimage command line: build, inspect, verify, placement. Exit codes: 0 done,
/// 1 failed (message on stderr), 2 bad command line (message and usage on stderr).</summary>
public static class SdImageTool
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: sdimage build --out IMG [--size SIZE|auto] [--label L] [--chunk 292] [--max-objects N]
                             [--board-id I [--boards N [--copies C]] [--cluster-key-file F] [--cluster-id HEX]]
                             [--include-hidden] [--skip-bad] [--progress] DIR
               sdimage inspect [--json] IMG
               sdimage verify IMG
               sdimage placement --boards N [--copies C] NAME...

          build      writes every file under DIR as an object (name = path relative to DIR) into a new
                     object store image, with the firmware's own store code. SIZE like 2G, 512M, 4GB
                     (K/M/G/T = 1024-based, KB/MB/GB/TB = 1000-based); auto (default) picks the largest
                     image that fits any card of the smallest sufficient size. --board-id I --boards N
                     keeps only the objects board I holds in a cluster of boards 1..N (rendezvous
                     hashing, C copies, default min(2, N)) and writes the board's settings
                     (.atcp/board.conf). SOURCE_DATE_EPOCH caps stored modification times.
          inspect    label, geometry, space and the objects (size, content type, ETag, name).
          verify     checks all metadata and every object's CRC-32C and chunk sums; exit 1 on damage.
          placement  which boards hold each object name, best first.
        """;

    /// <summary>Runs a command line; returns the exit code.</summary>
    public static int Run(string[] args, ToolConsole console)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                (args.Length == 0 ? console.Error : console.Out).WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            var rest = args.Skip(1);
            return args[0] switch
            {
                "build" => BuildCommand.Run(Arguments.Parse(rest, BuildCommand.ValueOptions, BuildCommand.Flags), console),
                "inspect" => InspectCommand.Run(Arguments.Parse(rest, [], ["json"]), console),
                "verify" => VerifyCommand.Run(Arguments.Parse(rest, [], []), console),
                "placement" => PlacementCommand.Run(Arguments.Parse(rest, ["boards", "copies"], []), console),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"sdimage: {e.Message}");
            console.Error.WriteLine(Usage);
            return 2;
        }
        catch (ToolException e)
        {
            console.Error.WriteLine($"sdimage: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug: say so with the details (caught here so cleanup, such as removing a partial image, runs).
            console.Error.WriteLine($"sdimage: unexpected error, please report: {e}");
            return 1;
        }
    }
}
