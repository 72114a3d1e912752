using Atcp.Emulation.SdCard;
using Atcp.Emulation.W5500;
using Atcp.Firmware.Board;
using Atcp.Firmware.Hal;
using Atcp.VirtualBoard.Hardware;

namespace Atcp.VirtualBoard;

/// <summary>A storage board made of emulated chips: a W5500 (whatever carries its frames: a Linux
/// interface in <c>atcp-vboard</c>, an in-memory cable in tests), two SD sockets on one SPI bus
/// (the disk card and the card holding the CD image, either may be empty), a console port and a
/// clock. <see cref="Run"/> runs the unchanged firmware (<see cref="BoardRuntime"/>) on them, with
/// the given configuration winning over the settings on the card, and boots it again after a
/// console <c>reboot</c> as the board's own main loop does; <see cref="RequestStop"/> ends it from
/// any thread.</summary>
public sealed class EmulatedBoard : IDisposable
{
    readonly BoardConfig _initialConfig;
    volatile BoardRuntime? _runtime;
    volatile bool _stopRequested;
    int _boots;

    /// <summary>Wires the chips into a board. disk and cd may be null (empty sockets); the board
    /// owns the card models from here on and disposes them (flushing their images).</summary>
    public EmulatedBoard(W5500Model nic, SdCardModel? disk, SdCardModel? cd, ISerialPort console, IClock clock, BoardConfig config)
    {
        Nic = nic;
        SdBus = new SdBus();
        DiskSocket = SdBus.AddSocket("disk", disk);
        CdSocket = SdBus.AddSocket("cd", cd);
        Clock = clock;
        _initialConfig = config;
        Hardware = new BoardHardware(
            nic, nic.ResetPin, new InterruptLine(nic),
            SdBus,
            DiskSocket.ChipSelect, DiskSocket.CardDetect,
            CdSocket.ChipSelect, CdSocket.CardDetect,
            console, clock);
    }

    /// <summary>The NIC chip.</summary>
    public W5500Model Nic { get; }

    /// <summary>The SD bus both sockets share.</summary>
    public SdBus SdBus { get; }

    /// <summary>The disk card's socket (chip select, card detect, traffic).</summary>
    public SdSocket DiskSocket { get; }

    /// <summary>The CD card's socket.</summary>
    public SdSocket CdSocket { get; }

    /// <summary>The board's clock.</summary>
    public IClock Clock { get; }

    /// <summary>The hardware handed to the firmware.</summary>
    public BoardHardware Hardware { get; }

    /// <summary>The firmware as booted (null before the first boot finished).</summary>
    public BoardRuntime? Runtime => _runtime;

    /// <summary>Boots so far (2 after one console reboot).</summary>
    public int Boots => Volatile.Read(ref _boots);

    /// <summary>True once <see cref="RequestStop"/> was called.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Raised on the board's thread after each boot, before the loop runs.</summary>
    public event Action<BoardRuntime>? Booted;

    /// <summary>Boots the firmware and runs it on the calling thread until <see cref="RequestStop"/>;
    /// a console <c>reboot</c> boots again with the configuration in force (including what the
    /// console changed), as <see cref="BoardMain"/> does on the board.</summary>
    public void Run()
    {
        BoardConfig config = _initialConfig;
        while (!_stopRequested)
        {
            BoardRuntime runtime = BoardRuntime.Boot(Hardware, config, defaultsWin: true);
            _runtime = runtime;
            Interlocked.Increment(ref _boots);
            Booted?.Invoke(runtime);
            // A stop that came during the boot found no runtime (or the previous one) to flag.
            if (_stopRequested) break;
            runtime.RunUntilReboot();
            if (_stopRequested) break;
            runtime.Console.Output.Line("rebooting...");
            config = runtime.Config;
        }
    }

    /// <summary>Asks the loop to return (safe from any thread, including a signal handler): the
    /// firmware finishes its current turn and <see cref="Run"/> returns.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        BoardRuntime? runtime = _runtime;
        if (runtime != null) runtime.RebootRequested = true;
    }

    /// <summary>Writes the card images to the host disk.</summary>
    public void Flush()
    {
        DiskSocket.Card?.Flush();
        CdSocket.Card?.Flush();
    }

    /// <summary>Flushes and closes the card images. Call after <see cref="Run"/> returned.</summary>
    public void Dispose()
    {
        DiskSocket.Card?.Dispose();
        CdSocket.Card?.Dispose();
    }
}
