using Atcp.Wire.Atcp;

namespace Atcp.Firmware.Tests.Board;

/// <summary>The board tells the front-end its congestion window (SERVICE_ACK, SPEC 5.3): in every
/// report, and in an extra one when the window doubled or was cut, so the front-end never holds
/// back more client ACKs than the board can send without (SPEC 6.1).</summary>
public class BoardEngine_WindowReports
{
    static List<AtcpServiceAckRepr> Reports(BoardEngineHarness h) =>
        h.Take().Atcp.Where(m => m.Type == AtcpMessageType.ServiceAck).Select(BoardEngineHarness.ServiceAck).ToList();

    [Fact]
    public void Accepted_CarriesTheInitialWindow()
    {
        var h = new BoardEngineHarness(("a.bin", 200_000));
        h.Send(h.Command(1, "a.bin", seq: 1000));
        h.Poll();

        var accepted = Reports(h).Single();
        Assert.Equal(AtcpServiceStatus.Accepted, accepted.Status);
        Assert.Equal(4380u, accepted.CongestionWindow); // RFC 3390 at MSS 1460
    }

    [Fact]
    public void SlowStart_BelowTheFloor_DoublingIsNotReported_TheFrontEndFollowsItAlone()
    {
        var h = new BoardEngineHarness(("a.bin", 200_000));
        h.Send(h.Command(1, "a.bin", seq: 1000));
        h.Poll();
        h.Take();

        h.Ack(1, 1000 + 4380); // the whole initial window: cwnd 8760 (byte counting), twice 4380
        h.Poll();
        Assert.Empty(Reports(h));
    }

    [Fact]
    public void SlowStart_WindowDoubledPastTheFloor_IsReported_OnceEachTime()
    {
        var h = new BoardEngineHarness(("a.bin", 600_000));
        h.Send(h.Command(1, "a.bin", seq: 1000, window: 65535));
        h.Poll();
        h.Take();
        var reports = new List<AtcpServiceAckRepr>();
        for (int i = 0; i < 6 && reports.Count == 0; i++) // slow start: everything sent is acknowledged
        {
            h.Ack(1, 1000 + (uint)h.Engine.StreamAt(0).Sender.HighestSent);
            h.Poll(3);
            reports.AddRange(Reports(h));
        }
        var first = reports.Single();
        Assert.Equal(AtcpServiceStatus.InProgress, first.Status);
        Assert.True(first.CongestionWindow >= AtcpServiceAck.GrowthReportFloor, "reported " + first.CongestionWindow);

        h.Ack(1, 1000 + (uint)h.Engine.StreamAt(0).Sender.Acknowledged + 1460); // grows, not to twice
        h.Poll();
        Assert.Empty(Reports(h));
    }

    [Fact]
    public void LossRecovery_CutWindow_IsReported()
    {
        var h = new BoardEngineHarness(("a.bin", 400_000));
        h.Send(h.Command(1, "a.bin", seq: 1000, window: 65535));
        h.Poll();
        h.Take();
        uint acked = 1000;
        var reports = new List<AtcpServiceAckRepr>();
        for (int i = 0; i < 6; i++) // slow start past the report floor: everything sent is acknowledged
        {
            acked = 1000 + (uint)h.Engine.StreamAt(0).Sender.HighestSent;
            h.Ack(1, acked);
            h.Poll(3);
            reports.AddRange(Reports(h));
        }
        long before = reports.Last().CongestionWindow;
        Assert.True(before >= 4 * 4380, "slow start reported " + before);
        acked = 1000 + (uint)h.Engine.StreamAt(0).Sender.Acknowledged;

        // The segment at `acked` was lost: SACKs for the three after it.
        for (int k = 1; k <= 3; k++) h.Ack(1, acked, 65535, (acked + 1460, acked + 1460 + 1460u * (uint)k));
        h.Poll();

        var cut = Reports(h).Single();
        Assert.True(cut.CongestionWindow * 4 < before * 3, cut.CongestionWindow + " after " + before);
    }
}
