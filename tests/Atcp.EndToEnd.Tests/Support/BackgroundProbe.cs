using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>A receiving probe running in the background: started, waited on until it prints
/// "ready" (its socket is open), then its result read when it exits.</summary>
public sealed class BackgroundProbe : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _stdout = new();
    readonly Task<string> _stderr;
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly string _command;

    BackgroundProbe(Process process, string command)
    {
        _process = process;
        _command = command;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) { _closed.TrySetResult(); _ready.TrySetResult(); return; }
            lock (_stdout) _stdout.AppendLine(e.Data);
            if (e.Data == "ready") _ready.TrySetResult();
        };
        _process.BeginOutputReadLine();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts file args... and waits (up to 10 s) for its "ready" line.</summary>
    public static BackgroundProbe Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = Commands.Start(file, args, environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var probe = new BackgroundProbe(process, file + " " + string.Join(" ", start.ArgumentList));
        if (!probe._ready.Task.Wait(TimeSpan.FromSeconds(10)) || probe._process.HasExited && probe.Output.Trim().Length == 0)
            throw new InvalidOperationException("probe did not get ready: " + probe._command + "\n" + probe.Output);
        return probe;
    }

    string Output { get { lock (_stdout) return _stdout.ToString(); } }

    /// <summary>Every JSON line printed so far, in order.</summary>
    public IReadOnlyList<JsonElement> Lines =>
        Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => { using var doc = JsonDocument.Parse(line); return doc.RootElement.Clone(); })
            .ToList();

    /// <summary>Waits for the probe to exit (up to timeout) and returns its last JSON line.</summary>
    public JsonElement Result(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("probe still running after " + timeout + ": " + _command + "\n" + Output);
        }
        _closed.Task.Wait(TimeSpan.FromSeconds(5));
        var result = new CommandResult(_command, _process.ExitCode, Output, _stderr.Result).EnsureSuccess();
        return Testbed.LastJson(result.Stdout, result.Describe());
    }

    /// <summary>Kills the probe if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
