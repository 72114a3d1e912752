namespace Atcp.Firmware.Console
{
    /// <summary>Severity of a log line.</summary>
    public enum LogLevel
    {
        /// <summary>Routine events (stream started, card mounted).</summary>
        Info = 0,
        /// <summary>Something went wrong but the board carries on (frame dropped, CRC retry).</summary>
        Warning = 1,
        /// <summary>A component failed (card missing, NIC not answering).</summary>
        Error = 2,
    }

    /// <summary>The board's log: the most recent lines, shown by the console's `log` command. Lines
    /// are written on events, never per packet, so building their strings is affordable; what is
    /// kept is bounded in bytes, not lines: the text lives in one fixed ring of UTF-8 bytes
    /// (<see cref="TextBytes"/>) and the oldest lines make room for new ones, so a burst of long
    /// lines cannot grow the heap (32 strings of 100 characters would take 6.5 KB on the host).</summary>
    public sealed class BoardLog
    {
        /// <summary>Most lines kept.</summary>
        public const int Capacity = 32;
        /// <summary>Bytes of line text kept (about 25 lines of 80 characters).</summary>
        public const int TextBytes = 2048;
        /// <summary>Longest line kept, in UTF-8 bytes; longer lines are cut (at a character boundary).</summary>
        public const int MaxLineBytes = 240;

        readonly byte[] _text = new byte[TextBytes];
        readonly int[] _start = new int[Capacity];
        readonly int[] _length = new int[Capacity];
        readonly long[] _times = new long[Capacity];
        readonly byte[] _levels = new byte[Capacity];
        int _first;      // slot of the oldest line held
        int _count;      // lines held
        int _textEnd;    // where the next line's text goes in the ring
        int _textHeld;   // text bytes held by the lines
        long _written;

        /// <summary>Lines written since boot (older ones are overwritten).</summary>
        public long Written { get { return _written; } }

        /// <summary>Called for every new line (the console echoes warnings and errors live).</summary>
        public ILogSink Sink;

        /// <summary>Adds a line at time nowMs.</summary>
        public void Add(long nowMs, LogLevel level, string text)
        {
            byte[] bytes = Atcp.Wire.Utf8.GetBytes(text);
            int length = bytes.Length;
            if (length > MaxLineBytes)
            {
                length = MaxLineBytes;
                while (length > 0 && (bytes[length] & 0xC0) == 0x80) length--; // not inside a character
            }
            // Forget the oldest lines until the new one fits, by count and by bytes.
            while (_count > 0 && (_count == Capacity || _textHeld + length > TextBytes))
            {
                _textHeld -= _length[_first];
                _first = (_first + 1) % Capacity;
                _count--;
            }
            int slot = (_first + _count) % Capacity;
            _start[slot] = _textEnd;
            _length[slot] = length;
            _times[slot] = nowMs;
            _levels[slot] = (byte)level;
            int head = TextBytes - _textEnd;
            if (head > length) head = length;
            System.Array.Copy(bytes, 0, _text, _textEnd, head);
            System.Array.Copy(bytes, head, _text, 0, length - head);
            _textEnd = (_textEnd + length) % TextBytes;
            _textHeld += length;
            _count++;
            _written++;
            if (Sink != null) Sink.OnLog(nowMs, level, text);
        }

        /// <summary>Number of lines held.</summary>
        public int Count { get { return _count; } }

        /// <summary>The i-th held line, oldest first, formatted for people: "[  12.345s] WARN text".</summary>
        public string Format(int i)
        {
            int slot = (_first + i) % Capacity;
            int length = _length[slot];
            byte[] line = new byte[length];
            int head = TextBytes - _start[slot];
            if (head > length) head = length;
            System.Array.Copy(_text, _start[slot], line, 0, head);
            System.Array.Copy(_text, 0, line, head, length - head);
            return Format(_times[slot], (LogLevel)_levels[slot], Atcp.Wire.Utf8.GetString(line, 0, length));
        }

        /// <summary>Formats one line for people.</summary>
        public static string Format(long nowMs, LogLevel level, string text)
        {
            return "[" + Text.Seconds(nowMs) + "] " + LevelName(level) + " " + text;
        }

        /// <summary>INFO, WARN or ERROR (enum names are numbers on nanoFramework).</summary>
        public static string LevelName(LogLevel level)
        {
            if (level == LogLevel.Error) return "ERROR";
            if (level == LogLevel.Warning) return "WARN ";
            return "INFO ";
        }
    }

    /// <summary>Receives log lines as they are written.</summary>
    public interface ILogSink
    {
        /// <summary>One new line.</summary>
        void OnLog(long nowMs, LogLevel level, string text);
    }
}
