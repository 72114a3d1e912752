using System.Text;
using Atcp.VirtualBoard.Serial;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>The console on a pseudo-terminal: a terminal program opening the link talks to the
/// board both ways; the link goes away with the port; stale links are replaced, files are not.</summary>
[Collection(VirtualBoardCollection.Name)]
public sealed class PtySerialPortTests : IDisposable
{
    readonly BoardImages _images = new();
    public void Dispose() => _images.Dispose();

    [Fact]
    public void TerminalOnTheLink_TalksToTheBoardBothWays_AndTheLinkGoesAtDispose()
    {
        string link = Path.Combine(_images.Folder, "console");
        using (var port = PtySerialPort.Create(link))
        {
            Assert.Equal(port.SlavePath, new FileInfo(link).LinkTarget);
            Assert.StartsWith("/dev/pts/", port.SlavePath);
            using var terminal = new FileStream(link, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);

            terminal.Write("status\r"u8);
            terminal.Flush();
            var typed = new byte[64];
            int got = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (got < 7 && DateTime.UtcNow < deadline)
            {
                int n = port.Read(typed, got, typed.Length - got);
                if (n == 0) Thread.Sleep(1);
                got += n;
            }
            Assert.Equal("status\r", Encoding.ASCII.GetString(typed, 0, got)); // raw: no echo, CR kept

            byte[] banner = "atcp> "u8.ToArray();
            port.Write(banner, 0, banner.Length);
            var shown = new byte[banner.Length];
            int read = 0;
            while (read < shown.Length) read += terminal.Read(shown, read, shown.Length - read);
            Assert.Equal(banner, shown);
            Assert.Equal(0, port.Read(typed, 0, typed.Length)); // the board's output is not echoed back to it
        }
        Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget != null, "the link is removed at exit");
    }

    [Fact]
    public void StaleLink_IsReplaced()
    {
        string link = Path.Combine(_images.Folder, "stale");
        File.CreateSymbolicLink(link, "/dev/pts/999999");
        using var port = PtySerialPort.Create(link);
        Assert.Equal(port.SlavePath, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void RegularFileAtThePath_IsNotTouched()
    {
        string path = Path.Combine(_images.Folder, "notes.txt");
        File.WriteAllText(path, "keep me");
        var e = Assert.Throws<IOException>(() => PtySerialPort.Create(path));
        Assert.Contains("is not a symbolic link", e.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void NobodyReading_OutputIsDroppedInsteadOfBlockingTheBoard()
    {
        using var port = PtySerialPort.Create(Path.Combine(_images.Folder, "idle"));
        var chunk = new byte[4096];
        for (int i = 0; i < 64; i++) port.Write(chunk, 0, chunk.Length); // 256 KiB: far beyond the pty's buffer
        Assert.True(port.DroppedBytes > 0);
    }
}
