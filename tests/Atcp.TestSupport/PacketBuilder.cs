using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Udp;

namespace Atcp.TestSupport;

/// <summary>Fluent builder of test frames from the firmware's own Repr types: add layers outer to
/// inner, then <see cref="Build"/>. Lengths, EtherType, IP protocol and every checksum are filled
/// in; a layer's optional configure callback runs after the defaults, for any other field.
/// <code>
/// byte[] syn = new PacketBuilder()
///     .Ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
///     .IPv4("198.18.0.1", "198.18.0.2")
///     .Tcp(40000, 80, sequence: 1000, acknowledgment: 0, TcpFlags.Syn, t => { t.HasMaxSegmentSize = true; t.MaxSegmentSize = 1460; })
///     .Build();
/// </code>
/// Without <see cref="Ethernet(string, string, ushort?)"/> the result starts at the IPv4 header.</summary>
public sealed class PacketBuilder
{
    byte[] payload = [];
    bool explicitEtherType;
    bool udpChecksum = true;
    bool corruptIPv4Checksum;
    bool corruptChecksum;
    int minimumLength;

    /// <summary>The Ethernet layer, or null when the frame has none.</summary>
    public EthernetRepr? EthernetLayer { get; private set; }
    /// <summary>The ARP layer, if added.</summary>
    public ArpRepr? ArpLayer { get; private set; }
    /// <summary>The IPv4 layer, if added.</summary>
    public IPv4Repr? IPv4Layer { get; private set; }
    /// <summary>The TCP layer, if added.</summary>
    public TcpRepr? TcpLayer { get; private set; }
    /// <summary>The UDP layer, if added.</summary>
    public UdpRepr? UdpLayer { get; private set; }
    /// <summary>The ICMP layer, if added.</summary>
    public IcmpRepr? IcmpLayer { get; private set; }
    /// <summary>Bytes after the innermost header (the ICMP echo data for ICMP echo).</summary>
    public ReadOnlyMemory<byte> PayloadBytes => payload;

    /// <summary>Adds an Ethernet II header from MACs written "02:00:00:00:00:01". The EtherType
    /// follows the next layer unless given (e.g. EtherType.Atcp with a raw payload).</summary>
    public PacketBuilder Ethernet(string source, string destination, ushort? etherType = null) =>
        Ethernet(Mac(source), Mac(destination), etherType);

    /// <summary>Adds an Ethernet II header from 6-byte MACs.</summary>
    public PacketBuilder Ethernet(byte[] source, byte[] destination, ushort? etherType = null)
    {
        var e = new EthernetRepr();
        Array.Copy(source, e.Source, 6);
        Array.Copy(destination, e.Destination, 6);
        e.EtherType = etherType ?? 0;
        explicitEtherType = etherType.HasValue;
        EthernetLayer = e;
        return this;
    }

    /// <summary>Adds an ARP packet (Ethernet/IPv4). For a request pass "00:00:00:00:00:00" as target MAC.</summary>
    public PacketBuilder Arp(ushort operation, string senderMac, string senderIp, string targetMac, string targetIp) =>
        Arp(operation, Mac(senderMac), Ip(senderIp), Mac(targetMac), Ip(targetIp));

    /// <summary>Adds an ARP packet from MAC bytes and host-order addresses.</summary>
    public PacketBuilder Arp(ushort operation, byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        var a = new ArpRepr { Operation = operation, SenderProtocolAddress = senderIp, TargetProtocolAddress = targetIp };
        Array.Copy(senderMac, a.SenderHardwareAddress, 6);
        Array.Copy(targetMac, a.TargetHardwareAddress, 6);
        ArpLayer = a;
        return this;
    }

    /// <summary>Adds an IPv4 header from dotted quads (TTL 64, no options).</summary>
    public PacketBuilder IPv4(string source, string destination, Action<IPv4Repr>? configure = null) =>
        IPv4(Ip(source), Ip(destination), configure);

