using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>Small fluent builder of test frames from the wire library's reprs (TestSupport's
/// PacketBuilder is on another branch; this one has the same shape so it can be swapped later).
/// Lengths, EtherType, protocol and checksums are filled in by <see cref="Build"/>.</summary>
public sealed class FrameBuilder
{
    EthernetRepr? _eth;
    ArpRepr? _arp;
    IPv4Repr? _ip;
    TcpRepr? _tcp;
    IcmpRepr? _icmp;
    byte[] _payload = [];
    bool _badIpChecksum, _badChecksum;

    /// <summary>Ethernet II header.</summary>
    public FrameBuilder Ethernet(byte[] source, byte[] destination)
    {
        _eth = new EthernetRepr();
        source.CopyTo(_eth.Source, 0);
        destination.CopyTo(_eth.Destination, 0);
        return this;
    }

    /// <summary>An ARP packet.</summary>
    public FrameBuilder Arp(ushort operation, byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        _arp = new ArpRepr { Operation = operation, SenderProtocolAddress = senderIp, TargetProtocolAddress = targetIp };
        senderMac.CopyTo(_arp.SenderHardwareAddress, 0);
        targetMac.CopyTo(_arp.TargetHardwareAddress, 0);
        return this;
    }

    /// <summary>An IPv4 header (TTL 64); configure changes any field.</summary>
    public FrameBuilder IPv4(uint source, uint destination, Action<IPv4Repr>? configure = null)
    {
        _ip = new IPv4Repr { Source = source, Destination = destination, Ttl = 64 };
        configure?.Invoke(_ip);
        return this;
    }

    /// <summary>A TCP header (window 65535 unless configured).</summary>
    public FrameBuilder Tcp(ushort sourcePort, ushort destinationPort, uint sequence, uint ack, byte flags, Action<TcpRepr>? configure = null)
    {
        _tcp = new TcpRepr
        {
            SourcePort = sourcePort, DestinationPort = destinationPort, SequenceNumber = sequence,
            AcknowledgmentNumber = ack, Flags = flags, Window = 65535,
        };
        configure?.Invoke(_tcp);
        return this;
    }

    /// <summary>An ICMP message; its data is the payload.</summary>
    public FrameBuilder Icmp(byte type, byte code, Action<IcmpRepr>? configure = null)
    {
        _icmp = new IcmpRepr { Type = type, Code = code };
        configure?.Invoke(_icmp);
        return this;
    }

    /// <summary>Bytes after the innermost header.</summary>
    public FrameBuilder Payload(ReadOnlySpan<byte> bytes)
    {
        _payload = bytes.ToArray();
        return this;
    }

    /// <summary>UTF-8 payload.</summary>
    public FrameBuilder Payload(string text) => Payload(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Flips a bit of the IPv4 header checksum.</summary>
    public FrameBuilder CorruptIPv4Checksum() { _badIpChecksum = true; return this; }

    /// <summary>Flips a bit of the TCP or ICMP checksum.</summary>
    public FrameBuilder CorruptChecksum() { _badChecksum = true; return this; }

    /// <summary>The frame.</summary>
    public byte[] Build()
    {
        int transportHeader = _tcp?.Length ?? (_icmp != null ? IcmpHeader.Length : 0);
        int transportLength = transportHeader + _payload.Length;
        int ethLength = _eth != null ? EthernetHeader.Length : 0;
        int inner = _arp != null ? ArpPacket.Length : _ip != null ? _ip.Length + transportLength : _payload.Length;
        var frame = new byte[Math.Max(ethLength + inner, _eth != null ? EthernetHeader.MinFrameLength : 0)];
        if (_eth != null)
        {
            _eth.EtherType = _arp != null ? EtherType.Arp : _ip != null ? EtherType.IPv4 : _eth.EtherType;
            _eth.Emit(frame, 0);
        }
        int pos = ethLength;
        if (_arp != null) { _arp.Emit(frame, pos); return frame; }
        if (_ip == null) { _payload.CopyTo(frame, pos); return frame; }
        _ip.Protocol = _tcp != null ? IpProtocol.Tcp : _icmp != null ? IpProtocol.Icmp : _ip.Protocol;
        _ip.PayloadLength = transportLength;
        _ip.Emit(frame, pos);
        if (_badIpChecksum) frame[pos + IPv4Header.ChecksumOffset + 1] ^= 1;
        int transport = pos + _ip.Length;
        _payload.CopyTo(frame, transport + transportHeader);
        if (_tcp != null)
        {
            _tcp.Emit(frame, transport);
            TcpHeader.FillChecksum(_ip.Source, _ip.Destination, frame, transport, transportLength);
            if (_badChecksum) frame[transport + TcpHeader.ChecksumOffset + 1] ^= 1;
        }
        else if (_icmp != null)
        {
            _icmp.Data = null;
            _icmp.DataLength = _payload.Length;
            _icmp.Emit(frame, transport);
            if (_badChecksum) frame[transport + IcmpHeader.ChecksumOffset + 1] ^= 1;
        }
        return frame;
    }
}
