using Atcp.Linux.Native;

namespace Atcp.Linux;

/// <summary>Why a packet socket could not be opened or used.</summary>
public enum PacketSocketError
{
    /// <summary>The process lacks CAP_NET_RAW (not root, no capability).</summary>
    PermissionDenied,
    /// <summary>No interface of that name in the socket's network namespace.</summary>
    NoSuchInterface,
    /// <summary>The interface exists but is administratively down.</summary>
    InterfaceDown,
    /// <summary>The named network namespace does not exist or cannot be entered.</summary>
    NamespaceUnavailable,
    /// <summary>The kernel refused a setting (ring size, socket option) or a call failed.</summary>
    SystemCallFailed,
}

/// <summary>A packet socket failure, with a message that says what to do about it.</summary>
public sealed class PacketSocketException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PacketSocketException(PacketSocketError error, string message, int errno = 0) : base(message)
    {
        Error = error;
        Errno = errno;
    }

    /// <summary>The kind of failure.</summary>
    public PacketSocketError Error { get; }

    /// <summary>The errno of the failing call, 0 when not from a call.</summary>
    public int Errno { get; }

    internal static PacketSocketException FromErrno(string what, int errno)
    {
        if (errno == LinuxConstants.EPERM || errno == LinuxConstants.EACCES)
            return PermissionDenied(what, errno);
        return new PacketSocketException(PacketSocketError.SystemCallFailed,
            what + " failed: " + LibC.ErrorText(errno) + " (errno " + errno + ")", errno);
    }

    internal static PacketSocketException PermissionDenied(string what, int errno) =>
        new(PacketSocketError.PermissionDenied,
            what + " failed: " + LibC.ErrorText(errno) + ". Raw packet sockets need root or CAP_NET_RAW: run as root, " +
            "or grant it (systemd: AmbientCapabilities=CAP_NET_RAW; a binary: setcap cap_net_raw+ep).", errno);
}
