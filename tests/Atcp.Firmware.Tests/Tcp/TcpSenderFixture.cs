using Atcp.Firmware.Tcp;

namespace Atcp.Firmware.Tests.Tcp;

/// <summary>Plans segments of the largest allowed size (no chunk grid).</summary>
sealed class WholePlanner : ISegmentPlanner
{
    public int PayloadLength(long streamOffset, int maxPayload) => maxPayload;
}

/// <summary>A sender plus helpers to drain segments and feed ACKs, on a virtual clock.</summary>
sealed class SenderHarness
{
    public const uint Iss = 0xFFFF_F000; // close to wrap on purpose
    public readonly TcpSender Sender = new();
    public long Now;
    readonly uint[] _left = new uint[4], _right = new uint[4];

    public SenderHarness(long total, int mss = 1460, ushort window = 65535, int scale = 0, int rttHint = 0, long initialWindow = 0)
    {
        Sender.Start(new WholePlanner(), Iss, total, mss, window, scale, rttHint, Now, initialWindow);
    }

    public uint Seq(long offset) => (uint)(Iss + (ulong)offset);

    /// <summary>Every segment the sender will send now.</summary>
    public List<(long Offset, int Length, bool Retx)> Drain(int max = 10_000)
    {
        var list = new List<(long, int, bool)>();
        while (list.Count < max && Sender.NextSegment(Now, out var o, out var l, out var r)) list.Add((o, l, r));
        return list;
    }

    public AckOutcome Ack(long offset, ushort window = 65535, params (long L, long R)[] sacks)
    {
        for (int i = 0; i < sacks.Length; i++) { _left[i] = Seq(sacks[i].L); _right[i] = Seq(sacks[i].R); }
        return Sender.OnAck(Seq(offset), window, _left, _right, sacks.Length, Now);
    }

    public void Advance(long ms) { Now += ms; Sender.OnTimer(Now); }
}
