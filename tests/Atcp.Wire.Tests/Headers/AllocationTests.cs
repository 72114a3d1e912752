using Atcp.TestSupport;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;
using Atcp.Wire.Icmp;
using Atcp.Wire.IPv4;
using Atcp.Wire.Tcp;
using Atcp.Wire.Tests.Golden;
using Atcp.Wire.Udp;

namespace Atcp.Wire.Tests.Headers;

/// <summary>The board's heap is small and its collector slow: parsing and emitting with reused
/// Repr instances must not allocate. Measured on the host runtime as a proxy.</summary>
public class AllocationTests
{
    readonly EthernetRepr eth = new();
    readonly ArpRepr arp = new();
    readonly IPv4Repr ip = new();
    readonly IcmpRepr icmp = new();
    readonly TcpRepr tcp = new();
    readonly UdpRepr udp = new();
    readonly byte[] output = new byte[1514];
    static readonly byte[][] Frames = [GoldenFrames.ArpRequest, GoldenFrames.IcmpEchoRequest, GoldenFrames.TcpSyn, GoldenFrames.TcpData, GoldenFrames.Udp, GoldenFrames.IcmpFragmentationNeeded];

    void RoundTripAll()
    {
        foreach (var frame in Frames)
        {
            eth.Parse(frame, 0, frame.Length);
            eth.Emit(output, 0);
            if (eth.EtherType == EtherType.Arp)
            {
                arp.Parse(frame, 14, frame.Length - 14);
                arp.Emit(output, 14);
                continue;
            }
            ip.Parse(frame, 14, frame.Length - 14);
            ip.Emit(output, 14);
            int l4 = 14 + ip.Length;
            switch (ip.Protocol)
            {
                case IpProtocol.Tcp:
                    tcp.Parse(frame, l4, ip.PayloadLength, ip.Source, ip.Destination);
                    tcp.Emit(output, l4);
                    TcpHeader.FillChecksum(ip.Source, ip.Destination, output, l4, tcp.Length, tcp.PayloadLength, 0x1234);
                    break;
                case IpProtocol.Udp:
                    udp.Parse(frame, l4, ip.PayloadLength, ip.Source, ip.Destination);
                    udp.Emit(output, l4);
                    UdpHeader.FillChecksum(ip.Source, ip.Destination, output, l4, udp.PayloadLength, 0x1234);
                    break;
                default:
                    icmp.Parse(frame, l4, ip.PayloadLength);
                    icmp.Emit(output, l4);
                    IcmpHeader.TurnEchoRequestIntoReply(output, l4);
                    break;
            }
        }
    }

    [Fact]
    public void ParseAndEmit_WithReusedReprs_AllocateNothing()
    {
        Assert.Equal(0, Allocations.PerRun(RoundTripAll));
    }
}
