using System.Runtime.InteropServices;
using Atcp.Emulation.Media;
using Atcp.Firmware.Store;
using Atcp.SdImage;

namespace Atcp.Tools.Tests.SdImage;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error);

/// <summary>Runs sdimage in-process and reads images back through the store code.</summary>
public static class SdImageHarness
{
    /// <summary>Runs a command line with captured output; terminal says whether stderr claims to be a terminal.</summary>
    public static ToolRun Run(bool terminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SdImageTool.Run(args, new ToolConsole(output, error, terminal));
        return new ToolRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command line with stderr not a terminal.</summary>
    public static ToolRun Run(params string[] args) => Run(false, args);

    /// <summary>Runs a command line that must succeed; returns what it printed.</summary>
    public static ToolRun RunOk(params string[] args)
    {
        var run = Run(args);
        Assert.True(run.ExitCode == 0, $"sdimage {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}");
        return run;
    }

    /// <summary>Mounts an image read-only, as a board would.</summary>
    public static MountedImage Mount(string path)
    {
        var device = new FileBlockDevice(path);
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        return new MountedImage(device, store);
    }

    /// <summary>Names of every object on a mounted store.</summary>
    public static List<string> Names(ObjectStore store)
    {
        var names = new List<string>();
        long cursor = 0;
        var o = new StoreObject();
        StoreStatus status;
        while ((status = store.ListNext(ref cursor, o)) == StoreStatus.Ok) names.Add(o.GetName());
        Assert.Equal(StoreStatus.EndOfList, status);
        return names;
    }

    /// <summary>The whole payload of a stored object, read in 1 MiB pieces through ReadRange.</summary>
    public static byte[] ReadAll(ObjectStore store, StoreObject o)
    {
        var bytes = new byte[o.Size];
        for (long at = 0; at < o.Size; at += 1 << 20)
        {
            int n = (int)Math.Min(1 << 20, o.Size - at);
            var piece = new byte[n];
            Assert.Equal(StoreStatus.Ok, store.ReadRange(o, at, piece, 0, n));
            piece.CopyTo(bytes, at);
        }
        return bytes;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open(byte[] path, int flags, int mode);

    [DllImport("libc")]
    static extern int close(int fd);

    /// <summary>Creates an empty file whose name is raw bytes (possibly not UTF-8) in folder.</summary>
    public static void CreateRawName(string folder, byte[] name)
    {
        byte[] path = [.. System.Text.Encoding.UTF8.GetBytes(folder + "/"), .. name, 0];
        const int WriteOnlyCreate = 0x41; // O_WRONLY | O_CREAT on Linux
        int fd = open(path, WriteOnlyCreate, 0x1A4); // mode 0644
        Assert.True(fd >= 0, "open failed, errno " + Marshal.GetLastPInvokeError());
        close(fd);
    }
}

/// <summary>A mounted image; disposing closes the file.</summary>
public sealed class MountedImage(FileBlockDevice device, ObjectStore store) : IDisposable
{
    /// <summary>The store on the image.</summary>
    public ObjectStore Store { get; } = store;

    /// <summary>Looks an object up, asserting it exists.</summary>
    public StoreObject Get(string name)
    {
        var o = new StoreObject();
        Assert.True(Store.Lookup(name, o) == StoreStatus.Ok, "not on the image: " + name);
        return o;
    }

    /// <summary>Closes the image.</summary>
    public void Dispose() => device.Dispose();
}

/// <summary>A temporary folder for a test's source tree and images, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Makes a new empty folder under the system's temp folder.</summary>
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "atcp-sdimage-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>A path inside the folder.</summary>
    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Writes a file (creating its folders) and returns its full path.</summary>
    public string Write(string relative, byte[] content)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Writes a text file.</summary>
    public string Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Removes the folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
