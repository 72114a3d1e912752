using Atcp.Linux.Native;

namespace Atcp.Linux.Tests.PacketSockets;

/// <summary>The P/Invoke structs have the sizes of the C structs on LP64 (x86-64 and arm64):
/// a wrong size would make the kernel read the wrong bytes.</summary>
public sealed class NativeLayoutTests
{
    [Fact]
    public unsafe void Structs_MatchTheLp64CLayouts()
    {
        Assert.Equal(20, sizeof(SockaddrLl));
        Assert.Equal(16, sizeof(TpacketReq));
        Assert.Equal(8, sizeof(TpacketStats));
        Assert.Equal(16, sizeof(PacketMreq));
        Assert.Equal(8, sizeof(PollFd));
        Assert.Equal(16, sizeof(Timespec));
        Assert.Equal(16, sizeof(IoVec));
        Assert.Equal(56, sizeof(MsgHdr));
        Assert.Equal(64, sizeof(MMsgHdr));
    }

    [Fact]
    public unsafe void MsgHdr_FieldsSitAtTheCOffsets()
    {
        var h = new MsgHdr();
        byte* b = (byte*)&h;
        Assert.Equal(8, (byte*)&h.NameLength - b);
        Assert.Equal(16, (byte*)&h.Iov - b);
        Assert.Equal(24, (byte*)&h.IovLength - b);
        Assert.Equal(32, (byte*)&h.Control - b);
        Assert.Equal(40, (byte*)&h.ControlLength - b);
        Assert.Equal(48, (byte*)&h.Flags - b);
        var m = new MMsgHdr();
        Assert.Equal(56, (byte*)&m.Length - (byte*)&m);
    }
}