    /// <summary>Adds an IPv4 header from address values (10.0.0.1 is 0x0A000001).</summary>
    public PacketBuilder IPv4(uint source, uint destination, Action<IPv4Repr>? configure = null)
    {
        var ip = new IPv4Repr { Source = source, Destination = destination, Ttl = 64 };
        configure?.Invoke(ip);
        IPv4Layer = ip;
        return this;
    }

    /// <summary>Adds a TCP header (window 65535, no options unless configure adds them).</summary>
    public PacketBuilder Tcp(ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, byte flags, Action<TcpRepr>? configure = null)
    {
        var t = new TcpRepr
        {
            SourcePort = sourcePort, DestinationPort = destinationPort, SequenceNumber = sequence,
            AcknowledgmentNumber = acknowledgment, Flags = flags, Window = 65535,
        };
        configure?.Invoke(t);
        TcpLayer = t;
        return this;
    }

    /// <summary>Adds a UDP header; withChecksum false sends checksum 0 ("none", RFC 768).</summary>
    public PacketBuilder Udp(ushort sourcePort, ushort destinationPort, bool withChecksum = true)
    {
        UdpLayer = new UdpRepr { SourcePort = sourcePort, DestinationPort = destinationPort };
        udpChecksum = withChecksum;
        return this;
    }

    /// <summary>Adds an ICMP echo request; its data is the <see cref="Payload(ReadOnlySpan{byte})"/>.</summary>
    public PacketBuilder IcmpEchoRequest(ushort identifier, ushort sequence) => Icmp(IcmpType.EchoRequest, 0, i => { i.Identifier = identifier; i.SequenceNumber = sequence; });

    /// <summary>Adds an ICMP echo reply; its data is the payload.</summary>
    public PacketBuilder IcmpEchoReply(ushort identifier, ushort sequence) => Icmp(IcmpType.EchoReply, 0, i => { i.Identifier = identifier; i.SequenceNumber = sequence; });

    /// <summary>Adds a destination-unreachable message about originalPacket (an IPv4 packet,
    /// header first): its IP header and first 8 payload bytes become the data (RFC 792).</summary>
    public PacketBuilder IcmpDestinationUnreachable(byte code, ReadOnlySpan<byte> originalPacket, ushort nextHopMtu = 0)
    {
        int headerLength = (originalPacket[0] & 0x0F) * 4;
        int quoted = Math.Min(originalPacket.Length, headerLength + IcmpRepr.ErrorPayloadLength);
        payload = originalPacket[..quoted].ToArray();
        return Icmp(IcmpType.DestinationUnreachable, code, i => i.NextHopMtu = nextHopMtu);
    }

    /// <summary>Adds "fragmentation needed and DF set" (type 3 code 4) with the next-hop MTU (RFC 1191).</summary>
    public PacketBuilder IcmpFragmentationNeeded(ushort nextHopMtu, ReadOnlySpan<byte> originalPacket) =>
        IcmpDestinationUnreachable(IcmpUnreachableCode.FragmentationNeeded, originalPacket, nextHopMtu);

    /// <summary>Adds any ICMP message; configure sets the rest-of-header fields. The data is the payload.</summary>
    public PacketBuilder Icmp(byte type, byte code, Action<IcmpRepr>? configure = null)
    {
        var i = new IcmpRepr { Type = type, Code = code };
        configure?.Invoke(i);
        IcmpLayer = i;
        return this;
    }

    /// <summary>Sets the bytes after the innermost header.</summary>
    public PacketBuilder Payload(ReadOnlySpan<byte> bytes)
    {
        payload = bytes.ToArray();
        return this;
    }

