using System.Text.Json;
using Atcp.TestSupport;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>Drives tools/testbed: up, down, status, exec, and the probes of
/// tools/testbed.d/probe.py run inside a host.</summary>
public sealed class Testbed
{
    /// <summary>tools/testbed in this repository.</summary>
    public static string Script { get; } = RepoPaths.Under("tools", "testbed");

    /// <summary>tools/testbed.d/probe.py in this repository.</summary>
    public static string ProbeScript { get; } = RepoPaths.Under("tools", "testbed.d", "probe.py");

    /// <summary>The system Python (the one with no virtual environment in the way).</summary>
    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Where the testbed keeps its state.</summary>
    public const string StateDirectory = "/run/atcp-testbed";

    /// <summary>Environment variables passed to every tools/testbed run (e.g. stand-in programs).</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>tools/testbed up with these options.</summary>
    public CommandResult Up(params string[] options) => Run(["up", .. options], TimeSpan.FromMinutes(5));

    /// <summary>tools/testbed down.</summary>
    public CommandResult Down() => Run(["down"]);

    /// <summary>tools/testbed status.</summary>
    public CommandResult Status() => Run(["status"]);

    /// <summary>The switch's loss rule counters from `status` (frames dropped, frames seen).</summary>
    public (long Lost, long Seen) SwitchLossCounters()
    {
        var status = Status().EnsureSuccess();
        var m = System.Text.RegularExpressions.Regex.Match(status.Stdout, @"loss: [0-9.]+% dropped (\d+) of (\d+) frames");
        Assert.True(m.Success, status.Describe());
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
    }

    /// <summary>tools/testbed exec host command...</summary>
    public CommandResult Exec(string host, params string[] command) => Run(["exec", host, .. command]);

    /// <summary>tools/testbed exec host command..., killed after timeout (the other overload waits 2 minutes).</summary>
    public CommandResult Exec(TimeSpan timeout, string host, params string[] command) => Run(["exec", host, .. command], timeout);

    /// <summary>Runs a probe to completion in a host and returns its last JSON line.</summary>
    public JsonElement Probe(string host, params string[] args)
    {
        var result = Exec(host, [Python, ProbeScript, .. args]).EnsureSuccess();
        return LastJson(result.Stdout, result.Describe());
    }

    /// <summary>Starts a receiving probe in a host and returns once it reports its socket open.</summary>
    public BackgroundProbe StartProbe(string host, params string[] args) =>
        BackgroundProbe.Start(Script, ["exec", host, Python, ProbeScript, .. args], Environment);

    /// <summary>Every namespace the testbed owns that exists now.</summary>
    public static IReadOnlyList<string> Namespaces() =>
        Commands.Run("ip", ["netns", "list"]).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(TestbedHosts.IsTestbedNamespace)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The last line of output that parses as JSON.</summary>
    public static JsonElement LastJson(string output, string context)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (!line.StartsWith('{')) continue;
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
        }
        throw new InvalidOperationException("no JSON line in the output of\n" + context);
    }

    CommandResult Run(string[] args, TimeSpan? timeout = null) => Commands.Run(Script, args, Environment, timeout);
}
