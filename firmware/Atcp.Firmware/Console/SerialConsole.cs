using Atcp.Firmware.Hal;

namespace Atcp.Firmware.Console
{
    /// <summary>One console command.</summary>
    public interface IConsoleCommand
    {
        /// <summary>The word people type.</summary>
        string Name { get; }

        /// <summary>One line for `help`: arguments and what it does.</summary>
        string Help { get; }

        /// <summary>Runs with the words after the name; writes its answer to output.</summary>
        void Run(string[] args, ConsoleOutput output);
    }

    /// <summary>Text out to the serial port, CRLF line endings for terminals (picocom, screen).</summary>
    public sealed class ConsoleOutput
    {
        readonly ISerialPort _port;

        /// <summary>Writes to port.</summary>
        public ConsoleOutput(ISerialPort port) { _port = port; }

        /// <summary>Writes text without a line ending.</summary>
        public void Write(string text)
        {
            byte[] bytes = Atcp.Wire.Utf8.GetBytes(text);
            _port.Write(bytes, 0, bytes.Length);
        }

        /// <summary>Writes a line.</summary>
        public void Line(string text) { Write(text + "\r\n"); }

        /// <summary>Writes "name: value" aligned for reading.</summary>
        public void Field(string name, string value) { Line("  " + Text.Left(name + ":", 18) + value); }
    }

    /// <summary>The diagnostic console on a UART: line editing (backspace, CR or LF ends a line),
    /// echo, a prompt, and dispatch to registered commands. Polled from the main loop; reads what is
    /// waiting and returns, so it never stalls streaming.</summary>
    public sealed class SerialConsole : ILogSink
    {
        /// <summary>Longest input line; longer input is refused with a message.</summary>
        public const int MaxLine = 120;
        /// <summary>Most commands that can be registered (the board registers 9).</summary>
        public const int MaxCommands = 16;
        const string Prompt = "atcp> ";

        readonly ISerialPort _port;
        readonly ConsoleOutput _out;
        readonly IConsoleCommand[] _commands = new IConsoleCommand[MaxCommands];
        int _commandCount;
        readonly byte[] _line = new byte[MaxLine];
        int _lineLength;
        bool _overflow;
        bool _lastWasCr;
        readonly byte[] _rx = new byte[64];

        /// <summary>Live log lines of at least this level are echoed to the console.</summary>
        public LogLevel EchoLevel = LogLevel.Warning;

        /// <summary>A console on port.</summary>
        public SerialConsole(ISerialPort port)
        {
            _port = port;
            _out = new ConsoleOutput(port);
        }

        /// <summary>The output side, for commands and banners.</summary>
        public ConsoleOutput Output { get { return _out; } }

        /// <summary>Adds a command; false when the table is full.</summary>
        public bool Register(IConsoleCommand command)
        {
            if (_commandCount == MaxCommands) return false;
            _commands[_commandCount++] = command;
            return true;
        }

        /// <summary>Prints the banner and the first prompt.</summary>
        public void Start(string banner)
        {
            _out.Line(banner);
            _out.Line("type 'help' for commands");
            _out.Write(Prompt);
        }

        /// <summary>Handles whatever input is waiting.</summary>
        public void Poll()
        {
            int n;
            while ((n = _port.Read(_rx, 0, _rx.Length)) > 0)
                for (int i = 0; i < n; i++) OnByte(_rx[i]);
        }

        void OnByte(byte b)
        {
            if (b == (byte)'\n' && _lastWasCr) { _lastWasCr = false; return; } // CRLF counts once
            _lastWasCr = b == (byte)'\r';
            if (b == (byte)'\r' || b == (byte)'\n')
            {
                _out.Write("\r\n");
                if (_overflow) _out.Line("error: line longer than " + MaxLine.ToString() + " characters, ignored");
                else if (_lineLength > 0) Execute(Atcp.Wire.Utf8.GetString(_line, 0, _lineLength));
                _lineLength = 0;
                _overflow = false;
                _out.Write(Prompt);
                return;
            }
            if (b == 8 || b == 127) // backspace / delete
            {
                if (_lineLength > 0) { _lineLength--; _out.Write("\b \b"); }
                return;
            }
            if (b == 3) { _lineLength = 0; _overflow = false; _out.Write("^C\r\n" + Prompt); return; }
            if (b < 32) return; // other control characters are ignored
            if (_lineLength == MaxLine) { _overflow = true; return; }
            _line[_lineLength++] = b;
            _port.Write(_line, _lineLength - 1, 1);
        }

        /// <summary>Runs one command line (also used by tests and the emulator's scripted input).</summary>
        public void Execute(string line)
        {
            string[] words = Split(line);
            if (words.Length == 0) return;
            string name = words[0].ToLower();
            string[] args = new string[words.Length - 1];
            System.Array.Copy(words, 1, args, 0, args.Length);
            if (name == "help" || name == "?")
            {
                _out.Line("commands:");
                for (int i = 0; i < _commandCount; i++) _out.Line("  " + Text.Left(_commands[i].Name, 8) + " " + _commands[i].Help);
                _out.Line("  " + Text.Left("help", 8) + " this list");
                return;
            }
            for (int i = 0; i < _commandCount; i++)
            {
                if (_commands[i].Name == name)
                {
                    try { _commands[i].Run(args, _out); }
                    catch (System.Exception e) { _out.Line("error: " + name + " failed: " + e.Message); }
                    return;
                }
            }
            _out.Line("unknown command '" + name + "'; type 'help' for the list");
        }

        /// <summary>Echoes warnings and errors as they happen.</summary>
        public void OnLog(long nowMs, LogLevel level, string text)
        {
            if (level < EchoLevel) return;
            _out.Write("\r\n" + BoardLog.Format(nowMs, level, text) + "\r\n" + Prompt);
            if (_lineLength > 0) _port.Write(_line, 0, _lineLength);
        }

        static string[] Split(string line)
        {
            int count = 0;
            bool inWord = false;
            for (int i = 0; i < line.Length; i++)
            {
                bool space = line[i] == ' ' || line[i] == '\t';
                if (!space && !inWord) count++;
                inWord = !space;
            }
            string[] words = new string[count];
            int w = 0, start = -1;
            for (int i = 0; i <= line.Length; i++)
            {
                bool space = i == line.Length || line[i] == ' ' || line[i] == '\t';
                if (!space && start < 0) start = i;
                else if (space && start >= 0) { words[w++] = line.Substring(start, i - start); start = -1; }
            }
            return words;
        }
    }
}
