using System.Diagnostics;
using System.Text;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>A console UART for tests: what the test types is read by the board, what the board
/// writes is kept as text. Thread-safe (the board runs on its own thread).</summary>
public sealed class FakeSerialPort : ISerialPort
{
    readonly Queue<byte> _input = new();
    readonly StringBuilder _output = new();

    /// <summary>Everything the board wrote so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Types a line and Enter.</summary>
    public void TypeLine(string line)
    {
        lock (_input)
            foreach (byte b in Encoding.UTF8.GetBytes(line + "\r")) _input.Enqueue(b);
    }

    /// <summary>Types a command and returns what the board printed from then until its next prompt.</summary>
    public string Command(string line, TimeSpan? limit = null)
    {
        int start = Output.Length;
        TypeLine(line);
        // The board echoes the line, prints the output and a new prompt.
        string reply = WaitFor(text => text.Length > start + line.Length && text.IndexOf("atcp> ", start + line.Length, StringComparison.Ordinal) >= 0, limit);
        int end = reply.IndexOf("atcp> ", start + line.Length, StringComparison.Ordinal);
        return reply[start..end];
    }

    /// <summary>Waits until the output satisfies done; returns it.</summary>
    public string WaitFor(Func<string, bool> done, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        var max = limit ?? TimeSpan.FromSeconds(10);
        while (true)
        {
            string text = Output;
            if (done(text)) return text;
            if (watch.Elapsed > max) throw new TimeoutException("the console did not print what was expected within " + max + "; it printed:\n" + text);
            Thread.Sleep(2);
        }
    }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_input)
        {
            int n = 0;
            while (n < count && _input.Count > 0) buffer[offset + n++] = _input.Dequeue();
            return n;
        }
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_output) _output.Append(Encoding.UTF8.GetString(buffer, offset, count));
    }
}
