using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;

namespace Atcp.Firmware.Tests.VirtualBoard;

/// <summary>Card images for the virtual board, made in temporary files as tools/sdimage would:
/// a store formatted with <see cref="ObjectStore.Format(IBlockDevice, string, int)"/> and objects
/// written with <see cref="ObjectWriter"/>; and .iso files made with genisoimage.</summary>
public sealed class BoardImages : IDisposable
{
    /// <summary>A temporary folder, deleted on Dispose.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("atcp-vboard-").FullName;

    /// <summary>Writes a disk image of sizeBytes holding objects (name, bytes, content type).</summary>
    public string Disk(string name, long sizeBytes, string label, params (string Name, byte[] Data, string ContentType)[] objects)
    {
        var device = new RamBlockDevice(sizeBytes / 512);
        Assert.Equal(StoreStatus.Ok, ObjectStore.Format(device, label, 292));
        var store = new ObjectStore(device);
        Assert.Equal(StoreStatus.Ok, store.Mount());
        foreach (var o in objects)
        {
            ObjectWriter writer = store.Writer;
            Assert.Equal(StoreStatus.Ok, writer.Begin(o.Name, o.Data.Length, o.ContentType));
            for (int at = 0; at < o.Data.Length; at += 65536)
                Assert.Equal(StoreStatus.Ok, writer.Append(o.Data, at, Math.Min(65536, o.Data.Length - at)));
            Assert.Equal(StoreStatus.Ok, writer.Commit());
        }
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, device.Data);
        return path;
    }

    /// <summary>Makes an .iso (Joliet) of the given files with genisoimage.</summary>
    public string Iso(string name, string volumeId, params (string Path, byte[] Data)[] files)
    {
        string source = Path.Combine(Folder, name + ".src");
        foreach (var f in files)
        {
            string full = Path.Combine(source, f.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, f.Data);
        }
        string iso = Path.Combine(Folder, name);
        var info = new System.Diagnostics.ProcessStartInfo("genisoimage", ["-quiet", "-J", "-V", volumeId, "-o", iso, source])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "genisoimage failed: " + errors);
        return iso;
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Payload(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A 16-byte cluster key.</summary>
    public static byte[] Key { get; } = Payload(16, 16);

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
