using System.Runtime.InteropServices;
using Atcp.Firmware.Hal;

namespace Atcp.VirtualBoard.Serial;

/// <summary>The board's console UART as a pseudo-terminal: the board holds the master side, and a
/// symbolic link at a path of the user's choice points to the slave (/dev/pts/N), so
/// <c>picocom PATH</c> or <c>screen PATH 115200</c> attaches as to a USB serial adapter (the baud
/// rate is ignored). The slave is set to raw mode and kept open by the board, so nothing the board
/// writes is echoed back to it before a terminal program attaches, and the master never sees a
/// hang-up when one detaches. Reads and writes are non-blocking: with no terminal attached, output
/// beyond the pty's buffer is dropped, as a UART's output is lost with nothing on the line.</summary>
public sealed class PtySerialPort : ISerialPort, IDisposable
{
    readonly int _master;
    readonly int _slave;
    readonly string _linkPath;
    bool _disposed;
    long _droppedBytes;

    PtySerialPort(int master, int slave, string slavePath, string linkPath)
    {
        _master = master;
        _slave = slave;
        SlavePath = slavePath;
        _linkPath = linkPath;
    }

    /// <summary>Creates a pty and links linkPath to its slave. A stale link at linkPath (left by a
    /// board that was killed) is replaced; anything else there is refused.</summary>
    public static PtySerialPort Create(string linkPath)
    {
        linkPath = Path.GetFullPath(linkPath);
        var existing = new FileInfo(linkPath);
        if (existing.Exists || Directory.Exists(linkPath))
        {
            if (existing.LinkTarget == null)
                throw new IOException(linkPath + " exists and is not a symbolic link; choose another --console path");
        }

        int master = Libc.posix_openpt(Libc.ORdWr | Libc.ONoCtty);
        if (master < 0) throw new IOException("posix_openpt failed: " + Libc.LastError());
        int slave = -1;
        try
        {
            if (Libc.grantpt(master) != 0) throw new IOException("grantpt failed: " + Libc.LastError());
            if (Libc.unlockpt(master) != 0) throw new IOException("unlockpt failed: " + Libc.LastError());
            IntPtr name = Libc.ptsname(master);
            if (name == IntPtr.Zero) throw new IOException("ptsname failed: " + Libc.LastError());
            string slavePath = Marshal.PtrToStringUTF8(name)!;

            slave = Libc.open(slavePath, Libc.ORdWr | Libc.ONoCtty);
            if (slave < 0) throw new IOException("cannot open " + slavePath + ": " + Libc.LastError());
            var termios = new byte[Libc.TermiosSize];
            if (Libc.tcgetattr(slave, termios) != 0) throw new IOException("tcgetattr failed: " + Libc.LastError());
            Libc.cfmakeraw(termios);
            if (Libc.tcsetattr(slave, Libc.TcsaNow, termios) != 0) throw new IOException("tcsetattr failed: " + Libc.LastError());

            int flags = Libc.fcntl(master, Libc.FGetFl, 0);
            if (flags < 0 || Libc.fcntl(master, Libc.FSetFl, flags | Libc.ONonBlock) < 0)
                throw new IOException("cannot make the pty non-blocking: " + Libc.LastError());

            if (existing.LinkTarget != null) File.Delete(linkPath);
            File.CreateSymbolicLink(linkPath, slavePath);
            return new PtySerialPort(master, slave, slavePath, linkPath);
        }
        catch
        {
            if (slave >= 0) Libc.close(slave);
            Libc.close(master);
            throw;
        }
    }

    /// <summary>The slave device, e.g. /dev/pts/3.</summary>
    public string SlavePath { get; }

    /// <summary>The symbolic link pointing to it.</summary>
    public string LinkPath => _linkPath;

    /// <summary>Output bytes dropped because no terminal was reading.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        if (count <= 0 || _disposed) return 0;
        nint n = Libc.read(_master, ref buffer[offset], count);
        return n > 0 ? (int)n : 0; // EAGAIN: nothing typed; EIO: no slave (cannot happen while we hold it)
    }

    /// <inheritdoc/>
    public void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0 && !_disposed)
        {
            nint n = Libc.write(_master, ref buffer[offset], count);
            if (n > 0)
            {
                offset += (int)n;
                count -= (int)n;
                continue;
            }
            if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EIntr) continue;
            Interlocked.Add(ref _droppedBytes, count); // full (nobody reading) or gone: a UART would lose it too
            return;
        }
    }

    /// <summary>Removes the link (if it still points to this pty) and closes both sides.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            var link = new FileInfo(_linkPath);
            if (link.LinkTarget == SlavePath) link.Delete();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        Libc.close(_slave);
        Libc.close(_master);
    }
}
