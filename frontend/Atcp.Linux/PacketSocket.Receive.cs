using System.Buffers.Binary;
using Atcp.Linux.Native;

namespace Atcp.Linux;

// Receive path: the PACKET_MMAP TPACKET_V2 ring (Documentation/networking/packet_mmap.rst), or
// recv() per frame when the ring is off. TPACKET_V2 rather than V3: V3 hands over whole blocks,
// which are retired only when full or when a block timeout expires, so a lone TCP segment would wait
// for that timeout; V2 wakes poll() per frame, which a request/response front-end needs.
public sealed unsafe partial class PacketSocket
{
    const byte PacketOutgoing = 4; // sll_pkttype of our own transmissions (linux/if_packet.h)

    byte* _ring;
    nuint _ringBytes;
    int _frameSize;
    int _frameCount;
    int _rxIndex;

    /// <summary>Frames in the RX ring (0 without a ring).</summary>
    public int RingFrameCount => _frameCount;

    /// <summary>Bytes per ring slot (0 without a ring).</summary>
    public int RingFrameSize => _frameSize;

    void SetUpRing()
    {
        SetInt(_fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_VERSION, LinuxConstants.TPACKET_V2, "PACKET_VERSION TPACKET_V2");
        // The kernel puts the frame at TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - 14 into the slot
        // (af_packet.c tpacket_rcv); the slot must hold that plus the largest frame.
        int macOffset = Align(Tpacket2Header.HeaderLength + 16) - EthernetHeaderLength;
        int frameSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(macOffset + MaxReceiveLength));
        // Blocks must be whole pages; frames may not cross blocks. With power-of-two sizes every
        // block holds a whole number of frames and the ring is one run of equal slots.
        int blockSize = Math.Max(Math.Max(64 * 1024, frameSize), Environment.SystemPageSize);
        int blockCount = Math.Max(1, Options.RxRingBytes / blockSize);
        var request = new TpacketReq
        {
            BlockSize = (uint)blockSize,
            BlockCount = (uint)blockCount,
            FrameSize = (uint)frameSize,
            FrameCount = (uint)(blockCount * (blockSize / frameSize)),
        };
        if (LibC.SetSockOpt(_fd, LinuxConstants.SOL_PACKET, LinuxConstants.PACKET_RX_RING, &request, (uint)sizeof(TpacketReq)) != 0)
        {
            int errno = LibC.Errno;
            throw PacketSocketException.FromErrno("PACKET_RX_RING (" + blockCount + " blocks of " + blockSize + " bytes" +
                (errno == LinuxConstants.ENOMEM ? ": not enough memory, try a smaller RxRingBytes" : "") + ")", errno);
        }
        nuint bytes = (nuint)blockSize * (nuint)blockCount;
        void* map = LibC.Mmap(null, bytes, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE, LinuxConstants.MAP_SHARED, _fd, 0);
        if (map == (void*)-1) throw PacketSocketException.FromErrno("mmap() of the RX ring", LibC.Errno);
        _ring = (byte*)map;
        _ringBytes = bytes;
        _frameSize = frameSize;
        _frameCount = (int)request.FrameCount;
    }

    static int Align(int value) => (value + LinuxConstants.TPACKET_ALIGNMENT - 1) & ~(LinuxConstants.TPACKET_ALIGNMENT - 1);

    void ReleaseRing()
    {
        if (_ring == null) return;
        LibC.Munmap(_ring, _ringBytes);
        _ring = null;
    }

    bool RingFrameReady() =>
        (Volatile.Read(ref *(uint*)(_ring + (nint)_rxIndex * _frameSize)) & LinuxConstants.TP_STATUS_USER) != 0;

    /// <summary>Copies the next received frame to buffer[offset..] and returns its length, or 0
    /// when none is waiting (never blocks). Frames longer than capacity are dropped and counted.</summary>
    public int Receive(byte[] buffer, int offset, int capacity)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if ((uint)offset > (uint)buffer.Length || (uint)capacity > (uint)(buffer.Length - offset))
            throw new ArgumentOutOfRangeException(nameof(capacity), "offset and capacity must lie within the buffer");
        ThrowIfDisposed();
        return _ring != null ? TakeFromRing(buffer.AsSpan(offset, capacity)) : TakeWithRecv(buffer.AsSpan(offset, capacity));
    }

    /// <summary>Fills batch with the frames waiting (up to its capacity), first waiting up to
    /// timeoutMs (-1: forever) when none is. Returns the number of frames (0 on timeout or
    /// <see cref="Wake"/>). The batch is cleared first.</summary>
    public int ReceiveBatch(FrameBatch batch, int timeoutMs = 0)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        batch.Clear();
        DrainRequestSignals(); // first: a signal left after this round belongs to a frame it missed
        int count = Drain(batch);
        if (count == 0 && timeoutMs != 0 && WaitForReceive(timeoutMs))
        {
            DrainRequestSignals(); // the copies of the frames that ended the wait
            count = Drain(batch);
        }
        return count;
    }

    int Drain(FrameBatch batch)
    {
        while (!batch.IsFull)
        {
            var destination = batch.Buffer(batch.Count).AsSpan();
            int length = _ring != null ? TakeFromRing(destination) : TakeWithRecv(destination);
            if (length == 0) break;
            batch.SetLength(batch.Count, length);
            batch.SetCount(batch.Count + 1);
        }
        return batch.Count;
    }

    int TakeFromRing(Span<byte> destination)
    {
        while (true)
        {
            byte* slot = _ring + (nint)_rxIndex * _frameSize;
            // Acquire: the header fields and frame bytes are read only after the status says USER.
            uint status = Volatile.Read(ref *(uint*)slot);
            if ((status & LinuxConstants.TP_STATUS_USER) == 0) return 0;
            uint wireLength = *(uint*)(slot + Tpacket2Header.Len);
            uint storedLength = *(uint*)(slot + Tpacket2Header.SnapLen);
            int macOffset = *(ushort*)(slot + Tpacket2Header.Mac);
            byte packetType = slot[Align(Tpacket2Header.Size) + 10]; // sockaddr_ll.sll_pkttype
            bool vlan = (status & LinuxConstants.TP_STATUS_VLAN_VALID) != 0;
            int length = (int)storedLength + (vlan ? VlanTagLength : 0);
            int result;
            if (!IgnoresOutgoing && packetType == PacketOutgoing)
                result = -1;
            else if (storedLength < wireLength || length > destination.Length || storedLength < EthernetHeaderLength)
            {
                _oversizeDrops++;
                result = -1;
            }
            else
            {
                var frame = new ReadOnlySpan<byte>(slot + macOffset, (int)storedLength);
                if (vlan)
                {
                    // The kernel (or the NIC) took the 802.1Q tag out into the header: put it back
                    // so callers see the frame as it was on the wire.
                    ushort tpid = (status & LinuxConstants.TP_STATUS_VLAN_TPID_VALID) != 0
                        ? *(ushort*)(slot + Tpacket2Header.VlanTpid) : (ushort)0x8100;
                    frame[..12].CopyTo(destination);
                    BinaryPrimitives.WriteUInt16BigEndian(destination[12..], tpid);
                    BinaryPrimitives.WriteUInt16BigEndian(destination[14..], *(ushort*)(slot + Tpacket2Header.VlanTci));
                    frame[12..].CopyTo(destination[16..]);
                }
                else
                {
                    frame.CopyTo(destination);
                }
                if ((status & LinuxConstants.TP_STATUS_CSUMNOTREADY) != 0) _checksumNotReady++;
                result = length;
            }
            // Release: hand the slot back only after the copy is done.
            Volatile.Write(ref *(uint*)slot, LinuxConstants.TP_STATUS_KERNEL);
            _rxIndex = _rxIndex + 1 == _frameCount ? 0 : _rxIndex + 1;
            if (result > 0)
            {
                _framesReceived++;
                _bytesReceived += result;
                return result;
            }
        }
    }

    int TakeWithRecv(Span<byte> destination)
    {
        while (true)
        {
            nint n;
            _syscalls++;
            // MSG_TRUNC makes recv() return the real length, so an oversize frame is detected
            // (and dropped: the datagram is consumed either way).
            fixed (byte* p = destination)
                n = LibC.Recv(_fd, p, (nuint)destination.Length, LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC);
            if (n < 0)
            {
                int errno = LibC.Errno;
                if (errno == LinuxConstants.EAGAIN || errno == LinuxConstants.EINTR) return 0;
                throw PacketSocketException.FromErrno("recv() on '" + InterfaceName + "'", errno);
            }
            if (n > destination.Length || n < EthernetHeaderLength)
            {
                _oversizeDrops++;
                continue;
            }
            _framesReceived++;
            _bytesReceived += n;
            return (int)n;
        }
    }
}
