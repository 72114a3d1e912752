using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Udp;

namespace Atcp.Frontend.Net;

// Output: IPv4 with DF (we answer fragmentation-needed instead of fragmenting), next hop by netmask
// and gateway, ARP resolution with queueing; ICMP echo replies and fragmentation-needed input.
public sealed partial class NetStack
{
    /// <summary>RFC 1191 section 7 plateau table, for fragmentation-needed from routers that send no
    /// next-hop MTU.</summary>
    static readonly int[] MtuPlateaus = [32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68];

    internal long Now { get => _now; set => _now = Math.Max(_now, value); }

    /// <summary>Sends a TCP segment (header filled but for the checksum) to destination.</summary>
    internal void SendTcp(uint destination, TcpRepr header, ReadOnlySpan<byte> payload)
    {
        int tcpLength = header.Length + payload.Length;
        int ip = EthernetHeader.Length;
        int transport = ip + IPv4Header.MinLength;
        EnsureTx(transport + tcpLength);
        PrepareIPv4(destination, IpProtocol.Tcp, tcpLength);
        header.Emit(_tx, transport);
        payload.CopyTo(_tx.AsSpan(transport + header.Length));
        TcpHeader.FillChecksum(Options.Address, destination, _tx, transport, tcpLength);
        TransmitIPv4(destination, transport + tcpLength);
    }

    /// <summary>Sends a UDP datagram from the service address and sourcePort to destination:destinationPort,
    /// with a checksum and DF; the next hop is resolved by ARP (queued until then) as for TCP.
    /// Returns false, counting UdpTooLarge, when it would not fit the MTU.</summary>
    public bool SendUdp(ushort sourcePort, uint destination, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        int udpLength = UdpHeader.Length + payload.Length;
        if (IPv4Header.MinLength + udpLength > Options.Mtu) { Counters.Increment(NetCounter.UdpTooLarge); return false; }
        int transport = EthernetHeader.Length + IPv4Header.MinLength;
        EnsureTx(transport + udpLength);
        PrepareIPv4(destination, IpProtocol.Udp, udpLength);
        UdpHeader.SetSourcePort(_tx, transport, sourcePort);
        UdpHeader.SetDestinationPort(_tx, transport, destinationPort);
        UdpHeader.SetLength(_tx, transport, (ushort)udpLength);
        payload.CopyTo(_tx.AsSpan(transport + UdpHeader.Length));
        UdpHeader.FillChecksum(Options.Address, destination, _tx, transport, udpLength);
        Counters.Increment(NetCounter.UdpDatagramsSent);
        TransmitIPv4(destination, transport + udpLength);
        return true;
    }

    void OnIcmp(byte[] frame, int offset, int length, uint source, long now)
    {
        Atcp.Wire.ParseStatus status = _icmp.Parse(frame, offset, length);
        if (status != Atcp.Wire.ParseStatus.Ok)
        {
            Counters.Increment(status == Atcp.Wire.ParseStatus.BadChecksum ? NetCounter.IcmpBadChecksum : NetCounter.IcmpTruncated);
            return;
        }
        if (_icmp.Type == IcmpType.EchoRequest) { ReplyToEcho(source, length); return; }
        if (_icmp.Type == IcmpType.DestinationUnreachable && _icmp.Code == IcmpUnreachableCode.FragmentationNeeded)
        {
            OnFragmentationNeeded(now);
            return;
        }
        Counters.Increment(NetCounter.IcmpIgnored);
    }

    // RFC 792: the reply carries the request's identifier, sequence number and data.
    void ReplyToEcho(uint source, int length)
    {
        if (IPv4Header.MinLength + length > Options.Mtu) { Counters.Increment(NetCounter.IcmpIgnored); return; }
        int transport = EthernetHeader.Length + IPv4Header.MinLength;
        // The request's data is copied before _tx is written (the request may not live in _tx, but be safe).
        byte[] data = _icmp.Data.AsSpan(_icmp.DataOffset, _icmp.DataLength).ToArray();
        var reply = new IcmpRepr
        {
            Type = IcmpType.EchoReply, Identifier = _icmp.Identifier, SequenceNumber = _icmp.SequenceNumber,
            Data = data, DataOffset = 0, DataLength = data.Length,
        };
        EnsureTx(transport + reply.Length);
        PrepareIPv4(source, IpProtocol.Icmp, reply.Length);
        reply.Emit(_tx, transport);
        Counters.Increment(NetCounter.IcmpEchoReplied);
        TransmitIPv4(source, transport + reply.Length);
    }

