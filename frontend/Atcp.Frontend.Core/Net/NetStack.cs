using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Udp;

namespace Atcp.Frontend.Net;

/// <summary>The front-end's user-space TCP/IP for its service address: Ethernet frames in through
/// <see cref="OnFrame"/>, frames out through <see cref="IFrameOutput"/>, timers through
/// <see cref="Poll"/>. ARP (answers for the service address, announces it, resolves next hops),
/// IPv4 (checks, no fragments, next hop by netmask and gateway), ICMP echo and
/// fragmentation-needed, and the TCP server (<see cref="Tcp"/>). Pure logic: no sockets, threads
/// or clock; every entry point takes the time. Not thread-safe: one pump thread drives it.</summary>
public sealed partial class NetStack
{
    readonly IFrameOutput _output;
    readonly ArpRepr _arp = new();
    readonly IPv4Repr _ip = new();
    readonly IcmpRepr _icmp = new();
    readonly TcpRepr _tcp = new();
    readonly UdpRepr _udp = new();
    readonly IPv4Repr _txIp = new();
    readonly byte[] _mac;
    readonly List<uint> _arpRequests = new();
    byte[] _tx;
    readonly uint _address;
    readonly uint _directedBroadcast; // our network's directed broadcast; 0 (never a valid source) for /0, /31, /32
    ushort _ipId;
    long _now;
    int _announcementsLeft;
    long _nextAnnounceAt = long.MaxValue;
    long _lastDefenseAt = long.MinValue / 2; // far past, without overflow in now - _lastDefenseAt

    /// <summary>The configuration.</summary>
    public NetStackOptions Options { get; }
    /// <summary>Every drop and event, by reason.</summary>
    public NetCounters Counters { get; } = new();
    /// <summary>The ARP cache.</summary>
    public ArpCache Arp { get; }
    /// <summary>The TCP server: listening ports and connections.</summary>
    public TcpServer Tcp { get; }
    /// <summary>Where UDP datagrams for the service address go; null drops them (counted).</summary>
    public IUdpHandler? UdpHandler { get; set; }

