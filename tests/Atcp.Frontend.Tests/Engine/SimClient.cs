using System.Text;
using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Engine;

/// <summary>A minimal TCP client on the simulated switch: connects, sends HTTP requests, receives
/// replies from anyone who sends with the service address (front-end or boards), acknowledges every
/// data segment at once with SACK blocks, and retransmits its own SYN and requests on timeout.</summary>
sealed class SimClient
{
    readonly SimulatedCluster _cluster;
    public readonly uint Ip;
    public readonly ushort Port;
    public readonly byte[] Mac;
    uint _iss = 7000, _sndNxt, _rcvNxt;
    bool _established, _synSent;
    long _retryAt = long.MaxValue;
    byte[] _unacked = [];
    uint _unackedSeq;
    readonly SortedDictionary<uint, byte[]> _outOfOrder = new();
    readonly List<byte> _received = new();
    /// <summary>Source MACs of the data segments received, with their payload bytes.</summary>
    public readonly Dictionary<string, long> DataBytesFromMac = new();
    public int ChecksumErrors;
    public bool ResetReceived;
    public bool FinReceived;
    public ushort Window = 65535;

    public SimClient(SimulatedCluster cluster, uint ip, ushort port)
    {
        _cluster = cluster;
        Ip = ip;
        Port = port;
        Mac = [0x02, 0x11, 0x22, 0x33, 0x44, (byte)ip];
    }

    public byte[] Received => _received.ToArray();

    public void Connect()
    {
        _sndNxt = _iss + 1;
        _synSent = true;
        SendSyn();
    }

    void SendSyn()
    {
        Send(TcpFlags.Syn, _iss, 0, [], t =>
        {
            t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; t.HasWindowScale = true; t.WindowScale = 7; t.SackPermitted = true;
        });
        _retryAt = _cluster.Now + 1000;
    }

    public void Request(string text)
    {
        if (!_synSent) throw new InvalidOperationException("Connect first");
        var bytes = Encoding.ASCII.GetBytes(text);
        _unackedSeq = _sndNxt;
        _unacked = bytes;
        _sndNxt += (uint)bytes.Length;
        if (_established) { Send(TcpFlags.Ack | TcpFlags.Psh, _unackedSeq, _rcvNxt, bytes); _retryAt = _cluster.Now + 1000; }
    }

    void Send(byte flags, uint seq, uint ack, byte[] payload, Action<TcpRepr>? configure = null)
    {
        var f = new PacketBuilder().Ethernet(Mac, SimulatedCluster.FrontEndMac).IPv4(Ip, SimulatedCluster.ServiceIp)
            .Tcp(Port, 80, seq, ack, flags, t => { t.Window = Window; configure?.Invoke(t); }).Payload(payload).Build();
        _cluster.Put(f);
    }

    public void Poll(long now)
    {
        if (now < _retryAt) return;
        if (_synSent && !_established) SendSyn();
        else if (_unacked.Length > 0) { Send(TcpFlags.Ack | TcpFlags.Psh, _unackedSeq, _rcvNxt, _unacked); _retryAt = now + 1000; }
        else _retryAt = long.MaxValue;
    }

