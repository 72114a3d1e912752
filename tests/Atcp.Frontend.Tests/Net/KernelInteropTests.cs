using System.Diagnostics;
using System.Text;
using Atcp.Frontend.Net;
using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>Real-kernel interop: the stack serves 198.18.0.1 on a TAP whose other side is a network
/// namespace with Linux's own TCP/IP at 198.18.0.2; curl and ping run in that namespace. Needs
/// root and /dev/net/tun (as CI has); the namespace is deleted afterwards.</summary>
public class KernelInteropTests
{
    static readonly uint ServiceIp = IPv4Address.FromOctets(198, 18, 0, 1);
    static readonly byte[] ServiceMac = [0x02, 0x00, 0x00, 0xA7, 0xC9, 0x01];
    static readonly byte[] BoardMac = [0x02, 0x00, 0x00, 0xA7, 0xC9, 0x0B];

    /// <summary>Drives the stack from one thread: frames from the TAP, timers, queued actions.</summary>
    sealed class Pump : IDisposable
    {
        readonly TapNamespace _tap;
        readonly Thread _thread;
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly List<(long Due, Action Action)> _later = new();
        volatile bool _stop;
        public NetStack Stack { get; }
        public long Now => _clock.ElapsedMilliseconds;

        public Pump(TapNamespace tap, ITcpEvents events)
        {
            _tap = tap;
            Stack = new NetStack(new NetStackOptions
            {
                Address = ServiceIp, PrefixLength = 24, MacAddress = ServiceMac,
            }, tap, events);
            Stack.Tcp.Listen(80);
            Stack.Start(Now);
            _thread = new Thread(Run) { IsBackground = true, Name = "stack pump" };
            _thread.Start();
        }

        /// <summary>Runs action on the pump thread after delayMs (called from the pump thread).</summary>
        public void Later(long delayMs, Action action) => _later.Add((Now + delayMs, action));

        void Run()
        {
            var buffer = new byte[65536];
            try
            {
                while (!_stop)
                {
                    int n = _tap.Receive(buffer, 5);
                    if (n > 0) Stack.OnFrame(buffer, n, Now);
                    foreach (var due in _later.Where(l => l.Due <= Now).ToList())
                    {
                        _later.Remove(due);
                        due.Action();
                    }
                    Stack.Poll(Now);
                }
            }
            catch (Exception e)
            {
                _error = e; // reported by Dispose: an exception here must fail the test, not the test host
            }
        }

