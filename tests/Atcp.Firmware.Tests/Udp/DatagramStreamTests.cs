using Atcp.Firmware.Tcp;
using Atcp.Firmware.Tests.Tcp;
using Atcp.Firmware.Udp;
using Atcp.Wire;
using Atcp.Wire.Atcp;
using static Atcp.Firmware.Tests.Udp.UdpStreamKit;

namespace Atcp.Firmware.Tests.Udp;

public class DatagramStream_Start
{
    static MemoryPayloadSource Object(int size) => new(new byte[size], 0);

    [Fact]
    public void ValidCommand_IsAcceptedAndFillsTheTemplate()
    {
        var s = new DatagramStream();
        Assert.True(s.IsFree);
        Assert.Equal(AtcpServiceStatus.Accepted, s.Start(Command(1460, 16), BoardMac, Object(10_000), 500));
        Assert.False(s.IsFree);
        Assert.Equal(46, s.HeaderLength);
        Assert.Equal(10_000, s.RangeLength);
        Assert.Equal(500, s.StartedAt);
        Assert.Equal(16, s.Sender.WindowSize);
        Assert.Equal(1u, s.Sender.FirstBlock);
        Assert.Equal(7, s.Sender.BlockCount); // 6 full blocks and 1240 bytes
        Assert.Equal(BoardMac, s.HeaderTemplate.Skip(6).Take(6));
        Assert.Equal(ServiceIp, NetworkOrder.ReadUInt32(s.HeaderTemplate, 26));
        Assert.Equal(TransferPort, NetworkOrder.ReadUInt16(s.HeaderTemplate, 34));
        Assert.Equal(3, NetworkOrder.ReadUInt16(s.HeaderTemplate, 42));
    }

    [Fact]
    public void RawFraming_UsesTheShortHeader()
    {
        var s = new DatagramStream();
        Assert.Equal(AtcpServiceStatus.Accepted, s.Start(Command(1472, framing: AtcpDatagramFraming.Raw), BoardMac, Object(100), 0));
        Assert.Equal(42, s.HeaderLength);
    }

    [Fact]
    public void UnknownFraming_IsUnsupported()
    {
        var s = new DatagramStream();
        Assert.Equal(AtcpServiceStatus.UnsupportedOpcode, s.Start(Command(512, framing: (AtcpDatagramFraming)9), BoardMac, Object(100), 0));
        Assert.True(s.IsFree);
    }

    [Theory]
    [InlineData(101UL, AtcpStream.RangeToEnd)]
    [InlineData(0UL, 101UL)]
    [InlineData(50UL, 51UL)]
    [InlineData(ulong.MaxValue, 1UL)]
    public void RangeOutsideTheObject_IsBadRange(ulong offset, ulong length)
    {
        var s = new DatagramStream();
        Assert.Equal(AtcpServiceStatus.BadRange, s.Start(Command(512, rangeOffset: offset, rangeLength: length), BoardMac, Object(100), 0));
        Assert.True(s.IsFree);
    }

    [Fact]
    public void RangeAtTheObjectsEnd_IsOneEmptyTftpBlock()
    {
        var s = new DatagramStream();
        Assert.Equal(AtcpServiceStatus.Accepted, s.Start(Command(512, rangeOffset: 100), BoardMac, Object(100), 0));
        Assert.Equal(1, s.Sender.BlockCount);
    }

    [Fact]
    public void Release_FreesTheSlot()
    {
        var s = new DatagramStream();
        s.Start(Command(512), BoardMac, Object(100), 0);
        s.Release();
        Assert.True(s.IsFree);
        Assert.Null(s.Source);
        Assert.Equal(SenderState.Idle, s.Sender.State);
    }
}
