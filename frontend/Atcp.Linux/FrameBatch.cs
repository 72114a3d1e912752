using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Atcp.Linux;

/// <summary>A caller-owned set of frame buffers for batch receive and transmit: Capacity buffers of
/// FrameCapacity bytes each, the first Count of them holding frames. The buffers live on the
/// pinned object heap, so <see cref="PacketSocket.TransmitBatch"/> hands them to sendmmsg() without
/// copying; allocate a batch once and reuse it.</summary>
public sealed class FrameBatch
{
    readonly byte[][] _buffers;
    readonly int[] _lengths;

    /// <summary>Allocates capacity buffers of frameCapacity bytes.</summary>
    public FrameBatch(int capacity, int frameCapacity = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCapacity, 14);
        Capacity = capacity;
        FrameCapacity = frameCapacity;
        _buffers = new byte[capacity][];
        _lengths = new int[capacity];
        for (int i = 0; i < capacity; i++)
            _buffers[i] = GC.AllocateUninitializedArray<byte>(frameCapacity, pinned: true);
    }

    /// <summary>Number of buffers.</summary>
    public int Capacity { get; }

    /// <summary>Bytes per buffer.</summary>
    public int FrameCapacity { get; }

    /// <summary>Frames held (buffers 0 .. Count - 1).</summary>
    public int Count { get; private set; }

    /// <summary>True when every buffer holds a frame.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>The buffer of frame index (its first <see cref="Length"/> bytes are the frame).</summary>
    public byte[] Buffer(int index) => _buffers[index];

    /// <summary>Length of frame index.</summary>
    public int Length(int index) => _lengths[index];

    /// <summary>The buffers of the frames held, in order (each frame is the first
    /// <see cref="Lengths"/>[i] bytes of its buffer).</summary>
    public ReadOnlySpan<byte[]> Buffers => _buffers.AsSpan(0, Count);

    /// <summary>The lengths of the frames held, in order.</summary>
    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

    /// <summary>Frame index as a span.</summary>
    public ReadOnlySpan<byte> Frame(int index) => _buffers[index].AsSpan(0, _lengths[index]);

    /// <summary>Forgets all frames (buffers are kept).</summary>
    public void Clear() => Count = 0;

    /// <summary>Copies a frame in; false when the batch is full or the frame does not fit a buffer.</summary>
    public bool Add(ReadOnlySpan<byte> frame)
    {
        if (Count == Capacity || frame.Length > FrameCapacity) return false;
        frame.CopyTo(_buffers[Count]);
        _lengths[Count++] = frame.Length;
        return true;
    }

    /// <summary>Claims the next buffer for a frame of length bytes the caller writes itself; returns
    /// its index, or -1 when the batch is full.</summary>
    public int Append(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, FrameCapacity);
        if (Count == Capacity) return -1;
        _lengths[Count] = length;
        return Count++;
    }

    /// <summary>Drops the first count frames, moving the rest to the front (buffer swaps, no copy).</summary>
    public void RemoveFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        if (count == 0) return;
        int remaining = Count - count;
        for (int i = 0; i < remaining; i++)
        {
            (_buffers[i], _buffers[i + count]) = (_buffers[i + count], _buffers[i]);
            _lengths[i] = _lengths[i + count];
        }
        Count = remaining;
    }

    internal void SetLength(int index, int length) => _lengths[index] = length;

    internal void SetCount(int count) => Count = count;

    internal unsafe byte* Address(int index) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers[index]));
}
