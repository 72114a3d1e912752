using System.Diagnostics;
using System.Runtime.InteropServices;
using Atcp.Frontend.Net;

namespace Atcp.Frontend.Tests.Net;

/// <summary>A network namespace holding one TAP interface (the "client side", with a kernel TCP/IP
/// stack at 198.18.0.2/24) whose other end is a file descriptor in this process: frames the
/// namespace's kernel sends come out of <see cref="Receive"/>, frames written with
/// <see cref="SendFrame"/> go into it. A TAP without offloads hands over complete frames with their
/// checksums filled, so the stack sees exactly what a NIC would. Deleted on dispose.</summary>
public sealed class TapNamespace : IFrameOutput, IDisposable
{
    const int O_RDWR = 2, O_RDONLY = 0, O_CLOEXEC = 0x80000;
    const int CLONE_NEWNET = 0x40000000;
    const uint TUNSETIFF = 0x400454ca;
    const short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;
    const short POLLIN = 0x0001;

    [StructLayout(LayoutKind.Sequential)]
    struct PollFd { public int Fd; public short Events; public short Revents; }

    [DllImport("libc", SetLastError = true)] static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
    [DllImport("libc", SetLastError = true)] static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] static extern int ioctl(int fd, nuint request, byte[] argument);
    [DllImport("libc", SetLastError = true)] static extern int setns(int fd, int nstype);
    [DllImport("libc", SetLastError = true)] static extern nint read(int fd, byte[] buffer, nint count);
    [DllImport("libc", SetLastError = true)] static extern nint write(int fd, byte[] buffer, nint count);
    [DllImport("libc", SetLastError = true)] static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    readonly int _fd;
    readonly byte[] _tx = new byte[65536];
    readonly object _writeLock = new();

    /// <summary>The namespace's name.</summary>
    public string Namespace { get; }
    /// <summary>The TAP interface's name inside the namespace.</summary>
    public string Interface { get; }

    /// <summary>Creates the namespace and the TAP in it, configures clientAddress/prefix on it.</summary>
    public TapNamespace(string clientAddressWithPrefix)
    {
        int id = Environment.ProcessId % 100000;
        Namespace = "atcp-fetcp-" + id;
        Interface = "atfe" + id;
        Run("ip", "netns", "add", Namespace);
        try
        {
            _fd = CreateTapInNamespace(Namespace, Interface);
            InNamespace("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            InNamespace("ip", "link", "set", "lo", "up");
            InNamespace("ip", "addr", "add", clientAddressWithPrefix, "dev", Interface);
            InNamespace("ip", "link", "set", Interface, "up");
        }
        catch
        {
            Run("ip", "netns", "del", Namespace);
            throw;
        }
    }

    // TUNSETIFF names the device in the caller's namespace, so a short-lived thread enters the
    // namespace to create it; the descriptor keeps working from any thread afterwards.
    static int CreateTapInNamespace(string ns, string name)
    {
        int fd = -1;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
            int target = open("/run/netns/" + ns, O_RDONLY | O_CLOEXEC);
            try
            {
                if (home < 0 || target < 0) throw new InvalidOperationException("cannot open namespace files: errno " + Marshal.GetLastPInvokeError());
                if (setns(target, CLONE_NEWNET) != 0) throw new InvalidOperationException("setns failed: errno " + Marshal.GetLastPInvokeError());
                try
                {
                    fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
                    if (fd < 0) throw new InvalidOperationException("cannot open /dev/net/tun: errno " + Marshal.GetLastPInvokeError());
                    var ifreq = new byte[40];
                    System.Text.Encoding.ASCII.GetBytes(name).CopyTo(ifreq, 0);
                    BitConverter.GetBytes((short)(IFF_TAP | IFF_NO_PI)).CopyTo(ifreq, 16);
                    if (ioctl(fd, TUNSETIFF, ifreq) != 0) throw new InvalidOperationException("TUNSETIFF failed: errno " + Marshal.GetLastPInvokeError());
                }
                finally
                {
                    setns(home, CLONE_NEWNET);
                }
            }
            catch (Exception e) { error = e; }
            finally
            {
                if (home >= 0) close(home);
                if (target >= 0) close(target);
            }
        });
        thread.Start();
        thread.Join();
        if (error != null) { if (fd >= 0) close(fd); throw error; }
        return fd;
    }

    /// <summary>Runs work on a thread that has entered the namespace, so sockets it opens (a .NET
    /// TcpClient, Ping) live there; returns its result or rethrows its exception.</summary>
    public T Inside<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            int target = open("/run/netns/" + Namespace, O_RDONLY | O_CLOEXEC);
            try
            {
                if (target < 0 || setns(target, CLONE_NEWNET) != 0) throw new InvalidOperationException("cannot enter " + Namespace);
                result = work();
            }
            catch (Exception e) { error = e; }
            finally { if (target >= 0) close(target); }
        });
        // The thread ends with the work, so no pooled thread is ever left in the namespace.
        thread.Start();
        thread.Join();
        if (error != null) throw new InvalidOperationException("work inside " + Namespace + " failed", error);
        return result;
    }

    /// <summary>Writes one frame into the namespace.</summary>
    public void SendFrame(ReadOnlySpan<byte> frame)
    {
        lock (_writeLock)
        {
            frame.CopyTo(_tx);
            write(_fd, _tx, frame.Length);
        }
    }

    /// <summary>Waits up to timeoutMs for a frame from the namespace; its length, or 0.</summary>
    public int Receive(byte[] buffer, int timeoutMs)
    {
        var fds = new[] { new PollFd { Fd = _fd, Events = POLLIN } };
        if (poll(fds, 1, timeoutMs) <= 0 || (fds[0].Revents & POLLIN) == 0) return 0;
        return (int)Math.Max(0, read(_fd, buffer, buffer.Length));
    }

    /// <summary>Runs a command inside the namespace and returns its standard output.</summary>
    public string InNamespace(params string[] command) => Run("ip", ["netns", "exec", Namespace, .. command]);

    /// <summary>Runs a command; throws with its error output when it fails.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException(file + " " + string.Join(" ", arguments) + " did not finish"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(file + " " + string.Join(" ", arguments) + " failed (" + process.ExitCode + "): " + error.Result + output.Result);
        return output.Result;
    }

    /// <summary>Closes the TAP (which removes it) and deletes the namespace.</summary>
    public void Dispose()
    {
        close(_fd);
        try { Run("ip", "netns", "del", Namespace); } catch (InvalidOperationException) { }
    }
}
