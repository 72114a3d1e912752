using System.Text;

namespace Atcp.Linux.Native;

/// <summary>SIOCGIF* ioctls on a socket descriptor. They answer for the socket's own network
/// namespace, not the calling thread's, which is what a socket opened inside a namespace needs.</summary>
internal static unsafe class InterfaceQuery
{
    /// <summary>Fills an ifreq's name; throws when the name cannot be an interface name.</summary>
    static void SetName(byte* ifreq, string name)
    {
        int count = Encoding.UTF8.GetByteCount(name);
        if (name.Length == 0 || count >= LinuxConstants.IFNAMSIZ || name.Contains('/') || name.Contains('\0'))
            throw new PacketSocketException(PacketSocketError.NoSuchInterface,
                "'" + name + "' is not a valid interface name (1 to 15 bytes, no '/').");
        new Span<byte>(ifreq, LinuxConstants.IfreqSize).Clear();
        Encoding.UTF8.GetBytes(name, new Span<byte>(ifreq, LinuxConstants.IFNAMSIZ));
    }

    static void Call(int fd, uint request, byte* ifreq, string name, string what)
    {
        if (LibC.Ioctl(fd, request, ifreq) == 0) return;
        int errno = LibC.Errno;
        if (errno == LinuxConstants.ENODEV || errno == LinuxConstants.ENXIO)
            throw new PacketSocketException(PacketSocketError.NoSuchInterface,
                "No network interface named '" + name + "' in this network namespace ('ip link show' lists them).", errno);
        throw PacketSocketException.FromErrno(what + " for interface '" + name + "'", errno);
    }

    /// <summary>SIOCGIFINDEX: the interface's index.</summary>
    public static int Index(int fd, string name)
    {
        byte* ifreq = stackalloc byte[LinuxConstants.IfreqSize];
        SetName(ifreq, name);
        Call(fd, LinuxConstants.SIOCGIFINDEX, ifreq, name, "SIOCGIFINDEX");
        return *(int*)(ifreq + LinuxConstants.IFNAMSIZ);
    }

    /// <summary>SIOCGIFFLAGS: IFF_* flags (the low 16 bits the ioctl reports).</summary>
    public static int Flags(int fd, string name)
    {
        byte* ifreq = stackalloc byte[LinuxConstants.IfreqSize];
        SetName(ifreq, name);
        Call(fd, LinuxConstants.SIOCGIFFLAGS, ifreq, name, "SIOCGIFFLAGS");
        return *(ushort*)(ifreq + LinuxConstants.IFNAMSIZ);
    }

    /// <summary>SIOCGIFMTU: the IP MTU.</summary>
    public static int Mtu(int fd, string name)
    {
        byte* ifreq = stackalloc byte[LinuxConstants.IfreqSize];
        SetName(ifreq, name);
        Call(fd, LinuxConstants.SIOCGIFMTU, ifreq, name, "SIOCGIFMTU");
        return *(int*)(ifreq + LinuxConstants.IFNAMSIZ);
    }

    /// <summary>SIOCGIFHWADDR: the hardware type (ARPHRD_*) and the 6-byte MAC.</summary>
    public static (ushort HardwareType, byte[] Mac) HardwareAddress(int fd, string name)
    {
        byte* ifreq = stackalloc byte[LinuxConstants.IfreqSize];
        SetName(ifreq, name);
        Call(fd, LinuxConstants.SIOCGIFHWADDR, ifreq, name, "SIOCGIFHWADDR");
        // struct sockaddr: sa_family (2 bytes) then sa_data.
        ushort family = *(ushort*)(ifreq + LinuxConstants.IFNAMSIZ);
        return (family, new Span<byte>(ifreq + LinuxConstants.IFNAMSIZ + 2, 6).ToArray());
    }
}
