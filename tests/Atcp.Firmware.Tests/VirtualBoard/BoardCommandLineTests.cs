using Atcp.VirtualBoard;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>atcp-vboard's command line: values become the firmware configuration; anything that
/// stops the board from starting is one line on stderr and exit code 2.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class BoardCommandLineTests : IDisposable
{
    readonly BoardImages _images = new();
    readonly string _rawKey, _hexKey;

    public BoardCommandLineTests()
    {
        _rawKey = Path.Combine(_images.Folder, "key.bin");
        File.WriteAllBytes(_rawKey, BoardImages.Key);
        _hexKey = Path.Combine(_images.Folder, "key.hex");
        File.WriteAllText(_hexKey, Convert.ToHexString(BoardImages.Key).ToLowerInvariant() + "\n");
    }

    public void Dispose() => _images.Dispose();

    static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = BoardCommandLine.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("", "Option '--interface' is required")]
    [InlineData("--interface vbx0 --board-id 0", "--board-id must be 1..65534")]
    [InlineData("--interface vbx0 --board-id 65535", "--board-id must be 1..65534")]
    [InlineData("--interface vbx0 --mac 02:a7:c9", "--mac must look like")]
    [InlineData("--interface vbx0 --cluster-id xyz", "--cluster-id must be up to 8 hex digits")]
    [InlineData("--interface vbx0 --heartbeat 0", "--heartbeat must be 1..3600")]
    [InlineData("--interface vbx0 --disk /nonexistent/disk.img", "the disk image /nonexistent/disk.img does not exist")]
    [InlineData("--interface vbx0 --cd /nonexistent/cd.iso", "the CD image /nonexistent/cd.iso does not exist")]
    [InlineData("--interface atcp-no-such-if0", "no network interface 'atcp-no-such-if0'")]
    [InlineData("--interface vbx0 --namespace atcp-no-such-netns", "no network namespace 'atcp-no-such-netns'")]
    [InlineData("--interface vbx0 --console /nonexistent/dir/tty", "cannot make the console pseudo-terminal at /nonexistent/dir/tty")]
    public void StartupProblem_IsOneLineAndExitCode2(string arguments, string message)
    {
        var args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--cluster-key-file").Append(_rawKey).ToArray();
        var (exit, _, stderr) = Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.StartsWith("atcp-vboard: ", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void KeyFileOfWrongLength_IsRefusedWithHowToMakeOne()
    {
        string bad = Path.Combine(_images.Folder, "short.key");
        File.WriteAllText(bad, "abcd");
        var (exit, _, stderr) = Run("--interface", "vbx0", "--cluster-key-file", bad);

        Assert.Equal(2, exit);
        Assert.Contains("must hold 16 raw bytes or 32 hex digits (it has 4 bytes)", stderr);
        Assert.Contains("/dev/urandom", stderr);
    }

    [Fact]
    public void Options_BecomeTheFirmwareConfiguration()
    {
        var options = new BoardOptions { Interface = "vbx0", BoardId = 0x1234, ClusterId = "0xDEADBEEF", ClusterKeyFile = _hexKey, HeartbeatSeconds = 5 };
        var config = options.ToConfig();

        Assert.Equal(0x1234, config.BoardId);
        Assert.Equal(0xDEADBEEFu, config.ClusterId);
        Assert.Equal(BoardImages.Key, config.ClusterKey); // from 32 hex digits and a newline
        Assert.Equal(new byte[] { 0x02, 0xA7, 0xC9, 0x0B, 0x12, 0x34 }, config.Mac);
        Assert.Equal(5, config.HeartbeatSeconds);
        Assert.Equal(BoardOptions.DefaultClusterId, new BoardOptions { Interface = "x", ClusterKeyFile = _rawKey }.ToConfig().ClusterId);
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0, 0x99 }, new BoardOptions { Interface = "x", ClusterKeyFile = _rawKey, Mac = "02:00:00:00:00:99" }.ToConfig().Mac);
    }

    [Fact]
    public void BootEpochWithoutDisk_FollowsTheHostClockSoRestartsAdvanceIt()
    {
        uint earlier = BoardOptions.HostClockEpoch(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        uint later = BoardOptions.HostClockEpoch(new DateTime(2026, 1, 1, 0, 0, 5, DateTimeKind.Utc));
        Assert.Equal(earlier + 5, later);
        Assert.True(earlier > 1);
    }

    [Fact]
    public void Help_ListsEveryOptionAndExits0()
    {
        var (exit, stdout, _) = Run("--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--interface", "--namespace", "--board-id", "--mac", "--disk", "--cd", "--cluster-id", "--cluster-key-file", "--console", "--heartbeat", "--spi-stats-file" })
            Assert.Contains(option, stdout);
    }
}
