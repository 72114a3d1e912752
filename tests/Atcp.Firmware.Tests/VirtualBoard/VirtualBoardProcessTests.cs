using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Atcp.Emulation.W5500;
using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The real atcp-vboard executable, plugged into one end of a veth pair inside a network
/// namespace made for the test (and deleted afterwards): its HELLO shows up on the other end, and
/// SIGTERM stops it cleanly (exit 0, statistics written, console link removed). Needs root, as CI has.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class VirtualBoardProcessTests : IDisposable
{
    const string BoardSide = "vbboard";
    const string PeerSide = "vbpeer";
    const int SigTerm = 15;
    readonly BoardImages _images = new();

    public void Dispose() => _images.Dispose();

    [Fact]
    public void Executable_InNamespace_BroadcastsHelloOnTheVethAndExitsCleanlyOnSigterm()
    {
        Assert.True(Environment.UserName == "root", "this test creates a network namespace and raw sockets: run it as root (CI does)");
        string ns = "atcp-vb-" + Guid.NewGuid().ToString("N")[..8];
        string key = Path.Combine(_images.Folder, "cluster.key");
        File.WriteAllText(key, Convert.ToHexString(BoardImages.Key) + "\n");
        string disk = _images.Disk("disk.img", 4 << 20, "procdisk", ("a.txt", "alpha"u8.ToArray(), "text/plain"));
        string stats = Path.Combine(_images.Folder, "stats.json");
        string console = Path.Combine(_images.Folder, "tty");
        Process? board = null;
        Run("ip", "netns add " + ns);
        try
        {
            Run("ip", $"-n {ns} link add {BoardSide} type veth peer name {PeerSide}");
            Run("ip", $"netns exec {ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
            Run("ip", $"-n {ns} link set {BoardSide} up");
            Run("ip", $"-n {ns} link set {PeerSide} up");
            using var peer = new LinuxRawSocketWire(PeerSide, ns);
            var atPeer = new BlockingCollection<byte[]>();
            peer.FrameReceived += frame => atPeer.Add(frame.ToArray());
            peer.Start();

            board = Start("--interface", BoardSide, "--namespace", ns, "--board-id", "300", "--disk", disk,
                "--cluster-key-file", key, "--console", console, "--heartbeat", "1", "--spi-stats-file", stats);

            var hello = WaitForHello(atPeer, TimeSpan.FromSeconds(20), board);
            Assert.Equal(300, hello.BoardId);
            Assert.Equal(1, hello.VolumeCount);
            Assert.Equal("procdisk", hello.Volumes[0].Label.ToText());
            Assert.StartsWith("/dev/pts/", new FileInfo(console).LinkTarget); // the console pty, while running

            Assert.Equal(0, kill(board.Id, SigTerm));
            Assert.True(board.WaitForExit(TimeSpan.FromSeconds(15)), "atcp-vboard did not exit within 15 s of SIGTERM");
            Assert.True(board.ExitCode == 0, "exit code " + board.ExitCode + "; stderr: " + board.StandardError.ReadToEnd());
            Assert.Null(new FileInfo(console).LinkTarget);
            using var json = JsonDocument.Parse(File.ReadAllText(stats));
            Assert.True(json.RootElement.GetProperty("w5500").GetProperty("framesOut").GetInt64() >= 1);
            Assert.True(json.RootElement.GetProperty("disk").GetProperty("spiBytes").GetInt64() > 0);
            Assert.True(json.RootElement.GetProperty("interface").GetProperty("framesSent").GetInt64() >= 1);
        }
        finally
        {
            if (board != null && !board.HasExited) board.Kill();
            board?.Dispose();
            Run("ip", "netns del " + ns, check: false);
        }
        Assert.DoesNotContain(ns, Run("ip", "netns list"));
    }

    static AtcpHelloRepr WaitForHello(BlockingCollection<byte[]> frames, TimeSpan limit, Process board)
    {
        var reader = new AtcpFrameReader(TestFrontEnd.ClusterId, BoardImages.Key, 0, 0, 4);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (board.HasExited) throw new InvalidOperationException("atcp-vboard exited early (" + board.ExitCode + "): " + board.StandardError.ReadToEnd());
            if (!frames.TryTake(out var frame, TimeSpan.FromMilliseconds(200))) continue;
            if (frame.Length < 14 || frame[12] != 0x88 || frame[13] != 0xB5) continue;
            Assert.Equal(TestFrontEnd.Broadcast, frame[..6]);
            Assert.Equal(ParseStatus.Ok, reader.Read(frame, 0, frame.Length));
            Assert.Equal(AtcpMessageType.Hello, (AtcpMessageType)reader.MessageType);
            var hello = new AtcpHelloRepr();
            Assert.Equal(ParseStatus.Ok, hello.Parse(frame, reader.BodyOffset, reader.BodyLength));
            return hello;
        }
        throw new TimeoutException("no HELLO on " + PeerSide + " within " + limit);
    }

    static Process Start(params string[] args)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "atcp-vboard");
        var info = File.Exists(host)
            ? new ProcessStartInfo(host, args)
            : new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "atcp-vboard.dll"), .. args]);
        info.RedirectStandardInput = true;   // the board's stdin is not a terminal here
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { }; // drain: the console is on the pty, stdout stays quiet
        process.BeginOutputReadLine();
        return process;
    }

    static string Run(string file, string arguments, bool check = true)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stderr.Trim()}");
        return stdout;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
