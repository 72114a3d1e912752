using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;

namespace Atcp.Frontend.Net;

// ARP (RFC 826) for the service address, announcements and conflict defence (RFC 5227).
public sealed partial class NetStack
{
    static readonly byte[] BroadcastMac = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    static readonly byte[] ZeroMac = new byte[6];
    /// <summary>RFC 5227 DEFEND_INTERVAL: at most one defence per 10 s.</summary>
    const long DefendIntervalMs = 10_000;

    void OnArp(byte[] frame, int offset, int length, long now)
    {
        ParseStatus status = _arp.Parse(frame, offset, length);
        if (status == ParseStatus.Unknown) { Counters.Increment(NetCounter.ArpUnsupported); return; }
        if (status != ParseStatus.Ok) { Counters.Increment(NetCounter.ArpTruncated); return; }
        if (_arp.Operation != ArpOperation.Request && _arp.Operation != ArpOperation.Reply)
        {
            Counters.Increment(NetCounter.ArpUnknownOperation);
            return;
        }
        if (MacAddress.IsGroup(_arp.SenderHardwareAddress, 0)) { Counters.Increment(NetCounter.ArpBadSender); return; }
        uint sender = _arp.SenderProtocolAddress;
        uint target = _arp.TargetProtocolAddress;
        bool forUs = target == Options.Address;

        if (sender == Options.Address)
        {
            // Our own announcement echoed back is fine; anyone else claiming the address is a conflict.
            if (MacAddress.Equal(_arp.SenderHardwareAddress, 0, _mac, 0)) return;
            Counters.Increment(NetCounter.ArpAddressConflict);
            if (now - _lastDefenseAt >= DefendIntervalMs)
            {
                _lastDefenseAt = now;
                SendArp(ArpOperation.Request, BroadcastMac, Options.Address, null);
            }
            return;
        }

        // RFC 826: update the sender if known; add it if the packet is for us. A sender of 0.0.0.0
        // is an RFC 5227 probe: nothing to learn, but a probe for our address gets our answer.
        if (sender != 0 && sender != IPv4Address.Broadcast)
        {
            var waiting = Arp.Learn(sender, _arp.SenderHardwareAddress, now, forUs);
            if (waiting is not null)
            {
                if (_arp.Operation == ArpOperation.Reply) Counters.Increment(NetCounter.ArpRepliesReceived);
                while (waiting.Count > 0)
                {
                    byte[] queued = waiting.Dequeue();
                    EthernetHeader.SetDestination(queued, 0, _arp.SenderHardwareAddress, 0);
                    Emit(queued, queued.Length);
                }
            }
        }
        if (forUs && _arp.Operation == ArpOperation.Request)
        {
            Counters.Increment(NetCounter.ArpRequestsAnswered);
            byte[] requester = (byte[])_arp.SenderHardwareAddress.Clone();
            SendArp(ArpOperation.Reply, requester, sender, requester);
        }
    }

    void Announce(long now)
    {
        SendArp(ArpOperation.Request, BroadcastMac, Options.Address, null);
        _announcementsLeft--;
        _nextAnnounceAt = _announcementsLeft > 0 ? now + Options.ArpAnnounceIntervalMs : long.MaxValue;
    }

    // An ARP packet from us to ethernetDestination about target (target MAC zero in requests).
    void SendArp(ushort operation, byte[] ethernetDestination, uint target, byte[]? targetMac)
    {
        var arp = new ArpRepr { Operation = operation, SenderProtocolAddress = Options.Address, TargetProtocolAddress = target };
        _mac.CopyTo(arp.SenderHardwareAddress, 0);
        (targetMac ?? ZeroMac).CopyTo(arp.TargetHardwareAddress, 0);
        EthernetHeader.SetDestination(_tx, 0, ethernetDestination, 0);
        EthernetHeader.SetSource(_tx, 0, _mac, 0);
        EthernetHeader.SetEtherType(_tx, 0, EtherType.Arp);
        arp.Emit(_tx, EthernetHeader.Length);
        if (operation == ArpOperation.Request) Counters.Increment(NetCounter.ArpRequestsSent);
        Emit(_tx, EthernetHeader.Length + ArpPacket.Length);
    }
}
