using Atcp.Emulation.SdCard;
using Atcp.Firmware.Hal;

namespace Atcp.VirtualBoard.Hardware;

/// <summary>The board's SD SPI bus: one SCK/MOSI/MISO shared by two card sockets, each with its own
/// chip-select line and card-detect switch (hardware/board/README.md). The firmware drives the
/// chip selects through <see cref="SdSocket.ChipSelect"/>; each transfer reaches the card whose CS
/// is low. Clocks sent with every CS high reach every card (they count as the power-up clocks an
/// SD card needs before CMD0, SD Physical Layer Simplified Specification v4.10 §6.4.1.1) and MISO
/// floats high (0xFF, the bus pull-up). An empty socket's card-detect switch reads high (no card;
/// the switch is active low) and its chip select selects nothing. Two chip selects low at once is a
/// firmware bug: counted in <see cref="ContentionTransfers"/>, both cards get the bytes and MISO is
/// the AND of their outputs (the stronger low driver wins). A card that is not selected sees no
/// clocks, so a busy signal it left running does not count down meanwhile (real cards keep clocking
/// internally; the driver polls busy again after selecting, so this only costs a few polls).
/// Single-threaded, like the bus; counters may be read from another thread.</summary>
public sealed class SdBus : ISpiTransport, ISpiClockControl
{
    readonly List<SdSocket> _sockets = new();
    byte[] _mosiCopy = new byte[1024];
    byte[] _misoScratch = new byte[1024];
    long _transfers, _bytes, _idleTransfers, _contentionTransfers, _clockChanges;
    int _clockHz = 400_000;

    /// <summary>Adds a socket named name (for statistics), holding card or empty (null).</summary>
    public SdSocket AddSocket(string name, SdCardModel? card)
    {
        var socket = new SdSocket(name, card);
        _sockets.Add(socket);
        return socket;
    }

    /// <summary>The sockets in the order they were added.</summary>
    public IReadOnlyList<SdSocket> Sockets => _sockets;

    /// <summary>Transfers (calls to TransferFullDuplex or Write) on the bus.</summary>
    public long Transfers => Interlocked.Read(ref _transfers);
    /// <summary>Bytes clocked on the bus.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    /// <summary>Transfers made with every chip select high (power-up clocks).</summary>
    public long IdleTransfers => Interlocked.Read(ref _idleTransfers);
    /// <summary>Transfers made with more than one chip select low (a firmware bug).</summary>
    public long ContentionTransfers => Interlocked.Read(ref _contentionTransfers);
    /// <summary>The SPI clock last set by the firmware, in Hz (400 kHz until the first change).</summary>
    public int ClockHz => Volatile.Read(ref _clockHz);
    /// <summary>How many times the firmware set the clock.</summary>
    public long ClockChanges => Interlocked.Read(ref _clockChanges);

    /// <summary>Records the clock and tells every card (the models keep it for their timing).</summary>
    public void SetClockFrequency(int hertz)
    {
        if (hertz <= 0) throw new ArgumentOutOfRangeException(nameof(hertz), "an SPI clock must be positive");
        Volatile.Write(ref _clockHz, hertz);
        Interlocked.Increment(ref _clockChanges);
        foreach (var socket in _sockets) socket.Card?.SetClockFrequency(hertz);
    }

    /// <inheritdoc/>
    public void TransferFullDuplex(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
    {
        if (length <= 0) return;
        Count(length);
        SdSocket? only = null;
        int selected = 0;
        foreach (var socket in _sockets)
        {
            if (!socket.Selected) continue;
            selected++;
            only = socket;
        }
        if (selected == 1)
        {
            only!.Count(length);
            if (only.Card != null) only.Card.TransferFullDuplex(write, writeOffset, read, readOffset, length);
            else read.AsSpan(readOffset, length).Fill(0xFF);
            return;
        }
        if (selected == 0)
        {
            Interlocked.Increment(ref _idleTransfers);
            foreach (var socket in _sockets) socket.Card?.Write(write, writeOffset, length);
            read.AsSpan(readOffset, length).Fill(0xFF);
            return;
        }
        Contention(write, writeOffset, read, readOffset, length);
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int length)
    {
        if (length <= 0) return;
        Count(length);
        int selected = 0;
        foreach (var socket in _sockets) if (socket.Selected) selected++;
        if (selected == 0) Interlocked.Increment(ref _idleTransfers);
        if (selected > 1) Interlocked.Increment(ref _contentionTransfers);
        foreach (var socket in _sockets)
        {
            if (selected > 0 && !socket.Selected) continue;
            if (selected > 0) socket.Count(length);
            socket.Card?.Write(buffer, offset, length);
        }
    }

    void Contention(byte[] write, int writeOffset, byte[] read, int readOffset, int length)
    {
        Interlocked.Increment(ref _contentionTransfers);
        // read and write may be the same array: keep MOSI apart before any card answers.
        if (_mosiCopy.Length < length) { _mosiCopy = new byte[length]; _misoScratch = new byte[length]; }
        Array.Copy(write, writeOffset, _mosiCopy, 0, length);
        read.AsSpan(readOffset, length).Fill(0xFF);
        foreach (var socket in _sockets)
        {
            if (!socket.Selected) continue;
            socket.Count(length);
            if (socket.Card == null) continue;
            socket.Card.TransferFullDuplex(_mosiCopy, 0, _misoScratch, 0, length);
            for (int i = 0; i < length; i++) read[readOffset + i] &= _misoScratch[i];
        }
    }

    void Count(int length)
    {
        Interlocked.Increment(ref _transfers);
        Interlocked.Add(ref _bytes, length);
    }
}

/// <summary>One card socket on the <see cref="SdBus"/>: its chip-select line, its card-detect
/// switch and the traffic it saw while selected.</summary>
public sealed class SdSocket
{
    long _transfers, _bytes, _selections;
    volatile bool _selected;

    internal SdSocket(string name, SdCardModel? card)
    {
        Name = name;
        Card = card;
        ChipSelect = new ChipSelectLine(this);
        CardDetect = card?.CardDetect ?? new NoCardSwitch();
    }

    /// <summary>The socket's name in statistics ("disk", "cd").</summary>
    public string Name { get; }

    /// <summary>The card in the socket, or null for an empty socket.</summary>
    public SdCardModel? Card { get; }

    /// <summary>The socket's CS line (active low), for the firmware; also drives the card's CS input.</summary>
    public IOutputPin ChipSelect { get; }

    /// <summary>The socket's card-detect switch: low while a card is in it.</summary>
    public IInputPin CardDetect { get; }

    /// <summary>True while the chip select is low.</summary>
    public bool Selected => _selected;

    /// <summary>Transfers made while this socket was selected.</summary>
    public long Transfers => Interlocked.Read(ref _transfers);
    /// <summary>Bytes clocked while this socket was selected.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    /// <summary>Falling edges of the chip select.</summary>
    public long Selections => Interlocked.Read(ref _selections);

    internal void Count(int length)
    {
        Interlocked.Increment(ref _transfers);
        Interlocked.Add(ref _bytes, length);
    }

    void SetChipSelect(bool high)
    {
        if (!high && !_selected) Interlocked.Increment(ref _selections);
        _selected = !high;
        Card?.ChipSelect.Write(high);
    }

    sealed class ChipSelectLine(SdSocket socket) : IOutputPin
    {
        public void Write(bool high) => socket.SetChipSelect(high);
    }

    // The switch of an empty socket is open: the pull-up holds the line high.
    sealed class NoCardSwitch : IInputPin
    {
        public bool Read() => true;
    }
}
