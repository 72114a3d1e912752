using Atcp.Linux;
using Atcp.Linux.Tests.Support;
using Atcp.Wire;
using Atcp.Wire.Arp;
using Atcp.Wire.Ethernet;

namespace Atcp.Linux.Tests.PacketSockets;

/// <summary>The packet socket against the kernel's own stack on the other veth end.</summary>
public sealed class KernelInteropTests : IDisposable
{
    const uint KernelAddress = 0xC612_0002; // 198.18.0.2, on veth-b
    const uint OurAddress = 0xC612_0001;    // 198.18.0.1, owned by nobody's kernel
    readonly VethLink _link = new();

    public KernelInteropTests() => _link.Right.AddAddress(_link.RightName, "198.18.0.2/24");

    public void Dispose() => _link.Dispose();

    [Fact]
    public void ArpRequest_ForKernelOwnedAddress_GetsTheKernelsReply()
    {
        using var socket = _link.OpenLeft();
        byte[] ourMac = socket.MacAddress;
        var request = new byte[60]; // padded to the Ethernet minimum, as a NIC would
        var ethernet = new EthernetRepr { EtherType = EtherType.Arp };
        Frames.Broadcast.CopyTo(ethernet.Destination, 0);
        ourMac.CopyTo(ethernet.Source, 0);
        ethernet.Emit(request, 0);
        var arp = new ArpRepr { Operation = ArpOperation.Request, SenderProtocolAddress = OurAddress, TargetProtocolAddress = KernelAddress };
        ourMac.CopyTo(arp.SenderHardwareAddress, 0);
        arp.Emit(request, EthernetHeader.Length);

        Assert.True(socket.Transmit(request));
        var replies = Collect.Frames(socket, 1, 3000, f => EthernetHeader.GetEtherType(f, 0) == EtherType.Arp);

        var frame = Assert.Single(replies);
        var reply = new ArpRepr();
        Assert.Equal(ParseStatus.Ok, reply.Parse(frame, EthernetHeader.Length, frame.Length - EthernetHeader.Length));
        Assert.Equal(ArpOperation.Reply, reply.Operation);
        Assert.Equal(KernelAddress, reply.SenderProtocolAddress);
        Assert.Equal(OurAddress, reply.TargetProtocolAddress);
        Assert.Equal(ourMac, reply.TargetHardwareAddress);
        string kernelMac = _link.Right.Exec("cat", "/sys/class/net/veth-b/address").StandardOutput.Trim();
        Assert.Equal(kernelMac, string.Join(':', reply.SenderHardwareAddress.Select(b => b.ToString("x2"))));
        Assert.Equal(ourMac, frame[..6]);
    }

    [Fact]
    public async Task KernelDatagram_ToAnAddressWeDoNotOwn_ReachesUsAsArpRequest()
    {
        using var socket = _link.OpenLeft();

        // A UDP datagram from the kernel side (bash's /dev/udp): the kernel must resolve 198.18.0.1 first.
        var ping = Task.Run(() => _link.Right.Exec("bash", "-c", "echo hello > /dev/udp/198.18.0.1/9"));
        var got = Collect.Frames(socket, 1, 3000, f => EthernetHeader.GetEtherType(f, 0) == EtherType.Arp);
        await ping;

        var arp = new ArpRepr();
        var frame = Assert.Single(got);
        Assert.Equal(ParseStatus.Ok, arp.Parse(frame, EthernetHeader.Length, frame.Length - EthernetHeader.Length));
        Assert.Equal(ArpOperation.Request, arp.Operation);
        Assert.Equal(OurAddress, arp.TargetProtocolAddress);
        Assert.Equal(KernelAddress, arp.SenderProtocolAddress);
    }
}
