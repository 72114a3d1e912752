using Atcp.Firmware.Board;

namespace Atcp.Firmware.Tests.Board;

/// <summary>When the NIC is the bottleneck (its buffer full every turn, as on a slow link), the
/// board's streams still take turns: none waits for another to finish.</summary>
public class BoardEngine_Fairness
{
    [Fact]
    public void NicFullEveryTurn_ThreeStreams_EachGetsAShareOfTheFrames()
    {
        var h = new BoardEngineHarness(("a.bin", 400_000), ("b.bin", 400_000), ("c.bin", 400_000));
        h.Send(h.Command(1, "a.bin", seq: 0, window: 65535));
        h.Send(h.Command(2, "b.bin", seq: 0, window: 65535));
        h.Send(h.Command(3, "c.bin", seq: 0, window: 65535));
        h.Poll(3);
        for (int turn = 0; turn < 60; turn++)
        {
            for (int s = 0; s < 3; s++) // the client acknowledges whatever each stream sent
            {
                var sender = h.Engine.StreamAt(s).Sender;
                if (sender.HighestSent > sender.Acknowledged) h.Ack((uint)(s + 1), (uint)sender.HighestSent);
            }
            h.Nic.Room = 2; // the link drains two frames per turn
            h.Poll();
        }

        long[] sent = Enumerable.Range(0, 3).Select(s => (long)h.Engine.StreamAt(s).Sender.HighestSent).ToArray();
        long total = sent.Sum();
        Assert.True(total > 100_000, "sent " + total);
        foreach (long one in sent) Assert.True(one * 5 > total, "shares " + string.Join(", ", sent));
    }
}