    /// <summary>Sets the payload to the UTF-8 bytes of text.</summary>
    public PacketBuilder Payload(string text) => Payload(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Pads the result with zeros to 60 bytes, as an Ethernet sender pads short frames (IEEE 802.3 minimum without FCS).</summary>
    public PacketBuilder PadToMinimumFrame()
    {
        minimumLength = EthernetHeader.MinFrameLength;
        return this;
    }

    /// <summary>Makes the IPv4 header checksum wrong (one bit flipped after filling it).</summary>
    public PacketBuilder CorruptIPv4Checksum()
    {
        corruptIPv4Checksum = true;
        return this;
    }

    /// <summary>Makes the TCP, UDP or ICMP checksum wrong (one bit flipped after filling it).</summary>
    public PacketBuilder CorruptChecksum()
    {
        corruptChecksum = true;
        return this;
    }

    /// <summary>Lays out the layers added so far and returns the bytes, every length and checksum filled.</summary>
    public byte[] Build()
    {
        int transportHeader = TcpLayer?.Length ?? UdpLayer?.Length ?? (IcmpLayer != null ? IcmpHeader.Length : 0);
        int transportLength = transportHeader + payload.Length;
        int ipLength = IPv4Layer != null ? IPv4Layer.Length + transportLength : ArpLayer != null ? ArpPacket.Length : payload.Length;
        int ethLength = EthernetLayer != null ? EthernetHeader.Length : 0;
        var frame = new byte[Math.Max(ethLength + ipLength, minimumLength)];
        if (EthernetLayer != null)
        {
            if (!explicitEtherType) EthernetLayer.EtherType = IPv4Layer != null ? EtherType.IPv4 : ArpLayer != null ? EtherType.Arp : (ushort)0;
            EthernetLayer.Emit(frame, 0);
        }
        int pos = ethLength;
        if (ArpLayer != null)
        {
            ArpLayer.Emit(frame, pos);
            pos += ArpPacket.Length;
        }
        if (IPv4Layer == null)
        {
            payload.CopyTo(frame, pos);
            return frame;
        }
        int ip = pos;
        if (TcpLayer != null) IPv4Layer.Protocol = IpProtocol.Tcp;
        else if (UdpLayer != null) IPv4Layer.Protocol = IpProtocol.Udp;
        else if (IcmpLayer != null) IPv4Layer.Protocol = IpProtocol.Icmp;
        IPv4Layer.PayloadLength = transportLength;
        IPv4Layer.Emit(frame, ip);
        if (corruptIPv4Checksum) frame[ip + IPv4Header.ChecksumOffset + 1] ^= 1;
        int transport = ip + IPv4Layer.Length;
        payload.CopyTo(frame, transport + transportHeader);
        uint src = IPv4Layer.Source, dst = IPv4Layer.Destination;
        int checksumAt = -1;
        if (TcpLayer != null)
        {
            TcpLayer.Emit(frame, transport);
            TcpHeader.FillChecksum(src, dst, frame, transport, transportLength);
            checksumAt = transport + TcpHeader.ChecksumOffset;
        }
        else if (UdpLayer != null)
        {
            UdpLayer.PayloadLength = payload.Length;
            UdpLayer.Emit(frame, transport);
            if (udpChecksum) UdpHeader.FillChecksum(src, dst, frame, transport, transportLength);
            checksumAt = transport + UdpHeader.ChecksumOffset;
        }
        else if (IcmpLayer != null)
        {
            IcmpLayer.Data = null;
            IcmpLayer.DataLength = payload.Length;
            IcmpLayer.Emit(frame, transport);
            checksumAt = transport + IcmpHeader.ChecksumOffset;
        }
        if (corruptChecksum && checksumAt >= 0) frame[checksumAt + 1] ^= 1;
        return frame;
    }

    /// <summary>Parses "02:00:00:00:00:01" or throws ArgumentException.</summary>
    public static byte[] Mac(string text)
    {
        var mac = new byte[6];
        if (!MacAddress.TryParse(text, mac, 0)) throw new ArgumentException("not a MAC address: " + text, nameof(text));
        return mac;
    }

    /// <summary>Parses a dotted quad or throws ArgumentException.</summary>
    public static uint Ip(string text)
    {
        if (!IPv4Address.TryParse(text, out var address)) throw new ArgumentException("not an IPv4 address: " + text, nameof(text));
        return address;
    }
}
