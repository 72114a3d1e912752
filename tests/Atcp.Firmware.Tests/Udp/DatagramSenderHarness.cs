using Atcp.Firmware.Udp;

namespace Atcp.Firmware.Tests.Udp;

/// <summary>A datagram sender on a virtual clock, with helpers to drain what it sends and to feed
/// acknowledgements by block number.</summary>
sealed class DatagramSenderHarness
{
    public readonly DatagramSender Sender = new();
    public long Now;

    public DatagramSenderHarness(long total, int blockSize = 512, int window = 1, uint firstBlock = 1, int timeoutMs = 1000,
        int maxRetransmissions = 3, bool tftp = true)
    {
        Assert.True(Sender.Start(total, blockSize, window, firstBlock, timeoutMs, maxRetransmissions, tftp, Now));
    }

    /// <summary>Every datagram the sender will send now.</summary>
    public List<(uint Block, long Offset, int Length, bool Retx)> Drain(int max = 100_000)
    {
        var list = new List<(uint, long, int, bool)>();
        while (list.Count < max && Sender.NextBlock(Now, out var b, out var o, out var l, out var r)) list.Add((b, o, l, r));
        return list;
    }

    public DatagramAckOutcome Ack(uint block) => Sender.OnAck(block, Now);

    public void Advance(long ms) { Now += ms; Sender.OnTimer(Now); }

    /// <summary>Sends windows and acknowledges each one's last block until the stream ends.</summary>
    public List<(uint Block, long Offset, int Length, bool Retx)> RunToEnd()
    {
        var all = new List<(uint, long, int, bool)>();
        while (Sender.State == Firmware.Tcp.SenderState.Sending)
        {
            var window = Drain();
            Assert.NotEmpty(window);
            all.AddRange(window);
            Ack(window[^1].Block);
        }
        return all;
    }
}
