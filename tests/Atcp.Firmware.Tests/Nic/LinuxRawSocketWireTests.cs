using System.Collections.Concurrent;
using System.Diagnostics;
using Atcp.Emulation.W5500;

namespace Atcp.Firmware.Tests.Nic;

/// <summary>The emulated chip on a real Linux link: a veth pair inside a network namespace made
/// for the test (and deleted afterwards), the chip bridged to one end with an AF_PACKET socket, a
/// plain AF_PACKET socket on the other end playing the peer. Needs root, as CI has.</summary>
public class LinuxRawSocketWireTests
{
    const string ChipSide = "w5chip";
    const string PeerSide = "w5peer";

    [Fact]
    public void Bridge_OverVethInNamespace_CarriesFramesBothWays()
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "this test creates a network namespace and raw sockets: run it as root (CI does)");
        string ns = "atcp-w5500-" + Guid.NewGuid().ToString("N")[..8];
        Ip("netns add " + ns);
        try
        {
            Ip($"-n {ns} link add {ChipSide} type veth peer name {PeerSide}");
            Run("ip", $"netns exec {ns} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
            Ip($"-n {ns} link set {ChipSide} up");
            Ip($"-n {ns} link set {PeerSide} up");

            var bench = new Bench().Up();
            using var wire = LinuxRawSocketWire.Connect(bench.Chip, ChipSide, ns);
            using var peer = new LinuxRawSocketWire(PeerSide, ns);
            var atPeer = new BlockingCollection<byte[]>();
            peer.FrameReceived += frame => atPeer.Add(frame.ToArray());
            peer.Start();

            // Chip -> wire: the driver transmits, the peer's socket sees the frame unchanged.
            var outbound = TestFrames.Make(200, 0x0A0B0C0D, TestFrames.PeerMac, TestFrames.BoardMac);
            Assert.True(bench.TransmitOne(outbound));
            Assert.Equal(outbound, WaitFor(atPeer, f => f.AsSpan().StartsWith(outbound.AsSpan(0, 18))));

            // Wire -> chip: the peer sends to the board's MAC and to broadcast; the driver gets both.
            var inbound = TestFrames.Make(1514, 0x01020304, TestFrames.BoardMac, TestFrames.PeerMac);
            var broadcast = TestFrames.Make(60, 0x05060708, TestFrames.Broadcast, TestFrames.PeerMac);
            peer.Send(inbound);
            peer.Send(broadcast);
            Assert.Equal(inbound, ReceiveWithin(bench, TimeSpan.FromSeconds(5)));
            Assert.Equal(broadcast, ReceiveWithin(bench, TimeSpan.FromSeconds(5)));
            Assert.Equal(1, wire.FramesSent);
            Assert.True(wire.FramesReceived >= 2);
        }
        finally
        {
            Run("ip", "netns del " + ns, check: false);
        }
        Assert.DoesNotContain(ns, Run("ip", "netns list"));
    }

    static byte[] WaitFor(BlockingCollection<byte[]> frames, Func<byte[], bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (frames.TryTake(out var frame, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
            if (match(frame)) return frame;
        throw new TimeoutException("the frame did not arrive at the peer within 5 s");
    }

    static byte[] ReceiveWithin(Bench bench, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            var frame = bench.ReceiveOne();
            if (frame != null && frame[12] == 0x88 && frame[13] == 0xB5) return frame;
            if (frame == null) Thread.Sleep(1);
        }
        throw new TimeoutException("the frame did not reach the driver within " + limit);
    }

    static void Ip(string arguments) => Run("ip", arguments);

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
}
