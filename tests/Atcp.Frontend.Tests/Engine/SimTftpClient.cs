using System.Text;
using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Udp;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>A small TFTP client (RFC 1350, with RFC 2348 blksize and RFC 7440 windowsize) on the
/// simulated switch: sends a RRQ (or WRQ), takes the OACK, keeps in-order DATA, acknowledges each
/// window, at a gap, or on its own timeout, and stops at the short final block or an ERROR.</summary>
sealed class SimTftpClient
{
    readonly SimulatedCluster _cluster;
    public readonly uint Ip;
    public readonly ushort Port;
    public readonly byte[] Mac;
    readonly List<byte> _received = new();
    readonly int _timeoutMs;
    byte[] _request = [];
    ushort _serverPort;
    int _blockSize = 512, _window = 1;
    uint _expected = 1; // next block wanted (unwrapped)
    int _sinceAck;
    long _retryAt = long.MaxValue;
    public bool Done;
    public int? ErrorCode;
    public string? ErrorMessage;
    public int ChecksumErrors;
    public readonly Dictionary<string, long> DataBytesFromMac = new();
    public int AcksSent;
    /// <summary>Behave like atftp 0.8: a block out of order gets one "extra ACK", then blocks out of
    /// order are ignored until an in-order block or the client's timer, which every datagram
    /// received restarts.</summary>
    public bool AtftpStyle;
    /// <summary>Send the timeout option (RFC 2349) with the request.</summary>
    public bool OfferTimeout = true;
    int _extraAcks;

    public SimTftpClient(SimulatedCluster cluster, uint ip, ushort port, int timeoutMs = 200)
    {
        _cluster = cluster;
        Ip = ip;
        Port = port;
        _timeoutMs = timeoutMs;
        Mac = [0x02, 0x11, 0x22, 0x33, 0x55, (byte)ip];
    }

    public byte[] Received => _received.ToArray();
    public int NegotiatedBlockSize => _blockSize;
    public int NegotiatedWindow => _window;

    /// <summary>Asks for name; blksize/windowsize null leave the option out.</summary>
    public void Get(string name, int? blksize = null, int? windowsize = null, bool write = false)
    {
        var b = new List<byte> { 0, (byte)(write ? 2 : 1) };
        void Str(string s) { b.AddRange(Encoding.UTF8.GetBytes(s)); b.Add(0); }
        Str(name);
        Str("octet");
        if (blksize is int bs) { Str("blksize"); Str(bs.ToString()); }
        if (windowsize is int ws) { Str("windowsize"); Str(ws.ToString()); }
        if (OfferTimeout) { Str("timeout"); Str(Math.Max(1, _timeoutMs / 1000).ToString()); }
        _request = b.ToArray();
        Send(69, _request);
        _retryAt = _cluster.Now + _timeoutMs;
    }

    void Send(ushort dstPort, byte[] payload)
    {
        var f = new PacketBuilder().Ethernet(Mac, SimulatedCluster.FrontEndMac).IPv4(Ip, SimulatedCluster.ServiceIp)
            .Udp(Port, dstPort).Payload(payload).Build();
        _cluster.Put(f);
    }

    void Ack(uint block)
    {
        Send(_serverPort, [0, 4, (byte)(block >> 8), (byte)block]);
        AcksSent++;
        _sinceAck = 0;
        _retryAt = _cluster.Now + _timeoutMs;
    }

    public void Poll(long now)
    {
        if (Done || now < _retryAt) return;
        if (_serverPort == 0) { Send(69, _request); _retryAt = now + _timeoutMs; }
        else { _extraAcks = 0; Ack(_expected - 1); } // our timeout: tell the server where we are (RFC 7440 section 4)
    }

    public void OnFrame(byte[] f, long now)
    {
        ushort type = EthernetHeader.GetEtherType(f, 0);
        if (type == EtherType.Arp) { AnswerArp(f); return; }
        if (type != EtherType.IPv4 || f.Length < 46 || f[23] != 17) return;
        if (NetworkOrder.ReadUInt32(f, 30) != Ip || NetworkOrder.ReadUInt16(f, 36) != Port || Done) return;
        int udpLength = NetworkOrder.ReadUInt16(f, 38);
        if (!UdpHeader.VerifyChecksum(NetworkOrder.ReadUInt32(f, 26), Ip, f, 34, udpLength)) { ChecksumErrors++; return; }
        ushort from = NetworkOrder.ReadUInt16(f, 34);
        var p = f.AsSpan(42, udpLength - 8);
        int op = (p[0] << 8) | p[1];
        if (_serverPort == 0 && op != 5) _serverPort = from;
        if (op == 5)
        {
            ErrorCode = (p[2] << 8) | p[3];
            ErrorMessage = Encoding.UTF8.GetString(p[4..].ToArray()).TrimEnd('\0');
            Done = true;
            return;
        }
        if (from != _serverPort) return;
        if (op == 6)
        {
            var parts = Encoding.UTF8.GetString(p[2..].ToArray()).Split('\0');
            for (int i = 0; i + 1 < parts.Length; i += 2)
            {
                if (parts[i].Equals("blksize", StringComparison.OrdinalIgnoreCase)) _blockSize = int.Parse(parts[i + 1]);
                if (parts[i].Equals("windowsize", StringComparison.OrdinalIgnoreCase)) _window = int.Parse(parts[i + 1]);
            }
            Ack(0);
            return;
        }
        if (op != 3) return;
        string src = Convert.ToHexString(f, 6, 6);
        DataBytesFromMac[src] = DataBytesFromMac.GetValueOrDefault(src) + p.Length - 4;
        int block = (p[2] << 8) | p[3];
        if (AtftpStyle)
        {
            _retryAt = now + _timeoutMs; // its select() timeout starts again on every datagram
            if (block != (_expected & 0xFFFF))
            {
                if (_extraAcks++ == 0) Ack(_expected - 1);
                return;
            }
            _extraAcks = 0;
        }
        else if (block != (_expected & 0xFFFF))
        {
            // A gap (or a resend of what we have): acknowledge the last in-order block once per window.
            if (((block - (int)_expected) & 0xFFFF) < 0x8000 && _sinceAck >= 0) { Ack(_expected - 1); _sinceAck = -1; }
            return;
        }
        _received.AddRange(p[4..].ToArray());
        _expected++;
        _sinceAck = Math.Max(0, _sinceAck) + 1;
        bool last = p.Length - 4 < _blockSize;
        if (last) { Ack(_expected - 1); Done = true; return; }
        if (_sinceAck >= _window) Ack(_expected - 1);
        else _retryAt = now + _timeoutMs;
    }

    void AnswerArp(byte[] f)
    {
        var arp = new ArpRepr();
        if (arp.Parse(f, 14, f.Length - 14) != ParseStatus.Ok || arp.Operation != ArpOperation.Request || arp.TargetProtocolAddress != Ip) return;
        var reply = new PacketBuilder().Ethernet(Mac, arp.SenderHardwareAddress, EtherType.Arp)
            .Arp(ArpOperation.Reply, MacAddress.Format(Mac, 0), Wire.IPv4.IPv4Address.Format(Ip),
                MacAddress.Format(arp.SenderHardwareAddress, 0), Wire.IPv4.IPv4Address.Format(arp.SenderProtocolAddress)).Build();
        _cluster.Put(reply);
    }
}
