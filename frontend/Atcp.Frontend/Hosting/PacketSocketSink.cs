using Atcp.Frontend.Engine;
using Atcp.Linux;

namespace Atcp.Frontend.Hosting;

/// <summary>The engine's output over the packet socket's transmit queue; the loop flushes it with
/// sendmmsg() once per round.</summary>
public sealed class PacketSocketSink(PacketSocket socket) : IFrameSink
{
    long _drops;

    /// <inheritdoc />
    public int MaxFrameLength => socket.MaxFrameLength;

    /// <summary>Frames dropped because the queue was full and the kernel took nothing.</summary>
    public long Drops => Volatile.Read(ref _drops);

    /// <inheritdoc />
    public bool Send(ReadOnlySpan<byte> frame)
    {
        if (socket.Enqueue(frame)) return true;
        _drops++;
        return false;
    }
}
