namespace Atcp.VirtualBoard;

/// <summary>Entry point of <c>atcp-vboard</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; the exit code says how it ended (see <see cref="BoardHost"/>).</summary>
    public static int Main(string[] args) => BoardCommandLine.Run(args, System.Console.Out, System.Console.Error);
}
