namespace Atcp.SdImage;

/// <summary>Where the tool writes: results on Out, progress and messages on Error. Tests pass
/// string writers; <see cref="ErrorIsTerminal"/> decides whether a progress bar is drawn.</summary>
public sealed record ToolConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal)
{
    /// <summary>The process's stdout and stderr.</summary>
    public static ToolConsole FromProcess() => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}

/// <summary>A failure to report to the user in one message, exit code 1 (nothing else is printed).</summary>
public sealed class ToolException(string message) : Exception(message);

/// <summary>A command line the tool cannot act on: the message and the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