    // The quoted datagram: its IP header (from us to the client) and the first 8 bytes of TCP.
    void OnFragmentationNeeded(long now)
    {
        byte[] q = _icmp.Data;
        int at = _icmp.DataOffset;
        int headerLength = IPv4Header.GetHeaderLength(q, at);
        if (IPv4Header.GetProtocol(q, at) != IpProtocol.Tcp || IPv4Header.GetSource(q, at) != Options.Address)
        {
            Counters.Increment(NetCounter.IcmpFragmentationNeededIgnored);
            return;
        }
        int mtu = _icmp.NextHopMtu;
        if (mtu == 0)
        {
            int quotedLength = IPv4Header.GetTotalLength(q, at);
            foreach (int plateau in MtuPlateaus)
                if (plateau < quotedLength) { mtu = plateau; break; }
        }
        int tcp = at + headerLength;
        Tcp.OnFragmentationNeeded(IPv4Header.GetDestination(q, at), TcpHeader.GetSourcePort(q, tcp),
            TcpHeader.GetDestinationPort(q, tcp), TcpHeader.GetSequenceNumber(q, tcp), mtu, now);
    }

    void EnsureTx(int length)
    {
        if (_tx.Length < Math.Max(length, EthernetHeader.MinFrameLength)) Array.Resize(ref _tx, Math.Max(length, EthernetHeader.MinFrameLength));
    }

    void PrepareIPv4(uint destination, byte protocol, int payloadLength)
    {
        _txIp.Source = Options.Address;
        _txIp.Destination = destination;
        _txIp.Protocol = protocol;
        _txIp.Ttl = Options.Ttl;
        _txIp.DontFragment = true; // RFC 1191 path MTU discovery
        _txIp.Identification = _ipId++;
        _txIp.OptionsLength = 0;
        _txIp.PayloadLength = payloadLength;
        _txIp.Emit(_tx, EthernetHeader.Length);
    }

    /// <summary>The next hop toward destination: itself when on-link, else the gateway (0 when none).</summary>
    public uint NextHop(uint destination) =>
        IPv4Address.SameNetwork(destination, Options.Address, Options.PrefixLength) ? destination : Options.Gateway;

    /// <summary>The MAC frames to destination must be sent to (the client's, or the gateway's when
    /// the client is off-link): what a board needs to address its segments. When not resolved,
    /// starts resolving it and returns false (ask again shortly).</summary>
    public bool TryGetNextHopMac(uint destination, Span<byte> mac)
    {
        uint nextHop = NextHop(destination);
        if (nextHop == 0) return false;
        if (Arp.TryGet(nextHop, _now, mac)) return true;
        if (Arp.Enqueue(nextHop, null, _now) == ArpCache.EnqueueResult.NewResolution)
            SendArp(Atcp.Wire.Arp.ArpOperation.Request, BroadcastMac, nextHop, null);
        return false;
    }

    // Fills the Ethernet header for destination's next hop and sends, or queues behind ARP.
    void TransmitIPv4(uint destination, int length)
    {
        uint nextHop = NextHop(destination);
        if (nextHop == 0) { Counters.Increment(NetCounter.IPv4NoRoute); return; }
        EthernetHeader.SetSource(_tx, 0, _mac, 0);
        EthernetHeader.SetEtherType(_tx, 0, EtherType.IPv4);
        if (Arp.TryGet(nextHop, _now, _tx.AsSpan(EthernetHeader.DestinationOffset, 6)))
        {
            Emit(_tx, length);
            return;
        }
        byte[] copy = _tx.AsSpan(0, Math.Max(length, EthernetHeader.MinFrameLength)).ToArray();
        copy.AsSpan(length).Clear();
        switch (Arp.Enqueue(nextHop, copy, _now))
        {
            case ArpCache.EnqueueResult.NewResolution:
                SendArp(Atcp.Wire.Arp.ArpOperation.Request, BroadcastMac, nextHop, null);
                break;
            case ArpCache.EnqueueResult.QueueFull:
                Counters.Increment(NetCounter.ArpQueueFull);
                break;
            case ArpCache.EnqueueResult.TooManyPending:
                Counters.Increment(NetCounter.ArpTooManyPending);
                break;
        }
    }

    // Pads to the 60-byte Ethernet minimum (IEEE 802.3; NICs do it, veth and AF_PACKET do not) and sends.
    void Emit(byte[] frame, int length)
    {
        if (length < EthernetHeader.MinFrameLength)
        {
            frame.AsSpan(length, EthernetHeader.MinFrameLength - length).Clear();
            length = EthernetHeader.MinFrameLength;
        }
        Counters.Increment(NetCounter.FramesSent);
        _output.SendFrame(frame.AsSpan(0, length));
    }
}
