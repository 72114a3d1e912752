using Atcp.Firmware.Console;

namespace Atcp.Firmware.Tests.Console;

/// <summary>The board log keeps the most recent lines within a fixed number of lines and of text
/// bytes, oldest first, cutting over-long lines at a character boundary.</summary>
public class BoardLogTests
{
    static string Text(BoardLog log, int i)
    {
        string line = log.Format(i);
        return line[(line.IndexOf("] ", StringComparison.Ordinal) + 8)..]; // after "[time] LEVEL "
    }

    [Fact]
    public void Lines_AreShownOldestFirst_WithTimeAndLevel()
    {
        var log = new BoardLog();
        log.Add(1500, LogLevel.Info, "card mounted");
        log.Add(2500, LogLevel.Warning, "frame dropped");
        Assert.Equal(2, log.Count);
        Assert.Equal(BoardLog.Format(1500, LogLevel.Info, "card mounted"), log.Format(0));
        Assert.Equal(BoardLog.Format(2500, LogLevel.Warning, "frame dropped"), log.Format(1));
    }

    [Fact]
    public void ManyShortLines_KeepTheLastCapacityLines()
    {
        var log = new BoardLog();
        for (int i = 0; i < BoardLog.Capacity + 10; i++) log.Add(i, LogLevel.Info, "line " + i);
        Assert.Equal(BoardLog.Capacity, log.Count);
        Assert.Equal(BoardLog.Capacity + 10, log.Written);
        Assert.Equal("line 10", Text(log, 0));
        Assert.Equal("line " + (BoardLog.Capacity + 9), Text(log, BoardLog.Capacity - 1));
    }

    [Fact]
    public void LongLines_KeepOnlyWhatFitsTheTextRing_AcrossItsWrap()
    {
        var log = new BoardLog();
        string Line(int i) => i.ToString("D3") + new string('x', 197); // 200 bytes
        for (int i = 0; i < 25; i++) log.Add(i, LogLevel.Error, Line(i));
        int fit = BoardLog.TextBytes / 200;
        Assert.Equal(fit, log.Count);
        for (int k = 0; k < fit; k++) Assert.Equal(Line(25 - fit + k), Text(log, k));
    }

    [Fact]
    public void OverlongLine_IsCutAtACharacterBoundary()
    {
        var log = new BoardLog();
        string line = new string('é', 200); // 400 UTF-8 bytes
        log.Add(0, LogLevel.Info, line);
        string kept = Text(log, 0);
        Assert.Equal(new string('é', BoardLog.MaxLineBytes / 2), kept);
    }

    [Fact]
    public void Sink_GetsEveryLineWhole()
    {
        var log = new BoardLog();
        var sink = new Recorder();
        log.Sink = sink;
        string longLine = new string('z', 500);
        log.Add(7, LogLevel.Warning, longLine);
        Assert.Equal(longLine, sink.Last);
    }

    sealed class Recorder : ILogSink
    {
        public string? Last;
        public void OnLog(long nowMs, LogLevel level, string text) => Last = text;
    }
}
