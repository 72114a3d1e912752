using Atcp.Wire.Atcp;

namespace Atcp.Wire.Tests.Atcp;

/// <summary>Anti-replay: each counter is accepted once per sender, within a 64-counter window
/// below the highest seen; a new boot epoch starts a fresh window; only authentic frames count.</summary>
public class AtcpReplayWindowTests
{
    static ulong C(uint epoch, uint count) => ((ulong)epoch << 32) | count;

    static ParseStatus Offer(AtcpReplayWindow w, ushort sender, ulong counter)
    {
        var s = w.Check(sender, counter);
        if (s == ParseStatus.Ok) w.Accept(sender, counter);
        return s;
    }

    [Fact]
    public void Counter_SeenTwice_IsReplayedTheSecondTime()
    {
        var w = new AtcpReplayWindow(4);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 10)));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 10)));
    }

    [Fact]
    public void Counters_ReorderedWithinTheWindow_AreEachAcceptedOnce()
    {
        var w = new AtcpReplayWindow(4);
        foreach (uint n in new uint[] { 10, 7, 9, 8, 12, 11 }) Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, n)));
        foreach (uint n in new uint[] { 7, 8, 9, 10, 11, 12 }) Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, n)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 6)));
        Assert.Equal(C(1, 12), w.HighestCounter(1));
    }

    [Fact]
    public void Counter_64OrMoreBelowTheHighest_IsTooOld()
    {
        var w = new AtcpReplayWindow(4);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 100)));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 36)));  // 64 behind
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 37)));        // 63 behind: last slot of the window
    }

    [Fact]
    public void Window_SlidingFar_ForgetsOldBitsButStillRefusesOldCounters()
    {
        var w = new AtcpReplayWindow(4);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 150)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 200)));  // shift 50: 150 still marked
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 150)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 1000))); // shift >= 64: map restarts
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 950)));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 200)));
    }

    [Fact]
    public void NewBootEpoch_ResetsTheWindowAndOldEpochIsRefused()
    {
        var w = new AtcpReplayWindow(4);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 5000)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(2, 0)));     // the sender restarted
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(2, 0)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(2, 1)));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 5001))); // a frame of the previous boot
        Assert.Equal(ParseStatus.Replayed, Offer(w, 1, C(1, 4999)));
    }

    [Fact]
    public void Senders_HaveIndependentWindows()
    {
        var w = new AtcpReplayWindow(4);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, C(1, 10)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 2, C(1, 10)));
        Assert.Equal(ParseStatus.Ok, Offer(w, 3, C(1, 3)));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 2, C(1, 10)));
        Assert.Equal(3, w.Count);
    }

    [Fact]
    public void Table_WhenFull_RefusesNewSendersUntilOneIsForgotten()
    {
        var w = new AtcpReplayWindow(2);
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, 1));
        Assert.Equal(ParseStatus.Ok, Offer(w, 2, 1));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 3, 1));
        Assert.Equal(ParseStatus.Ok, Offer(w, 1, 2));
        w.Forget(1);
        Assert.False(w.Knows(1));
        Assert.Equal(ParseStatus.Ok, Offer(w, 3, 1));
        Assert.True(w.Knows(2) && w.Knows(3));
        Assert.Equal(ParseStatus.Replayed, Offer(w, 2, 1));
    }

    [Fact]
    public void Reader_SameFrameTwice_IsReplayed()
    {
        var frame = AtcpFrames.Seal(AtcpGolden.ClientAckRepr());
        var reader = AtcpFrames.BoardReader();
        Assert.Equal(ParseStatus.Ok, reader.Read(frame, 0, frame.Length));
        Assert.Equal(ParseStatus.Replayed, reader.Read(frame, 0, frame.Length));
    }

    [Fact]
    public void Reader_ReorderedFrames_AreAcceptedOnceEach()
    {
        var writer = AtcpFrames.FrontEndWriter();
        var frames = Enumerable.Range(0, 5).Select(_ => AtcpFrames.Seal(AtcpGolden.ClientAckRepr(), writer)).ToList();
        var reader = AtcpFrames.BoardReader();
        foreach (var i in new[] { 4, 0, 2, 1, 3 }) Assert.Equal(ParseStatus.Ok, reader.Read(frames[i], 0, frames[i].Length));
        foreach (var f in frames) Assert.Equal(ParseStatus.Replayed, reader.Read(f, 0, f.Length));
    }

    [Fact]
    public void Reader_ForgedFrameWithHighCounter_DoesNotMoveTheWindow()
    {
        var writer = AtcpFrames.FrontEndWriter();
        var first = AtcpFrames.Seal(AtcpGolden.ClientAckRepr(), writer);
        var forged = AtcpFrames.Seal(AtcpGolden.ClientAckRepr(), writer);
        AtcpHeader.SetCounter(forged, AtcpFrame.HeaderOffset, ulong.MaxValue);
        var reader = AtcpFrames.BoardReader();
        Assert.Equal(ParseStatus.BadTag, reader.Read(forged, 0, forged.Length));
        Assert.Equal(ParseStatus.Ok, reader.Read(first, 0, first.Length));
        Assert.Equal(((ulong)3 << 32) | 0, reader.ReplayWindow.HighestCounter(0));
    }

    [Fact]
    public void Reader_BoardRestart_IsAcceptedAndItsOldFramesAreNot()
    {
        var reader = AtcpFrames.FrontEndReader();
        var beforeRestart = AtcpFrames.Seal(AtcpGolden.DoneRepr(), AtcpFrames.BoardWriter(epoch: 5));
        var afterRestart = AtcpFrames.Seal(AtcpGolden.HelloRepr(), AtcpFrames.BoardWriter(epoch: 6));
        Assert.Equal(ParseStatus.Ok, reader.Read(beforeRestart, 0, beforeRestart.Length));
        Assert.Equal(ParseStatus.Ok, reader.Read(afterRestart, 0, afterRestart.Length));
        var lateOldFrame = AtcpFrames.Seal(AtcpGolden.DoneRepr(), AtcpFrames.BoardWriter(epoch: 5));
        Assert.Equal(ParseStatus.Replayed, reader.Read(lateOldFrame, 0, lateOldFrame.Length));
    }
}
