using System.Diagnostics;
using System.Text;
using Atcp.TestSupport;

namespace Atcp.EndToEnd.Tests.Support;

/// <summary>tcpdump writing a pcap inside a testbed host, started before the traffic and stopped
/// (SIGINT, so it flushes and closes the file) before the file is read.</summary>
public sealed class PacketCapture : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _stderr = new();
    readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    bool _stopped;

    PacketCapture(Process process, string path)
    {
        _process = process;
        Path = path;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) { _listening.TrySetResult(); return; }
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (e.Data.Contains("listening on")) _listening.TrySetResult();
        };
        _process.BeginErrorReadLine();
        _process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>The pcap file.</summary>
    public string Path { get; }

    /// <summary>What tcpdump printed (its counters come last, after <see cref="Stop"/>).</summary>
    public string Log { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>"N packets dropped by kernel" from tcpdump's closing counters (-1 before <see cref="Stop"/>
    /// or when it printed none): above 0, the capture misses frames.</summary>
    public long DroppedByKernel
    {
        get
        {
            var m = System.Text.RegularExpressions.Regex.Match(Log, @"(\d+) packets? dropped by kernel");
            return m.Success ? long.Parse(m.Groups[1].Value) : -1;
        }
    }

    /// <summary>Starts tcpdump on interface in host, writing path, with a capture filter (pcap-filter
    /// syntax) and a snapshot length (0: whole frames); returns once tcpdump listens.</summary>
    public static PacketCapture Start(string host, string path, string filter, int snapLength = 0, string interfaceName = "eth0")
    {
        HostTools.Require("tcpdump:tcpdump");
        // --immediate-mode: hand each packet over at once (TPACKET_V3 otherwise holds up to a block
        // until a timeout, and whatever sits there when tcpdump is stopped is lost); -U: write each
        // packet at once; -Z root: keep root so the file may be anywhere; -n: no lookups.
        var start = Commands.Start(Testbed.Script, ["exec", host, "tcpdump", "-i", interfaceName, "-n", "--immediate-mode", "-U", "-Z", "root",
            "-s", snapLength.ToString(), "-w", path, filter]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tcpdump in " + host);
        var capture = new PacketCapture(process, path);
        if (!capture._listening.Task.Wait(TimeSpan.FromSeconds(20)) || process.HasExited)
        {
            capture.Dispose();
            throw new InvalidOperationException("tcpdump in " + host + " did not start listening:\n" + capture.Log);
        }
        return capture;
    }

    /// <summary>Stops tcpdump (SIGINT: it writes what it holds and closes the file) and waits for it.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        if (!_process.HasExited)
        {
            // tools/testbed exec and ip netns exec exec in place: the pid is tcpdump's own.
            Commands.Run("kill", ["-INT", _process.Id.ToString()]);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15))) _process.Kill();
        }
        _process.WaitForExit();
    }

    /// <summary>Stops, checks that tcpdump lost no frame, then decodes the capture with tshark
    /// (checksum validation on) into the given fields.</summary>
    public IReadOnlyList<TsharkFrame> Decode(params string[] fields)
    {
        Stop();
        if (DroppedByKernel != 0) throw new InvalidOperationException("the capture is incomplete or unfinished:\n" + Log);
        return Tshark.Decode(Path, fields);
    }

    /// <summary>Stops tcpdump if it still runs.</summary>
    public void Dispose()
    {
        try { Stop(); }
        finally { _process.Dispose(); }
    }
}