    /// <summary>A stack for options.Address that sends frames to output and tells events about connections.</summary>
    public NetStack(NetStackOptions options, IFrameOutput output, ITcpEvents events)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MacAddress.Length != 6) throw new ArgumentException("the MAC address needs 6 bytes", nameof(options));
        if (options.Mtu < 576) throw new ArgumentException("the MTU must be at least 576 (RFC 791)", nameof(options));
        Options = options;
        _output = output;
        _mac = (byte[])options.MacAddress.Clone();
        _tx = new byte[EthernetHeader.Length + options.Mtu + 64];
        _address = options.Address;
        // Worked out once: every received datagram's source is checked against it.
        int prefix = options.PrefixLength;
        _directedBroadcast = prefix is > 0 and < 31 ? options.Address | ~(0xFFFFFFFFu << (32 - prefix)) : 0;
        Arp = new ArpCache(options);
        Tcp = new TcpServer(this, options, Counters, events);
        Acks = new SupersededAcks(_mac, options.Address);
    }

    /// <summary>Finds the pure ACKs of a batch that later ones supersede (see <see cref="OnFrames"/>).</summary>
    public SupersededAcks Acks { get; }

    /// <summary>Frames received together, in order (a batch of the receive ring): the pure ACKs a
    /// later ACK of the same connection among them supersedes are counted
    /// (<see cref="NetCounter.TcpAcksSuperseded"/>) and skipped, the rest go to route, as
    /// <see cref="OnFrame"/> would get them.</summary>
    public void OnFrames(ReadOnlySpan<byte[]> frames, ReadOnlySpan<int> lengths, long now, Action<byte[], int, long> route)
    {
        Acks.Scan(frames, lengths);
        for (int i = 0; i < frames.Length; i++)
        {
            if (!Acks.IsSuperseded(i)) { route(frames[i], lengths[i], now); continue; }
            Counters.Increment(NetCounter.FramesReceived);
            Counters.Increment(NetCounter.TcpSegmentsReceived);
            Counters.Increment(NetCounter.TcpAcksSuperseded);
        }
    }

    /// <summary>Announces the address (RFC 5227 ARP announcements, so neighbours and switches learn
    /// where the service address lives now, e.g. after a fail-over).</summary>
    public void Start(long now)
    {
        _now = now;
        _announcementsLeft = Options.ArpAnnouncements;
        if (_announcementsLeft > 0) Announce(now);
    }

    /// <summary>Processes one received frame (destination MAC first). Never throws on bad bytes:
    /// every reason to drop a frame has a counter.</summary>
    public void OnFrame(byte[] frame, int length, long now)
    {
        _now = Math.Max(_now, now);
        Counters.Increment(NetCounter.FramesReceived);
        length = Math.Min(length, frame.Length);
        // The header is read where it lies (no EthernetRepr copy of both MACs): every client ACK passes here.
        if (!EthernetHeader.HasHeader(length)) { Counters.Increment(NetCounter.EthernetTruncated); return; }
        bool group = MacAddress.IsGroup(frame, EthernetHeader.DestinationOffset);
        if (!group && !MacAddress.Equal(frame, EthernetHeader.DestinationOffset, _mac, 0)) { Counters.Increment(NetCounter.EthernetOtherDestination); return; }
        int offset = EthernetHeader.Length;
        switch (EthernetHeader.GetEtherType(frame, 0))
        {
            case EtherType.Arp:
                OnArp(frame, offset, length - offset, now);
                break;
            case EtherType.IPv4:
                if (group) { Counters.Increment(NetCounter.IPv4LinkBroadcast); return; } // RFC 1122 3.3.6
                OnIPv4(frame, offset, length - offset, now);
                break;
            default:
                Counters.Increment(NetCounter.EthernetUnknownType);
                break;
        }
    }

    /// <summary>Runs the timers: ARP retries and expiry, announcements, every connection's timers.</summary>
    public void Poll(long now)
    {
        _now = Math.Max(_now, now);
        if (now >= _nextAnnounceAt) Announce(now);
        _arpRequests.Clear();
        int dropped = Arp.Poll(now, _arpRequests, out int expired);
        if (dropped > 0) Counters.Add(NetCounter.ArpResolutionFailed, dropped);
        if (expired > 0) Counters.Add(NetCounter.ArpEntriesExpired, expired);
        foreach (uint address in _arpRequests) SendArp(ArpOperation.Request, BroadcastMac, address, null);
        Tcp.Poll(now);
    }

    /// <summary>The earliest time <see cref="Poll"/> has work; the pump may sleep until then.</summary>
    public long NextDeadline() => Math.Min(_nextAnnounceAt, Math.Min(Arp.NextDeadline(), Tcp.NextDeadline()));

    void OnIPv4(byte[] frame, int offset, int length, long now)
    {
        ParseStatus status = _ip.Parse(frame, offset, length);
        if (status != ParseStatus.Ok)
        {
            Counters.Increment(status switch
            {
                ParseStatus.BadVersion => NetCounter.IPv4BadVersion,
                ParseStatus.BadLength => NetCounter.IPv4BadLength,
                ParseStatus.BadChecksum => NetCounter.IPv4BadChecksum,
                _ => NetCounter.IPv4Truncated,
            });
            return;
        }
        if (_ip.Destination != _address) { Counters.Increment(NetCounter.IPv4OtherDestination); return; }
        if (IsBadSource(_ip.Source)) { Counters.Increment(NetCounter.IPv4BadSource); return; }
        if (_ip.MoreFragments || _ip.FragmentOffset != 0) { Counters.Increment(NetCounter.IPv4Fragment); return; }
        int payload = offset + IPv4Header.GetHeaderLength(frame, offset);
        switch (_ip.Protocol)
        {
            case IpProtocol.Tcp:
                OnTcp(frame, payload, _ip.PayloadLength, _ip.Source, now);
                break;
            case IpProtocol.Udp:
                OnUdp(frame, payload, _ip.PayloadLength, _ip.Source, now);
                break;
            case IpProtocol.Icmp:
                OnIcmp(frame, payload, _ip.PayloadLength, _ip.Source, now);
                break;
            default:
                Counters.Increment(NetCounter.IPv4UnknownProtocol);
                break;
        }
    }

    // RFC 1122 3.2.1.3: no datagram from 0, a broadcast, multicast or class E address, loopback,
    // ourselves, or our network's directed broadcast.
    bool IsBadSource(uint source)
    {
        uint top = source >> 28;
        if (source == 0 || source == IPv4Address.Broadcast || top == 0xE || top == 0xF || (source >> 24) == 127) return true;
        return source == _address || source == _directedBroadcast;
    }

    void OnTcp(byte[] frame, int offset, int length, uint source, long now)
    {
        ParseStatus status = _tcp.Parse(frame, offset, length, source, Options.Address);
        if (status != ParseStatus.Ok)
        {
            Counters.Increment(status switch
            {
                ParseStatus.BadChecksum => NetCounter.TcpBadChecksum,
                ParseStatus.BadLength => NetCounter.TcpBadLength,
                ParseStatus.BadOption => NetCounter.TcpBadOption,
                _ => NetCounter.TcpTruncated,
            });
            return;
        }
        Counters.Increment(NetCounter.TcpSegmentsReceived);
        Tcp.OnSegment(source, _tcp, frame.AsSpan(_tcp.PayloadOffset, _tcp.PayloadLength), now);
    }

    void OnUdp(byte[] frame, int offset, int length, uint source, long now)
    {
        ParseStatus status = _udp.Parse(frame, offset, length, source, Options.Address);
        if (status != ParseStatus.Ok)
        {
            Counters.Increment(status switch
            {
                ParseStatus.BadChecksum => NetCounter.UdpBadChecksum,
                ParseStatus.BadLength => NetCounter.UdpBadLength,
                _ => NetCounter.UdpTruncated,
            });
            return;
        }
        if (UdpHandler is null) { Counters.Increment(NetCounter.UdpNoHandler); return; }
        Counters.Increment(NetCounter.UdpDatagramsReceived);
        UdpHandler.OnDatagram(source, _udp.SourcePort, _udp.DestinationPort, frame.AsSpan(_udp.PayloadOffset, _udp.PayloadLength), now);
    }
}
