using Atcp.Wire;
using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>SERVICE_ACK carries the board's congestion window in its 24-bit field (SPEC 5.3): sent
/// big-endian, read back exactly, clamped rather than wrapped when larger, 0 meaning "not reported".</summary>
public class AtcpServiceAckWindowTests
{
    static AtcpServiceAckRepr RoundTrip(uint window, out byte[] body)
    {
        var m = new AtcpServiceAckRepr { StreamId = 9, Status = AtcpServiceStatus.InProgress, ReplySize = 100, BytesSent = 50, BytesAcknowledged = 10, CongestionWindow = window };
        body = new byte[AtcpServiceAck.Length];
        m.Emit(body, 0);
        var back = new AtcpServiceAckRepr();
        Assert.Equal(ParseStatus.Ok, back.Parse(body, 0, body.Length));
        return back;
    }

    [Fact]
    public void Window_IsSentBigEndianAtOffsetFive_AndReadBack()
    {
        var back = RoundTrip(0x012345, out byte[] body);

        Assert.Equal(new byte[] { 0x01, 0x23, 0x45 }, body[5..8]);
        Assert.Equal(0x012345u, back.CongestionWindow);
        Assert.Equal(AtcpServiceStatus.InProgress, back.Status); // the status byte before it is untouched
        Assert.Equal(100ul, back.ReplySize);
    }

    [Fact]
    public void Window_LargerThan24Bits_IsSentAsTheMaximum()
    {
        Assert.Equal(AtcpServiceAck.MaxCongestionWindow, RoundTrip(50_000_000, out _).CongestionWindow);
    }

    [Fact]
    public void Window_NotReported_IsZeroOnTheWire()
    {
        RoundTrip(0, out byte[] body);
        Assert.Equal(new byte[3], body[5..8]);
    }
}
