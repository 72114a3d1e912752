using System.Runtime.InteropServices;

namespace Atcp.VirtualBoard.Serial;

/// <summary>The few libc calls the console needs: pseudo-terminals (posix_openpt(3), grantpt(3),
/// unlockpt(3), ptsname(3)), termios (tcgetattr(3), tcsetattr(3), cfmakeraw(3)), non-blocking
/// read(2)/write(2) on raw descriptors. Constants are Linux's (asm-generic/fcntl.h,
/// asm-generic/errno-base.h, bits/termios.h), which x86-64 and arm64 share.</summary>
static partial class Libc
{
    public const int ORdWr = 0x2, ONoCtty = 0x100, ONonBlock = 0x800;
    public const int FGetFl = 3, FSetFl = 4;
    public const int EIntr = 4, EIo = 5, EAgain = 11;
    public const int TcsaNow = 0;
    /// <summary>sizeof(struct termios) is 60 on Linux; a larger buffer is harmless.</summary>
    public const int TermiosSize = 128;
    /// <summary>Offset of c_lflag in struct termios; ICANON and ECHO bits in it.</summary>
    public const int LocalFlagsOffset = 12, ICanon = 0x2, Echo = 0x8, EchoNl = 0x40;
    /// <summary>Offset of c_cc, and the VTIME and VMIN slots in it.</summary>
    public const int ControlCharsOffset = 17, VTime = 5, VMin = 6;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial IntPtr ptsname(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, [Out] byte[] termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int when, [In] byte[] termios);

    [LibraryImport("libc")]
    public static partial void cfmakeraw([In, Out] byte[] termios);

    /// <summary>errno of the last call, with its text.</summary>
    public static string LastError()
    {
        int errno = Marshal.GetLastPInvokeError();
        return Marshal.GetPInvokeErrorMessage(errno) + " (errno " + errno + ")";
    }
}
