using Atcp.Frontend.Net;
using Atcp.Wire.Tcp;

namespace Atcp.Frontend.Tests.Net;

/// <summary>Within one receive batch, a pure ACK that a later pure ACK of the same connection
/// acknowledging more supersedes is skipped (counted); everything that carries anything else, or
/// could be a loss signal, still reaches the stack.</summary>
public sealed class SupersededAckTests
{
    readonly NetHarness _h = new();
    readonly SupersededAcks _acks = new(NetHarness.ServiceMac, NetHarness.ServiceIp);

    bool[] Marks(params byte[][] frames)
    {
        _acks.Scan(frames, frames.Select(f => f.Length).ToArray());
        return Enumerable.Range(0, frames.Length).Select(_acks.IsSuperseded).ToArray();
    }

    byte[] Ack(TestClient c, uint ack, ushort window = 65535) => c.Frame(TcpFlags.Ack, c.Seq, ack, window: window);

    [Fact]
    public void RunOfRisingAcks_OnlyTheLastStays()
    {
        var c = _h.Client(10);

        Assert.Equal([true, true, false], Marks(Ack(c, 1000), Ack(c, 2000), Ack(c, 3000, window: 0)));
        Assert.Equal(2, _acks.Count);
    }

    [Fact]
    public void RepeatedAckNumber_IsADuplicate_AndStays()
    {
        var c = _h.Client(10);

        Assert.Equal([false, false], Marks(Ack(c, 1000), Ack(c, 1000)));
    }

    [Fact]
    public void OlderAckArrivingLate_Stays()
    {
        var c = _h.Client(10);

        Assert.Equal([false, false], Marks(Ack(c, 2000), Ack(c, 1000)));
    }

    [Fact]
    public void AcksAcrossTheSequenceWrap_CompareBySequenceSpace()
    {
        var c = _h.Client(10);

        Assert.Equal([true, false], Marks(Ack(c, 0xFFFF_FF00), Ack(c, 0x0000_0100)));
    }

    [Fact]
    public void ConnectionsAreIndependent()
    {
        var a = _h.Client(10, 40000);
        var b = _h.Client(10, 40001);
        var other = _h.Client(11, 40000);

        Assert.Equal([false, false, false, false], Marks(Ack(a, 1000), Ack(b, 2000), Ack(other, 3000), Ack(a, 500)));
    }

    [Fact]
    public void SegmentsCarryingMore_NeitherSupersedeNorAreSuperseded()
    {
        var c = _h.Client(10);
        byte[] sack = c.Frame(TcpFlags.Ack, c.Seq, 1000, configure: t => { t.SackBlockCount = 1; t.SackLeft[0] = 3000; t.SackRight[0] = 4000; });
        byte[] data = c.Frame(TcpFlags.Ack | TcpFlags.Psh, c.Seq, 1500, "GET / HTTP/1.1\r\n\r\n");
        byte[] fin = c.Frame(TcpFlags.Ack | TcpFlags.Fin, c.Seq, 1600);

        Assert.Equal([false, false, false, false, false], Marks(sack, Ack(c, 1200), data, fin, Ack(c, 1100)));
        Assert.Equal([false, false, false], Marks(Ack(c, 1000), sack, Ack(c, 900)));
    }

    [Fact]
    public void CorruptLaterAck_HidesNothing()
    {
        var c = _h.Client(10);
        byte[] corrupt = Ack(c, 5000);
        corrupt[^1] ^= 0x01; // the TCP checksum no longer holds

        Assert.Equal([false, false], Marks(Ack(c, 1000), corrupt));
    }

    [Fact]
    public void AckForAnotherAddress_IsLeftToTheStack()
    {
        var c = _h.Client(10);
        byte[] elsewhere = Ack(c, 1000);
        elsewhere[14 + 19] ^= 0x01; // destination IPv4 changed (the checksums no longer hold either)

        Assert.Equal([false, false], Marks(elsewhere, Ack(c, 2000)));
    }

    [Fact]
    public void Stack_SkipsSupersededAcks_CountsThem_AndTheOwnerSeesTheLatest()
    {
        var c = _h.Client(10);
        var connection = c.Connect();
        c.Send("GET / HTTP/1.1\r\n\r\n");
        connection.Consume(connection.Available, _h.Now);
        var owner = new RecordingOwner();
        Assert.True(connection.TryBeginDelegatedReply(owner, _h.Now, out var reply));
        uint start = reply.Sequence;
        connection.SetDelegatedSize(start, 100_000, _h.Now);
        _h.Segments();
        long before = _h.Stack.Counters[NetCounter.TcpSegmentsReceived];
        byte[][] batch = [Ack(c, start + 1460), Ack(c, start + 2920), Ack(c, start + 4380)];

        var routed = new List<byte[]>();
        _h.Stack.OnFrames(batch, batch.Select(f => f.Length).ToArray(), _h.Now, (f, n, now) => { routed.Add(f); _h.Stack.OnFrame(f, n, now); });

        Assert.Equal([batch[2]], routed);
        Assert.Equal(2, _h.Stack.Counters[NetCounter.TcpAcksSuperseded]);
        Assert.Equal(before + 3, _h.Stack.Counters[NetCounter.TcpSegmentsReceived]);
        Assert.Equal(start + 4380, Assert.Single(owner.Acks).AckNumber);
    }
}
