namespace Atcp.Linux.Native;

/// <summary>Numeric constants from the Linux UAPI headers. x86-64 and arm64 share all of them
/// (both use asm-generic for socket options and errno values).</summary>
internal static class LinuxConstants
{
    // <linux/socket.h>, <bits/socket_type.h>
    public const int AF_PACKET = 17;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SOL_PACKET = 263;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_ATTACH_FILTER = 26;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_TRUNC = 0x20;

    // <linux/if_ether.h>
    public const ushort ETH_P_ALL = 0x0003;

    // <linux/if_packet.h>
    public const int PACKET_ADD_MEMBERSHIP = 1;
    public const int PACKET_RX_RING = 5;
    public const int PACKET_STATISTICS = 6;
    public const int PACKET_VERSION = 10;
    public const int PACKET_RESERVE = 12;
    public const int PACKET_QDISC_BYPASS = 20;
    public const int PACKET_IGNORE_OUTGOING = 23;
    public const int PACKET_MR_PROMISC = 1;
    public const int TPACKET_V2 = 1;
    public const int TPACKET_ALIGNMENT = 16;

    // tpacket2_hdr.tp_status bits
    public const uint TP_STATUS_KERNEL = 0;
    public const uint TP_STATUS_USER = 1 << 0;
    public const uint TP_STATUS_LOSING = 1 << 2;
    public const uint TP_STATUS_CSUMNOTREADY = 1 << 3;
    public const uint TP_STATUS_VLAN_VALID = 1 << 4;
    public const uint TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    // <linux/sockios.h>
    public const uint SIOCGIFFLAGS = 0x8913;
    public const uint SIOCGIFMTU = 0x8921;
    public const uint SIOCGIFHWADDR = 0x8927;
    public const uint SIOCGIFINDEX = 0x8933;

    // <net/if.h>
    public const int IFF_UP = 0x1;
    public const int IFF_RUNNING = 0x40;
    public const int IFNAMSIZ = 16;
    public const int IfreqSize = 40; // 16-byte name + 24-byte union (struct ifmap on LP64)

    // <sys/mman.h>
    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;

    // <poll.h>
    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    // <sys/eventfd.h>
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;

    // <sched.h>
    public const int CLONE_NEWNET = 0x40000000;

    // <asm-generic/errno-base.h>, <asm-generic/errno.h>
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int EMSGSIZE = 90;
    public const int ENOPROTOOPT = 92;
    public const int ENETDOWN = 100;
    public const int ENOBUFS = 105;
}
