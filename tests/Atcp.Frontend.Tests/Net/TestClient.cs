using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>A scripted TCP client: builds its segments with <see cref="PacketBuilder"/>, keeps its
/// own sequence (Seq) and the server sequence it acknowledges (Ack).</summary>
public sealed class TestClient
{
    readonly NetHarness _h;

    public uint Ip { get; }
    public byte[] Mac { get; }
    public ushort Port { get; }
    public uint Isn { get; set; } = 5000;
    /// <summary>Next sequence number the client sends.</summary>
    public uint Seq { get; set; }
    /// <summary>The ACK number the client sends (next server byte it expects).</summary>
    public uint Ack { get; set; }
    /// <summary>The server's ISN, from the SYN-ACK.</summary>
    public uint ServerIsn { get; set; }
    /// <summary>The window field the client advertises.</summary>
    public ushort Window { get; set; } = 65535;

    public TestClient(NetHarness harness, uint ip, byte[] mac, ushort port)
    {
        _h = harness;
        Ip = ip;
        Mac = mac;
        Port = port;
        Seq = Isn;
    }

    public TcpConnection? Connection => _h.Stack.Tcp.Find(Ip, Port, NetHarness.Port);

    /// <summary>A frame from this client to the service.</summary>
    public byte[] Frame(byte flags, uint seq, uint ack, string payload = "", Action<TcpRepr>? configure = null, ushort? window = null) =>
        new PacketBuilder().Ethernet(Mac, NetHarness.ServiceMac).IPv4(Ip, NetHarness.ServiceIp)
            .Tcp(Port, NetHarness.Port, seq, ack, flags, t => { t.Window = window ?? Window; configure?.Invoke(t); })
            .Payload(payload).Build();

    /// <summary>Sends a SYN (MSS 1460, window scale 7, SACK-permitted unless configured otherwise).</summary>
    public void Syn(Action<TcpRepr>? options = null)
    {
        Seq = Isn;
        _h.Feed(Frame(TcpFlags.Syn, Isn, 0, configure: options ?? DefaultSynOptions));
        Seq = Isn + 1;
    }

    public static void DefaultSynOptions(TcpRepr t)
    {
        t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460;
        t.HasWindowScale = true; t.WindowScale = 7;
        t.SackPermitted = true;
    }

    /// <summary>SYN, expects the SYN-ACK, sends the ACK. Returns the connection.</summary>
    public TcpConnection Connect(Action<TcpRepr>? options = null)
    {
        Syn(options);
        var synAck = _h.Segments().Single();
        Assert.True(synAck.Has(TcpFlags.Syn) && synAck.Has(TcpFlags.Ack), "expected SYN-ACK, got " + synAck);
        ServerIsn = synAck.Tcp!.SequenceNumber;
        Ack = ServerIsn + 1;
        SendAck();
        var c = Connection;
        Assert.NotNull(c);
        Assert.Equal(TcpState.Established, c!.State);
        return c;
    }

    /// <summary>Connects, then the server closes first (its FIN sent, FIN-WAIT-1); Ack already
    /// covers that FIN, so the client's next segment acknowledges it.</summary>
    public TcpConnection ConnectThenServerCloses()
    {
        var c = Connect();
        c.Close(_h.Now);
        Ack = ServerSeq(2);
        return c;
    }

    /// <summary>A pure ACK with the client's current numbers (or the given ACK number).</summary>
    public void SendAck(uint? ack = null, Action<TcpRepr>? configure = null, ushort? window = null) =>
        _h.Feed(Frame(TcpFlags.Ack, Seq, ack ?? Ack, configure: configure, window: window));

    /// <summary>Data at the current sequence (PSH|ACK); Seq moves on.</summary>
    public void Send(string text)
    {
        _h.Feed(Frame(TcpFlags.Ack | TcpFlags.Psh, Seq, Ack, text));
        Seq += (uint)System.Text.Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>Data at a given sequence (for out-of-order and duplicate cases); Seq unchanged.</summary>
    public void SendAt(uint seq, string text) => _h.Feed(Frame(TcpFlags.Ack | TcpFlags.Psh, seq, Ack, text));

    /// <summary>FIN|ACK; Seq moves on by one.</summary>
    public void SendFin()
    {
        _h.Feed(Frame(TcpFlags.Fin | TcpFlags.Ack, Seq, Ack));
        Seq++;
    }

    /// <summary>RST at a sequence number (default: the exact next one).</summary>
    public void SendRst(uint? seq = null) => _h.Feed(Frame(TcpFlags.Rst, seq ?? Seq, 0));

    /// <summary>Server sequence number at offset n of the reply stream (1 = first byte after the SYN).</summary>
    public uint ServerSeq(long offset) => unchecked(ServerIsn + (uint)offset);
}
