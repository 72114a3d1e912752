using System.Diagnostics;

namespace Atcp.Linux;

/// <summary>What a command printed and how it ended.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs iproute2's <c>ip</c> (and other commands) and turns failures into exceptions that
/// quote the command and its error output.</summary>
public static class IpCommand
{
    /// <summary>Runs <c>ip args...</c>; throws <see cref="InvalidOperationException"/> on a non-zero exit.</summary>
    public static string Run(params string[] args) => Check("ip", args, Exec("ip", args));

    /// <summary>Runs a program with arguments (no shell), waiting at most timeoutMs.</summary>
    public static CommandResult Exec(string program, IReadOnlyList<string> args, int timeoutMs = 30_000)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException("Could not start '" + program + "'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("'" + program + " " + string.Join(' ', args) + "' did not finish within " + timeoutMs + " ms.");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Returns the output of a successful result, or throws with the command and its error text.</summary>
    public static string Check(string program, IReadOnlyList<string> args, CommandResult result)
    {
        if (result.Succeeded) return result.StandardOutput;
        throw new InvalidOperationException("'" + program + " " + string.Join(' ', args) + "' failed (exit " +
            result.ExitCode + "): " + result.StandardError.Trim());
    }
}
