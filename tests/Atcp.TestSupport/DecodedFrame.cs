using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Udp;

namespace Atcp.TestSupport;

/// <summary>A frame taken apart with the firmware's own parsers, for asserting on frames a device
/// sent: each layer that parsed, the innermost payload, and the first failure. The counterpart of
/// <see cref="PacketBuilder"/>.</summary>
public sealed class DecodedFrame
{
    /// <summary>The Ethernet header (always present when Status is not Truncated at layer 2).</summary>
    public EthernetRepr Ethernet { get; } = new();
    /// <summary>The ARP packet, when the EtherType was ARP and it parsed.</summary>
    public ArpRepr? Arp { get; private set; }
    /// <summary>The IPv4 header, when the EtherType was IPv4 and it parsed.</summary>
    public IPv4Repr? IPv4 { get; private set; }
    /// <summary>The TCP header, when present and parsed (checksum verified).</summary>
    public TcpRepr? Tcp { get; private set; }
    /// <summary>The UDP header, when present and parsed (checksum verified when present).</summary>
    public UdpRepr? Udp { get; private set; }
    /// <summary>The ICMP message, when present and parsed (checksum verified).</summary>
    public IcmpRepr? Icmp { get; private set; }
    /// <summary>Bytes after the innermost parsed header (ICMP data for ICMP; after the Ethernet
    /// header for other EtherTypes), without Ethernet padding.</summary>
    public byte[] Payload { get; private set; } = [];
    /// <summary>Ok, or the status of the first layer that failed (the layers before it are set).</summary>
    public ParseStatus Status { get; private set; }
    /// <summary>Which layer Status refers to: "ethernet", "arp", "ipv4", "tcp", "udp", "icmp", or null when Ok.</summary>
    public string? FailedLayer { get; private set; }

    /// <summary>Takes frame apart; never throws on bad bytes.</summary>
    public static DecodedFrame Decode(byte[] frame)
    {
        var d = new DecodedFrame();
        if (d.Fail("ethernet", d.Ethernet.Parse(frame, 0, frame.Length))) return d;
        int pos = EthernetHeader.Length;
        switch (d.Ethernet.EtherType)
        {
            case EtherType.Arp:
                var arp = new ArpRepr();
                if (!d.Fail("arp", arp.Parse(frame, pos, frame.Length - pos))) d.Arp = arp;
                return d;
            case EtherType.IPv4:
                d.DecodeIPv4(frame, pos);
                return d;
            default:
                d.Payload = frame[pos..];
                return d;
        }
    }

    void DecodeIPv4(byte[] frame, int pos)
    {
        var ip = new IPv4Repr();
        if (Fail("ipv4", ip.Parse(frame, pos, frame.Length - pos))) return;
        IPv4 = ip;
        int start = pos + ip.Length;
        int length = ip.PayloadLength;
        switch (ip.Protocol)
        {
            case IpProtocol.Tcp:
                var tcp = new TcpRepr();
                if (Fail("tcp", tcp.Parse(frame, start, length, ip.Source, ip.Destination))) return;
                Tcp = tcp;
                Payload = frame.AsSpan(tcp.PayloadOffset, tcp.PayloadLength).ToArray();
                return;
            case IpProtocol.Udp:
                var udp = new UdpRepr();
                if (Fail("udp", udp.Parse(frame, start, length, ip.Source, ip.Destination))) return;
                Udp = udp;
                Payload = frame.AsSpan(udp.PayloadOffset, udp.PayloadLength).ToArray();
                return;
            case IpProtocol.Icmp:
                var icmp = new IcmpRepr();
                if (Fail("icmp", icmp.Parse(frame, start, length))) return;
                Icmp = icmp;
                Payload = frame.AsSpan(icmp.DataOffset, icmp.DataLength).ToArray();
                return;
            default:
                Payload = frame.AsSpan(start, length).ToArray();
                return;
        }
    }

    bool Fail(string layer, ParseStatus status)
    {
        if (status == ParseStatus.Ok) return false;
        Status = status;
        FailedLayer = layer;
        return true;
    }

    /// <summary>One line for assertion messages, e.g. "ipv4 198.18.0.1 > 198.18.0.2 tcp 40000 > 80 [SYN] seq 1000 ack 0 len 0".</summary>
    public override string ToString()
    {
        if (Status != ParseStatus.Ok) return FailedLayer + " " + Status;
        if (Arp != null) return "arp op " + Arp.Operation + " " + IPv4Address.Format(Arp.SenderProtocolAddress) + " > " + IPv4Address.Format(Arp.TargetProtocolAddress);
        if (IPv4 == null) return "ethertype 0x" + Ethernet.EtherType.ToString("x4") + " len " + Payload.Length;
        var s = "ipv4 " + IPv4Address.Format(IPv4.Source) + " > " + IPv4Address.Format(IPv4.Destination);
        if (Tcp != null) s += " tcp " + Tcp.SourcePort + " > " + Tcp.DestinationPort + " [" + TcpFlags.Format(Tcp.Flags) + "] seq " + Tcp.SequenceNumber + " ack " + Tcp.AcknowledgmentNumber;
        else if (Udp != null) s += " udp " + Udp.SourcePort + " > " + Udp.DestinationPort;
        else if (Icmp != null) s += " icmp type " + Icmp.Type + " code " + Icmp.Code;
        else s += " proto " + IPv4.Protocol;
        return s + " len " + Payload.Length;
    }
}
