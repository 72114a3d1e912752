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

    /// <summary>The board's log: a fixed ring of the most recent lines, shown by the console's
    /// `log` command. Lines are written on events, never per packet, so building their strings is
    /// affordable; the ring itself never grows.</summary>
    public sealed class BoardLog
    {
        /// <summary>Lines kept.</summary>
        public const int Capacity = 32;

        readonly string[] _lines = new string[Capacity];
        readonly long[] _times = new long[Capacity];
        readonly LogLevel[] _levels = new LogLevel[Capacity];
        int _next;
        long _written;

        /// <summary>Lines written since boot (older ones are overwritten).</summary>
        public long Written { get { return _written; } }

        /// <summary>Called for every new line (the console echoes warnings and errors live).</summary>
        public ILogSink Sink;

        /// <summary>Adds a line at time nowMs.</summary>
        public void Add(long nowMs, LogLevel level, string text)
        {
            _lines[_next] = text;
            _times[_next] = nowMs;
            _levels[_next] = level;
            _next = (_next + 1) % Capacity;
            _written++;
            if (Sink != null) Sink.OnLog(nowMs, level, text);
        }

        /// <summary>Number of lines held.</summary>
        public int Count { get { return _written < Capacity ? (int)_written : Capacity; } }

        /// <summary>The i-th held line, oldest first, formatted for people: "[  12.345s] WARN text".</summary>
        public string Format(int i)
        {
            int index = (int)((_written - Count + i) % Capacity);
            return Format(_times[index], _levels[index], _lines[index]);
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