        Exception? _error;

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            if (_error != null) throw new InvalidOperationException("the pump failed", _error);
        }
    }

    /// <summary>Collects each request until its blank line, then lets a handler answer it.</summary>
    sealed class RequestHandler(Action<TcpConnection, string, long> answer) : ITcpEvents
    {
        public List<CloseReason> Closed { get; } = new();

        public void OnConnected(TcpConnection connection, long now) => connection.UserState = new StringBuilder();
        public void OnData(TcpConnection connection, long now)
        {
            var text = (StringBuilder)connection.UserState!;
            var buffer = new byte[connection.Available];
            connection.Read(buffer, now);
            text.Append(Encoding.ASCII.GetString(buffer));
            if (!text.ToString().Contains("\r\n\r\n")) return;
            string request = text.ToString();
            text.Clear();
            answer(connection, request, now);
        }
        public void OnPeerClosed(TcpConnection connection, long now) => connection.Close(now);
        public void OnClosed(TcpConnection connection, CloseReason reason, long now) { lock (Closed) Closed.Add(reason); }
        public void OnPathMtuReduced(TcpConnection connection, int mtu, IDelegatedReplyOwner? owner, long now) { }
    }

    /// <summary>A stand-in for a storage board: sends the reply bytes as TCP segments carrying the
    /// front-end's address, port and sequence numbers, from its own MAC, within the client's
    /// window, moving on as relayed ACKs arrive.</summary>
    sealed class FakeBoard(IFrameOutput link, byte[] body) : IDelegatedReplyOwner
    {
        TcpConnection? _connection;
        DelegatedReplyStart _start;
        long _sent, _rightEdge;
        uint _ackNumber;
        ushort _window;
        readonly byte[] _clientMac = new byte[6];
        readonly TcpRepr _tcp = new();
        readonly IPv4Repr _ip = new();
        public bool Done { get; private set; }
        public int HeldAcksSeen { get; private set; }

        public void Start(TcpConnection connection, DelegatedReplyStart start, long now)
        {
            _connection = connection;
            _start = start;
            _ackNumber = start.AckNumber;
            _window = start.WindowField;
            _rightEdge = start.ClientWindowFromStart;
            Assert.NotNull(start.NextHopMac);
            start.NextHopMac.CopyTo(_clientMac, 0);
            SendWhatFits();
        }

        public void OnClientAck(in DelegatedAck ack, long now)
        {
            if (ack.WasHeld) HeldAcksSeen++;
            _ackNumber = ack.ReceiveNext;
            _window = ack.OurWindowField;
            _rightEdge = Math.Max(_rightEdge, ack.AcknowledgedInRange + ack.WindowBytes);
            if (ack.RangeFullyAcknowledged && !Done)
            {
                Done = true;
                _connection!.CompleteDelegatedReply(_start.Sequence, now);
                return;
            }
            SendWhatFits();
        }

        public void OnCancelled(TcpConnection connection, uint replyStart, CloseReason reason, long now) => Done = true;

        void SendWhatFits()
        {
            var frame = new byte[1514];
            while (_sent < body.Length && _sent < _rightEdge)
            {
                int length = (int)Math.Min(Math.Min(_start.Mss, body.Length - _sent), _rightEdge - _sent);
                _tcp.Reset();
                _tcp.SourcePort = _connection!.LocalPort;
                _tcp.DestinationPort = _connection.ClientPort;
                _tcp.SequenceNumber = _start.Sequence + (uint)_sent;
                _tcp.AcknowledgmentNumber = _ackNumber;
                _tcp.Flags = (byte)(TcpFlags.Ack | (_sent + length == body.Length ? TcpFlags.Psh : 0));
                _tcp.Window = _window;
                _ip.Source = ServiceIp;
                _ip.Destination = _connection.ClientAddress;
                _ip.Protocol = IpProtocol.Tcp;
                _ip.DontFragment = true;
                _ip.PayloadLength = _tcp.Length + length;
                EthernetHeader.SetDestination(frame, 0, _clientMac, 0);
                EthernetHeader.SetSource(frame, 0, BoardMac, 0);
                EthernetHeader.SetEtherType(frame, 0, EtherType.IPv4);
                _ip.Emit(frame, 14);
                _tcp.Emit(frame, 34);
                body.AsSpan((int)_sent, length).CopyTo(frame.AsSpan(34 + _tcp.Length));
                TcpHeader.FillChecksum(ServiceIp, _connection.ClientAddress, frame, 34, _tcp.Length + length);
                link.SendFrame(frame.AsSpan(0, 34 + _tcp.Length + length));
                _sent += length;
            }
        }
    }

    static string Body(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; text.Length < length; i++) text.Append("line ").Append(i).Append(" of the reply\n");
        return text.ToString(0, length);
    }

    [Fact]
    public void Curl_GetsAFrontEndMadeReply()
    {
        using var tap = new TapNamespace("198.18.0.2/24");
        string body = Body(100_000);
        var handler = new RequestHandler((c, request, now) =>
        {
            string head = "HTTP/1.1 200 OK\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n";
            byte[] reply = Encoding.ASCII.GetBytes(head + body);
            Assert.Equal(reply.Length, c.Send(reply, now));
            c.Close(now);
        });
        using var pump = new Pump(tap, handler);

        string output = tap.InNamespace("curl", "-s", "-m", "20", "http://198.18.0.1/hello");
        Assert.Equal(body, output);
    }

    [Fact]
    public void Curl_GetsADelegatedReplyFromABoardThatStartsBeforeItsSizeIsKnown()
    {
        using var tap = new TapNamespace("198.18.0.2/24");
        string body = Body(300_000);
        byte[] reply = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: " + body.Length + "\r\nConnection: close\r\n\r\n" + body);
        Pump? pump = null;
        FakeBoard? board = null;
        var handler = new RequestHandler((c, request, now) =>
        {
            board = new FakeBoard(tap, reply);
            Assert.True(c.TryBeginDelegatedReply(board, now, out var start));
            board.Start(c, start, now);
            c.Close(now); // FIN once the board reports DONE
            // The size report reaches the front-end only after the client has acknowledged some bytes.
            pump!.Later(50, () => Assert.True(c.SetDelegatedSize(start.Sequence, reply.Length, pump.Now)));
        });
        pump = new Pump(tap, handler);
        using (pump)
        {
            string output = tap.InNamespace("curl", "-s", "-m", "20", "http://198.18.0.1/big");
            Assert.Equal(body, output);
            Thread.Sleep(200);
        }
        Assert.True(board!.Done);
        Assert.True(board.HeldAcksSeen > 0, "the client's early ACKs were held and delivered");
        Assert.True(pump.Stack.Counters[NetCounter.TcpAcksRelayed] > 10);
        Assert.Equal(0, pump.Stack.Counters[NetCounter.TcpAckBeyondSent]);
    }

    [Fact]
    public void Ping_FromTheKernel_IsAnswered()
    {
        using var tap = new TapNamespace("198.18.0.2/24");
        using var pump = new Pump(tap, new RequestHandler((c, r, n) => c.Abort(n)));
        var status = tap.Inside(() =>
        {
            using var ping = new System.Net.NetworkInformation.Ping();
            return ping.Send(System.Net.IPAddress.Parse("198.18.0.1"), 5000, Encoding.ASCII.GetBytes("echo me")).Status;
        });
        Assert.Equal(System.Net.NetworkInformation.IPStatus.Success, status);
        Assert.True(pump.Stack.Counters[NetCounter.IcmpEchoReplied] >= 1);
    }

    [Fact]
    public void TcpClient_KeepAlive_FrontEndReplyThenDelegatedReplyOnOneConnection()
    {
        using var tap = new TapNamespace("198.18.0.2/24");
        string body = Body(50_000);
        byte[] second = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: " + body.Length + "\r\n\r\n" + body);
        byte[] first = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        Pump? pump = null;
        int requests = 0;
        var handler = new RequestHandler((c, request, now) =>
        {
            if (++requests == 1) { c.Send(first, now); return; }
            var board = new FakeBoard(tap, second);
            Assert.True(c.TryBeginDelegatedReply(board, now, out var start));
            Assert.True(c.SetDelegatedSize(start.Sequence, second.Length, now));
            board.Start(c, start, now);
        });
        pump = new Pump(tap, handler);
        using (pump)
        {
            string received = tap.Inside(() =>
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.ReceiveTimeout = 10_000;
                client.Connect("198.18.0.1", 80);
                var stream = client.GetStream();
                stream.Write("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"u8);
                var all = new MemoryStream();
                var buffer = new byte[65536];
                while (all.Length < first.Length) all.Write(buffer, 0, stream.Read(buffer));
                stream.Write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n"u8);
                while (all.Length < first.Length + second.Length) all.Write(buffer, 0, stream.Read(buffer));
                return Encoding.ASCII.GetString(all.ToArray());
            });
            Assert.Equal(Encoding.ASCII.GetString(first) + Encoding.ASCII.GetString(second), received);
        }
    }
}
