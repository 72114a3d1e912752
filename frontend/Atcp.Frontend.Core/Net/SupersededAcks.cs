using Atcp.Wire;
using Atcp.Wire.Ethernet;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Net;

/// <summary>Among frames received together (one batch of the receive ring, in arrival order), finds
/// the pure ACKs that a later pure ACK of the same connection in the same batch makes redundant:
/// one acknowledging strictly more. A cumulative ACK says all an earlier one said, and the latest
/// window is the one that counts, so the stack takes only the last of each run. After a batching
/// pause a round holds several ACKs per connection (a client ACKs every second segment); handling
/// each one cost more than the rest of the round (see frontend/Atcp.Frontend/README.md).
/// Only frames that carry nothing else qualify, and only with valid checksums (a corrupt frame
/// never hides a good one): to the service MAC, IPv4 without options or fragments, to the service address, TCP with
/// the ACK flag alone, no options (so no SACK blocks: loss signals always get through), no payload.
/// An ACK repeating the number before it is a duplicate, a loss signal to the sender, and is
/// kept, as is an older ACK arriving late. Pure logic: frames in, marks out, nothing allocated per
/// batch.</summary>
public sealed class SupersededAcks
{
    const int TableSize = 256; // a power of two, several times the connections one batch touches
    const int MaxProbes = 8;   // beyond that a frame is simply not thinned

    readonly uint _address;
    readonly byte[] _mac;
    readonly Slot[] _slots = new Slot[TableSize];
    bool[] _superseded = new bool[1024]; // a loop round's most frames (FrontendLoop); grown if ever more
    uint _stamp;

    struct Slot
    {
        public uint Stamp, Source, Ack;
        public ushort SourcePort, DestinationPort;
        public int Index;
    }

    /// <summary>Thins ACKs sent to mac and address (the service IPv4 address, host order).</summary>
    public SupersededAcks(byte[] mac, uint address) { _mac = mac; _address = address; }

    /// <summary>Frames the last <see cref="Scan"/> marked.</summary>
    public int Count { get; private set; }

    /// <summary>True when frame index of the last <see cref="Scan"/> is a pure ACK that a later
    /// one of its connection supersedes.</summary>
    public bool IsSuperseded(int index) => index < _superseded.Length && _superseded[index];

    /// <summary>Marks the superseded ACKs among frames[i][0 .. lengths[i]).</summary>
    public void Scan(ReadOnlySpan<byte[]> frames, ReadOnlySpan<int> lengths)
    {
        if (frames.Length > _superseded.Length) _superseded = new bool[Math.Max(frames.Length, _superseded.Length * 2)];
        Array.Clear(_superseded, 0, frames.Length);
        Count = 0;
        if (++_stamp == 0) { Array.Clear(_slots); _stamp = 1; } // stamp 0 marks a free slot
        for (int i = 0; i < frames.Length; i++) Note(frames[i], lengths[i], i);
    }

    const int Ip = EthernetHeader.Length;
    const int Tcp = Ip + 20;
    const int PureAckLength = 20 + TcpHeader.MinLength; // IPv4 total length of a bare ACK
    const byte AckOnly = 0x10;

    void Note(byte[] f, int length, int index)
    {
        if (length < Tcp + TcpHeader.MinLength || EthernetHeader.GetEtherType(f, 0) != EtherType.IPv4) return;
        if (!MacAddress.Equal(f, EthernetHeader.DestinationOffset, _mac, 0)) return;
        if (f[Ip] != 0x45 || IPv4Header.GetTotalLength(f, Ip) != PureAckLength || IPv4Header.IsFragment(f, Ip)) return;
        if (IPv4Header.GetProtocol(f, Ip) != IpProtocol.Tcp || IPv4Header.GetDestination(f, Ip) != _address) return;
        if (TcpHeader.GetHeaderLength(f, Tcp) != TcpHeader.MinLength || TcpHeader.GetFlags(f, Tcp) != AckOnly) return;
        uint source = IPv4Header.GetSource(f, Ip);
        if (!IPv4Header.VerifyChecksum(f, Ip) || !TcpHeader.VerifyChecksum(source, _address, f, Tcp, TcpHeader.MinLength)) return;

        ushort sourcePort = TcpHeader.GetSourcePort(f, Tcp), destinationPort = TcpHeader.GetDestinationPort(f, Tcp);
        uint ack = TcpHeader.GetAcknowledgmentNumber(f, Tcp);
        uint hash = (source * 0x9E3779B1u) ^ ((uint)sourcePort << 16 | destinationPort) * 0x85EBCA77u;
        for (int probe = 0; probe < MaxProbes; probe++)
        {
            ref Slot s = ref _slots[(int)((hash >> 24) + (uint)probe) & (TableSize - 1)];
            if (s.Stamp != _stamp)
            {
                s = new Slot { Stamp = _stamp, Source = source, SourcePort = sourcePort, DestinationPort = destinationPort, Ack = ack, Index = index };
                return;
            }
            if (s.Source != source || s.SourcePort != sourcePort || s.DestinationPort != destinationPort) continue;
            if ((int)(ack - s.Ack) > 0)
            {
                _superseded[s.Index] = true;
                Count++;
            }
            s.Ack = ack;
            s.Index = index;
            return;
        }
    }
}
