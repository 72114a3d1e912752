using Atcp.Emulation.SdCard;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.VirtualBoard;
using Atcp.VirtualBoard.Hardware;
using Atcp.VirtualBoard.Media;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>A virtual board running in this process on its own thread: a W5500 model on an
/// in-memory cable to a <see cref="TestFrontEnd"/>, cards opened from image files exactly as
/// atcp-vboard opens them, a fake console port, the real monotonic clock.</summary>
public sealed class BoardRig : IDisposable
{
    readonly Thread _thread;
    Exception? _failure;

    /// <summary>Boots a board with the given images (null: empty socket) and waits for the boot to finish.</summary>
    public BoardRig(string? disk, string? cd, ushort boardId = 3, int heartbeatSeconds = 10)
    {
        Chip = new W5500Model();
        FrontEnd = new TestFrontEnd(Chip, BoardImages.Key); // on the cable before boot: it sees the first HELLO
        Config = new BoardConfig { BoardId = boardId, ClusterId = TestFrontEnd.ClusterId, HeartbeatSeconds = heartbeatSeconds };
        BoardConfig.DefaultMac(boardId, Config.Mac);
        BoardImages.Key.CopyTo(Config.ClusterKey, 0);
        SdCardModel? diskCard = disk == null ? null : CardImages.OpenDisk(disk);
        SdCardModel? cdCard = cd == null ? null : CardImages.OpenCd(cd);
        Board = new EmulatedBoard(Chip, diskCard, cdCard, Console, new MonotonicClock(), Config);
        _thread = new Thread(() =>
        {
            try { Board.Run(); }
            catch (Exception e) { _failure = e; }
        }) { IsBackground = true, Name = "virtual board " + boardId };
        _thread.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Board.Runtime == null && _failure == null && DateTime.UtcNow < deadline) Thread.Sleep(2);
        if (_failure != null) throw new InvalidOperationException("the board failed to boot", _failure);
        Assert.NotNull(Board.Runtime);
    }

    /// <summary>The NIC model.</summary>
    public W5500Model Chip { get; }
    /// <summary>The front-end on the cable.</summary>
    public TestFrontEnd FrontEnd { get; }
    /// <summary>The console port.</summary>
    public FakeSerialPort Console { get; } = new();
    /// <summary>The configuration the board was started with.</summary>
    public BoardConfig Config { get; }
    /// <summary>The board.</summary>
    public EmulatedBoard Board { get; }
    /// <summary>The firmware as booted.</summary>
    public BoardRuntime Runtime => Board.Runtime!;
    /// <summary>The board's MAC.</summary>
    public byte[] Mac => Config.Mac;

    /// <summary>Stops the board (as SIGTERM does) and closes its images; rethrows a firmware failure.</summary>
    public void Dispose()
    {
        Board.RequestStop();
        bool stopped = _thread.Join(TimeSpan.FromSeconds(10));
        Board.Dispose();
        Assert.True(stopped, "the board did not stop within 10 s of RequestStop");
        if (_failure != null) throw new InvalidOperationException("the firmware threw", _failure);
    }
}
