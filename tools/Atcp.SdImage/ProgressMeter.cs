using System.Diagnostics;
using System.Globalization;

namespace Atcp.SdImage;

/// <summary>Progress of a long write on stderr: a redrawn bar (bytes written of total, rate, ETA)
/// when drawing is on, and one final line in every case.</summary>
public sealed class ProgressMeter
{
    const int BarWidth = 24;
    static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    readonly TextWriter _error;
    readonly long _total;
    readonly bool _draw;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    TimeSpan? _lastDraw;
    int _lastWidth;

    /// <summary>A meter for total bytes; draw turns the bar on.</summary>
    public ProgressMeter(TextWriter error, long total, bool draw)
    {
        _error = error;
        _total = total;
        _draw = draw;
    }

    /// <summary>Bytes done so far.</summary>
    public long Done { get; private set; }

    /// <summary>Time since the meter started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Adds bytes done; redraws at most five times a second.</summary>
    public void Add(long bytes)
    {
        Done += bytes;
        if (!_draw) return;
        var now = _clock.Elapsed;
        if (_lastDraw is TimeSpan last && now - last < RedrawInterval) return;
        _lastDraw = now;
        Draw(Line(now));
    }

    /// <summary>Ends the bar and prints the final line, e.g. "wrote 20.0 MiB in 0.4 s (50.0 MiB/s)".</summary>
    public void Finish(string what)
    {
        var now = _clock.Elapsed;
        if (_draw) { Draw(Line(now)); _error.WriteLine(); }
        _error.WriteLine($"{what} {ByteSize.Format(Done)} in {Seconds(now)} ({Rate(now)})");
        _error.Flush();
    }

    string Line(TimeSpan now)
    {
        double fraction = _total <= 0 ? 1 : Math.Min(1, (double)Done / _total);
        int filled = (int)(fraction * BarWidth);
        string bar = new string('#', filled) + new string('.', BarWidth - filled);
        string eta = "--:--";
        if (Done > 0 && now.TotalSeconds > 0.05)
        {
            double left = (_total - Done) / (Done / now.TotalSeconds);
            eta = Clock(TimeSpan.FromSeconds(Math.Max(0, left)));
        }
        return $"[{bar}] {fraction * 100,3:0}%  {ByteSize.Format(Done)} / {ByteSize.Format(_total)}  {Rate(now)}  ETA {eta}";
    }

    void Draw(string line)
    {
        // Pad over what the previous, possibly longer, line left on screen.
        _error.Write("\r" + line.PadRight(_lastWidth));
        _lastWidth = line.Length;
        _error.Flush();
    }

    string Rate(TimeSpan now) =>
        now.TotalSeconds <= 0 ? "-- MiB/s" : ByteSize.Format((long)(Done / now.TotalSeconds)) + "/s";

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
}
