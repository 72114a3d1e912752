namespace Atcp.SdImage;

/// <summary>Entry point of atcp-sdimage (run through tools/sdimage).</summary>
public static class Program
{
    /// <summary>Runs the tool on the process's console; the exit code is the tool's.</summary>
    public static int Main(string[] args) => SdImageTool.Run(args, ToolConsole.FromProcess());
}
