using System.Diagnostics;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws, with everything the command printed, unless it exited with 0.</summary>
    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException(Describe());

    /// <summary>The command, its exit code and its output, for assertion messages.</summary>
    public string Describe() =>
        "$ " + Command + "\nexit " + ExitCode + "\n--- stdout\n" + Stdout + "--- stderr\n" + Stderr;
}

/// <summary>Runs programs to completion with a deadline.</summary>
public static class Commands
{
    /// <summary>Runs file with args (and extra environment variables), waits up to timeout
    /// (default 2 minutes), kills it on expiry, and returns what it printed.</summary>
    public static CommandResult Run(string file, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = Start(file, args, environment);
        var text = file + " " + string.Join(" ", start.ArgumentList);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + text);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("did not finish in time: " + text);
        }
        return new CommandResult(text, process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Start information with redirected output and the given environment additions.</summary>
    public static ProcessStartInfo Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }
}
