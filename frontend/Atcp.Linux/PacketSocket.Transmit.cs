using System.Runtime.InteropServices;
using Atcp.Linux.Native;

namespace Atcp.Linux;

// Transmit path: send() for single frames, sendmmsg() for batches. sendmmsg rather than a
// PACKET_TX_RING: it needs no second mapping or slot bookkeeping, goes through the qdisc like
// send() (so tc shaping and backpressure apply), and already makes one system call per batch.
// All sends use MSG_DONTWAIT: a full socket buffer or qdisc (EAGAIN, ENOBUFS) is reported to the
// caller, never waited for on the data path.
public sealed unsafe partial class PacketSocket
{
    FrameBatch _pending = null!;
    MMsgHdr* _messages;
    IoVec* _vectors;
    int _vectorCapacity;

    void SetUpTransmit()
    {
        _pending = new FrameBatch(Options.TxBatchSize, Math.Max(MaxFrameLength, 64));
        _vectorCapacity = Math.Max(Options.TxBatchSize, 64);
        _messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)_vectorCapacity, (nuint)sizeof(MMsgHdr));
        _vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)_vectorCapacity, (nuint)sizeof(IoVec));
        for (int i = 0; i < _vectorCapacity; i++)
        {
            _messages[i].Header.Iov = &_vectors[i];
            _messages[i].Header.IovLength = 1;
        }
    }

    void ReleaseTransmit()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        _messages = null;
        _vectors = null;
    }

    /// <summary>Frames queued by <see cref="Enqueue"/> and not yet sent.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Sends one frame now with send(), after any queued frames (order is kept). Returns
    /// false when the kernel has no room now (socket buffer or qdisc full, interface down): the
    /// caller keeps the frame and tries later. A frame the kernel rejects as malformed (EMSGSIZE,
    /// EINVAL) is counted in TransmitErrors and reported as sent, since retrying cannot help.</summary>
    public bool Transmit(byte[] buffer, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if ((uint)offset > (uint)buffer.Length || (uint)length > (uint)(buffer.Length - offset))
            throw new ArgumentOutOfRangeException(nameof(length), "offset and length must lie within the buffer");
        return Transmit(buffer.AsSpan(offset, length));
    }

    /// <summary>Sends one frame now (see <see cref="Transmit(byte[], int, int)"/>).</summary>
    public bool Transmit(ReadOnlySpan<byte> frame)
    {
        CheckFrameLength(frame.Length);
        ThrowIfDisposed();
        if (_pending.Count > 0)
        {
            Flush();
            if (_pending.Count > 0) return false;
        }
        nint n;
        _syscalls++;
        fixed (byte* p = frame)
            n = LibC.Send(_fd, p, (nuint)frame.Length, LinuxConstants.MSG_DONTWAIT);
        if (n >= 0)
        {
            _framesSent++;
            _bytesSent += frame.Length;
            return true;
        }
        return !CountSendFailure(LibC.Errno);
    }

    /// <summary>Queues a copy of the frame for the next <see cref="Flush"/>; flushes first when the
    /// queue is full. False when the queue is full and the kernel has no room now.</summary>
    public bool Enqueue(ReadOnlySpan<byte> frame)
    {
        CheckFrameLength(frame.Length);
        ThrowIfDisposed();
        if (_pending.IsFull)
        {
            Flush();
            if (_pending.IsFull)
            {
                _transmitBusy++;
                return false;
            }
        }
        _pending.Add(frame);
        return true;
    }

    /// <summary>Sends the queued frames with sendmmsg(); returns how many went out. Frames the
    /// kernel had no room for stay queued, in order.</summary>
    public int Flush()
    {
        ThrowIfDisposed();
        if (_pending.Count == 0) return 0;
        int sent = SendFrom(_pending, 0, _pending.Count);
        _pending.RemoveFirst(sent);
        return sent;
    }

    /// <summary>Sends the batch's frames in order with sendmmsg() (no copy: the batch's buffers are
    /// pinned), after any queued frames. Returns how many of the batch went out; the rest found no
    /// room in the kernel now. The batch is left as it was.</summary>
    public int TransmitBatch(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        for (int i = 0; i < batch.Count; i++) CheckFrameLength(batch.Length(i));
        if (_pending.Count > 0)
        {
            Flush();
            if (_pending.Count > 0) return 0;
        }
        return SendFrom(batch, 0, batch.Count);
    }

    int SendFrom(FrameBatch batch, int start, int count)
    {
        int total = 0;
        while (total < count)
        {
            int chunk = Math.Min(count - total, _vectorCapacity);
            for (int i = 0; i < chunk; i++)
            {
                int index = start + total + i;
                _vectors[i].Base = batch.Address(index);
                _vectors[i].Length = (nuint)batch.Length(index);
            }
            _syscalls++;
            _sendBatches++;
            int n = LibC.SendMMsg(_fd, _messages, (uint)chunk, LinuxConstants.MSG_DONTWAIT);
            if (n < 0)
            {
                if (CountSendFailure(LibC.Errno)) return total;
                // A malformed frame: counted, skipped, the rest still goes.
                total++;
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                _framesSent++;
                _bytesSent += batch.Length(start + total + i);
            }
            total += n;
            if (n < chunk) return total; // the kernel stopped early: no room for the next frame
        }
        return total;
    }

    /// <summary>Counts a failed send; true when it means "no room now, retry later", false when
    /// the frame itself was refused (it is dropped).</summary>
    bool CountSendFailure(int errno)
    {
        switch (errno)
        {
            case LinuxConstants.EAGAIN:
            case LinuxConstants.ENOBUFS:
            case LinuxConstants.EINTR:
                _transmitBusy++;
                return true;
            case LinuxConstants.ENETDOWN:
            case LinuxConstants.ENXIO:
            case LinuxConstants.ENODEV:
                _transmitErrors++;
                return true;
            default:
                _transmitErrors++;
                return false;
        }
    }

    void CheckFrameLength(int length)
    {
        if (length < EthernetHeaderLength || length > MaxFrameLength)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                "A frame is 14 to " + MaxFrameLength + " bytes on '" + InterfaceName + "' (MTU " + Mtu + " plus the Ethernet header).");
    }
}
