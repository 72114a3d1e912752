using System.Text;
using Atcp.Firmware.Console;
using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Tests.Console;

/// <summary>A UART loop for tests: what is typed, and what the board printed.</summary>
sealed class FakeSerialPort : ISerialPort
{
    readonly Queue<byte> _input = new();
    readonly MemoryStream _output = new();
    public void Type(string text) { foreach (var b in Encoding.UTF8.GetBytes(text)) _input.Enqueue(b); }
    public string Printed => Encoding.UTF8.GetString(_output.ToArray());
    public void ClearPrinted() => _output.SetLength(0);
    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _input.Count > 0) buffer[offset + n++] = _input.Dequeue();
        return n;
    }
    public void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);
}

sealed class EchoCommand : IConsoleCommand
{
    public string Name => "echo";
    public string Help => "<words>  prints the words";
    public void Run(string[] args, ConsoleOutput output) => output.Line(string.Join("|", args));
}

sealed class ThrowingCommand : IConsoleCommand
{
    public string Name => "boom";
    public string Help => "fails";
    public void Run(string[] args, ConsoleOutput output) => throw new InvalidOperationException("card gone");
}

public class SerialConsoleTests
{
    static (SerialConsole Console, FakeSerialPort Port) Make()
    {
        var port = new FakeSerialPort();
        var c = new SerialConsole(port);
        c.Register(new EchoCommand());
        c.Register(new ThrowingCommand());
        c.Start("atcp board test");
        port.ClearPrinted();
        return (c, port);
    }

    [Fact]
    public void Line_WithCrLf_RunsTheCommandOnceAndPromptsAgain()
    {
        var (c, port) = Make();
        port.Type("echo  a   b\r\n");
        c.Poll();
        Assert.Equal("echo  a   b\r\na|b\r\natcp> ", port.Printed);
    }

    [Fact]
    public void Backspace_EditsTheLine()
    {
        var (c, port) = Make();
        port.Type("echo abx\b\x7f" + "c\r");
        c.Poll();
        Assert.Contains("\r\nac\r\n", port.Printed);
    }

    [Fact]
    public void UnknownCommand_SaysSoAndPointsToHelp()
    {
        var (c, port) = Make();
        port.Type("frobnicate\n");
        c.Poll();
        Assert.Contains("unknown command 'frobnicate'; type 'help' for the list", port.Printed);
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        var (c, port) = Make();
        port.Type("help\r");
        c.Poll();
        Assert.Contains("echo", port.Printed);
        Assert.Contains("boom", port.Printed);
    }

    [Fact]
    public void FailingCommand_ReportsTheErrorAndTheConsoleKeepsWorking()
    {
        var (c, port) = Make();
        port.Type("boom\recho ok\r");
        c.Poll();
        Assert.Contains("error: boom failed: card gone", port.Printed);
        Assert.Contains("ok\r\n", port.Printed);
    }

    [Fact]
    public void OverlongLine_IsRefusedWithAMessage()
    {
        var (c, port) = Make();
        port.Type("echo " + new string('x', 200) + "\r");
        c.Poll();
        Assert.Contains("line longer than 120 characters", port.Printed);
        Assert.DoesNotContain("xxxxxxxxxx\r\nxxx", port.Printed);
    }

    [Fact]
    public void Warnings_AreEchoedLive_InfoIsNot()
    {
        var (c, port) = Make();
        var log = new BoardLog { Sink = c };
        log.Add(1234, LogLevel.Info, "stream 1 started");
        log.Add(2500, LogLevel.Warning, "SD CRC error, retrying");
        Assert.DoesNotContain("stream 1 started", port.Printed);
        Assert.Contains("[2.500s] WARN  SD CRC error, retrying", port.Printed);
        Assert.Equal(2, log.Count);
        Assert.Equal("[1.234s] INFO  stream 1 started", log.Format(0));
    }
}