    public void OnFrame(byte[] f, long now)
    {
        ushort type = EthernetHeader.GetEtherType(f, 0);
        if (type == EtherType.Arp) { AnswerArp(f); return; }
        var d = DecodedFrame.Decode(f);
        if (d.Tcp == null || d.Tcp.DestinationPort != Port) return;
        if (!TcpHeader.VerifyChecksum(d.IPv4!.Source, d.IPv4.Destination, f, 34, d.IPv4.PayloadLength)) { ChecksumErrors++; return; }
        var t = d.Tcp;
        if ((t.Flags & TcpFlags.Rst) != 0) { ResetReceived = true; return; }
        if ((t.Flags & TcpFlags.Syn) != 0)
        {
            _rcvNxt = t.SequenceNumber + 1;
            _established = true;
            Send(TcpFlags.Ack, _iss + 1, _rcvNxt, []);
            if (_unacked.Length > 0) { Send(TcpFlags.Ack | TcpFlags.Psh, _unackedSeq, _rcvNxt, _unacked); _retryAt = now + 1000; }
            else _retryAt = long.MaxValue;
            return;
        }
        if ((t.Flags & TcpFlags.Ack) != 0 && (int)(t.AcknowledgmentNumber - _sndNxt) >= 0) { _unacked = []; _retryAt = long.MaxValue; }
        var payload = d.Payload;
        if (payload.Length == 0 && (t.Flags & TcpFlags.Fin) == 0) return;
        string src = Convert.ToHexString(f, 6, 6);
        DataBytesFromMac[src] = DataBytesFromMac.GetValueOrDefault(src) + payload.Length;
        uint seq = t.SequenceNumber;
        if (seq == _rcvNxt)
        {
            _received.AddRange(payload);
            _rcvNxt += (uint)payload.Length;
            while (_outOfOrder.Count > 0)
            {
                var first = _outOfOrder.First();
                if ((int)(first.Key - _rcvNxt) > 0) break;
                _outOfOrder.Remove(first.Key);
                int skip = (int)(_rcvNxt - first.Key);
                if (skip < first.Value.Length) { _received.AddRange(first.Value.Skip(skip)); _rcvNxt += (uint)(first.Value.Length - skip); }
            }
            if ((t.Flags & TcpFlags.Fin) != 0) { FinReceived = true; _rcvNxt++; }
        }
        else if ((int)(seq - _rcvNxt) > 0) _outOfOrder[seq] = payload;
        // Immediate ACK with up to 3 SACK blocks.
        Send(TcpFlags.Ack, _sndNxt, _rcvNxt, [], r =>
        {
            int n = 0;
            foreach (var kv in _outOfOrder)
            {
                if (n == 3) break;
                r.SackLeft[n] = kv.Key; r.SackRight[n] = kv.Key + (uint)kv.Value.Length; n++;
            }
            r.SackBlockCount = n;
        });
    }

    void AnswerArp(byte[] f)
    {
        var arp = new ArpRepr();
        if (arp.Parse(f, 14, f.Length - 14) != ParseStatus.Ok || arp.Operation != ArpOperation.Request || arp.TargetProtocolAddress != Ip) return;
        var reply = new PacketBuilder().Ethernet(Mac, arp.SenderHardwareAddress, EtherType.Arp)
            .Arp(ArpOperation.Reply, Wire.Ethernet.MacAddress.Format(Mac, 0), Wire.IPv4.IPv4Address.Format(Ip),
                Wire.Ethernet.MacAddress.Format(arp.SenderHardwareAddress, 0), Wire.IPv4.IPv4Address.Format(arp.SenderProtocolAddress)).Build();
        _cluster.Put(reply);
    }

    /// <summary>Splits what arrived into HTTP responses (header text, body bytes) by Content-Length.</summary>
    public List<(string Head, byte[] Body)> Responses()
    {
        var list = new List<(string, byte[])>();
        var data = Received;
        int at = 0;
        while (at < data.Length)
        {
            int end = IndexOf(data, at, "\r\n\r\n"u8);
            if (end < 0) break;
            string head = Encoding.ASCII.GetString(data, at, end - at);
            var m = System.Text.RegularExpressions.Regex.Match(head, @"Content-Length: (\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            int length = m.Success && !head.StartsWith("HTTP/1.1 304") ? int.Parse(m.Groups[1].Value) : 0;
            if (head.Contains("HEAD-REQUEST")) length = 0;
            int bodyAt = end + 4;
            if (bodyAt + length > data.Length) break;
            list.Add((head, data.AsSpan(bodyAt, length).ToArray()));
            at = bodyAt + length;
        }
        return list;
    }

    static int IndexOf(byte[] data, int from, ReadOnlySpan<byte> pattern)
    {
        int i = data.AsSpan(from).IndexOf(pattern);
        return i < 0 ? -1 : from + i;
    }
}
