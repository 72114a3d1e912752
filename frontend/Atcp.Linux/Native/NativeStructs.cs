using System.Runtime.InteropServices;

namespace Atcp.Linux.Native;

// Layouts follow the LP64 ABI of x86-64 and arm64 Linux: pointers and size_t are 8 bytes, int 4.
// Sequential layout with natural alignment reproduces the C padding; tests pin every size.

/// <summary>struct sockaddr_ll (linux/if_packet.h), 20 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockaddrLl
{
    public ushort Family;
    public ushort Protocol; // network byte order
    public int IfIndex;
    public ushort HaType;
    public byte PktType;
    public byte HaLen;
    public fixed byte Addr[8];
}

/// <summary>struct tpacket_req (linux/if_packet.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TpacketReq
{
    public uint BlockSize;
    public uint BlockCount;
    public uint FrameSize;
    public uint FrameCount;
}

/// <summary>struct tpacket_stats (linux/if_packet.h), 8 bytes. Reading it resets the kernel's
/// counters.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TpacketStats
{
    public uint Packets; // received plus dropped
    public uint Drops;
}

/// <summary>struct packet_mreq (linux/if_packet.h), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PacketMreq
{
    public int IfIndex;
    public ushort Type;
    public ushort AddrLen;
    public fixed byte Address[8];
}

/// <summary>struct pollfd (poll.h), 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short REvents;
}

/// <summary>struct iovec (sys/uio.h), 16 bytes on LP64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

/// <summary>struct msghdr (sys/socket.h), 56 bytes on LP64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary>struct mmsghdr (sys/socket.h), 64 bytes on LP64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}

/// <summary>Field offsets of struct tpacket2_hdr (linux/if_packet.h), 32 bytes, read in place in
/// the mmap'ed ring.</summary>
internal static class Tpacket2Header
{
    public const int Status = 0;     // u32
    public const int Len = 4;        // u32: length on the wire
    public const int SnapLen = 8;    // u32: bytes stored in the ring
    public const int Mac = 12;       // u16: offset of the frame from the header
    public const int Net = 14;       // u16
    public const int Sec = 16;       // u32
    public const int NSec = 20;      // u32
    public const int VlanTci = 24;   // u16
    public const int VlanTpid = 26;  // u16
    public const int Size = 32;
    /// <summary>TPACKET2_HDRLEN: TPACKET_ALIGN(sizeof(tpacket2_hdr)) + sizeof(sockaddr_ll).</summary>
    public const int HeaderLength = 32 + 20;
}

/// <summary>struct timespec (time.h), 16 bytes on 64-bit Linux.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}

/// <summary>struct sock_filter (linux/filter.h), one classic BPF instruction, 8 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockFilter
{
    public ushort Code;
    public byte JumpTrue;
    public byte JumpFalse;
    public uint K;
}

/// <summary>struct sock_fprog (linux/filter.h), 16 bytes on LP64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFprog
{
    public ushort Length;
    public SockFilter* Filter;
}
