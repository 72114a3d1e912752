using Atcp.Firmware.Hal;

namespace Atcp.VirtualBoard.Serial;

/// <summary>The board's console UART on the process's standard input and output. A reader thread
/// moves whatever arrives on stdin into a queue, so <see cref="Read"/> never blocks (the firmware
/// polls it from its loop). When stdin is a terminal it is switched out of line mode with echo
/// off, because the firmware edits lines and echoes by itself, as over a serial line; signals
/// (Ctrl-C) stay on, and the terminal is restored on <see cref="Dispose"/>. The end of stdin (a
/// closed pipe, /dev/null) just means no more typing; the board keeps running.</summary>
public sealed class StdioSerialPort : ISerialPort, IDisposable
{
    readonly Stream _input;
    readonly Stream _output;
    readonly Queue<byte> _received = new();
    readonly Thread? _reader;
    readonly byte[]? _savedTerminal;
    volatile bool _outputBroken;

    /// <summary>Opens the process's stdin and stdout.</summary>
    public StdioSerialPort() : this(System.Console.OpenStandardInput(), System.Console.OpenStandardOutput(), configureTerminal: true) { }

    /// <summary>A port over any pair of streams (tests); configureTerminal touches fd 0 when it is a tty.</summary>
    public StdioSerialPort(Stream input, Stream output, bool configureTerminal)
    {
        _input = input;
        _output = output;
        if (configureTerminal) _savedTerminal = EnterCharacterMode();
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "console stdin" };
        _reader.Start();
    }

    /// <summary>True once stdin reached its end.</summary>
    public bool InputEnded { get; private set; }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_received)
        {
            int n = 0;
            while (n < count && _received.Count > 0) buffer[offset + n++] = _received.Dequeue();
            return n;
        }
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int count)
    {
        if (count <= 0 || _outputBroken) return;
        try
        {
            _output.Write(buffer, offset, count);
            _output.Flush();
        }
        catch (IOException)
        {
            _outputBroken = true; // stdout closed (a pipe whose reader left): the board runs on
        }
    }

    void ReadLoop()
    {
        var chunk = new byte[256];
        try
        {
            while (true)
            {
                int n = _input.Read(chunk, 0, chunk.Length);
                if (n <= 0) break;
                lock (_received)
                    for (int i = 0; i < n; i++) _received.Enqueue(chunk[i]);
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        InputEnded = true;
    }

    static byte[]? EnterCharacterMode()
    {
        if (Libc.isatty(0) != 1) return null;
        var saved = new byte[Libc.TermiosSize];
        if (Libc.tcgetattr(0, saved) != 0) return null;
        var raw = (byte[])saved.Clone();
        uint local = BitConverter.ToUInt32(raw, Libc.LocalFlagsOffset);
        local &= ~(uint)(Libc.ICanon | Libc.Echo | Libc.EchoNl);
        BitConverter.TryWriteBytes(raw.AsSpan(Libc.LocalFlagsOffset), local);
        raw[Libc.ControlCharsOffset + Libc.VMin] = 1;
        raw[Libc.ControlCharsOffset + Libc.VTime] = 0;
        return Libc.tcsetattr(0, Libc.TcsaNow, raw) == 0 ? saved : null;
    }

    /// <summary>Restores the terminal. The reader thread is a background thread blocked in read(2);
    /// it ends with the process.</summary>
    public void Dispose()
    {
        if (_savedTerminal != null) Libc.tcsetattr(0, Libc.TcsaNow, _savedTerminal);
    }
}
