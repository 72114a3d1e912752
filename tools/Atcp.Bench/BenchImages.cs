using System.Diagnostics;
using Atcp.Firmware.Hal;
using Atcp.Firmware.Store;

namespace Atcp.Bench;

/// <summary>The cards for the measurement, made in a temporary folder: a disk image formatted and
/// filled with the firmware's own store code (as tools/sdimage does, chunk size 292 for MSS 1460)
/// and an .iso made with genisoimage (or xorriso).</summary>
public sealed class BenchImages : IDisposable
{
    /// <summary>The temporary folder, deleted on Dispose.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("atcp-bench-").FullName;

    /// <summary>A disk image of at least the object's size plus room, holding one object.</summary>
    public string Disk(string objectName, byte[] data)
    {
        long size = ((data.Length + (8L << 20)) + (512 * 1024 - 1)) / (512 * 1024) * (512 * 1024);
        var device = new MemoryBlockDevice(new byte[size]);
        Expect(ObjectStore.Format(device, "bench", 292), "format");
        var store = new ObjectStore(device);
        Expect(store.Mount(), "mount");
        ObjectWriter writer = store.Writer;
        Expect(writer.Begin(objectName, data.Length, "application/octet-stream"), "begin");
        for (int at = 0; at < data.Length; at += 65536)
            Expect(writer.Append(data, at, Math.Min(65536, data.Length - at)), "append");
        Expect(writer.Commit(), "commit");
        string path = Path.Combine(Folder, "disk.img");
        File.WriteAllBytes(path, device.Bytes);
        return path;
    }

    /// <summary>An .iso (Joliet) with the file at path inside it.</summary>
    public string Iso(string filePath, byte[] data)
    {
        string source = Path.Combine(Folder, "cd-source");
        string full = Path.Combine(source, filePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, data);
        string iso = Path.Combine(Folder, "cd.iso");
        string[] genisoimage = ["-quiet", "-J", "-V", "BENCH", "-o", iso, source];
        string[] xorriso = ["-as", "mkisofs", "-quiet", "-J", "-V", "BENCH", "-o", iso, source];
        if (!TryRun("genisoimage", genisoimage) && !TryRun("xorriso", xorriso))
            throw new InvalidOperationException("neither genisoimage nor xorriso could make the CD image (apt-get install genisoimage)");
        return iso;
    }

    static bool TryRun(string program, string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(info)!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }

    static void Expect(StoreStatus status, string step)
    {
        if (status != StoreStatus.Ok) throw new InvalidOperationException("making the disk image failed at " + step + ": " + status);
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Payload(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    sealed class MemoryBlockDevice(byte[] bytes) : IBlockDevice
    {
        public byte[] Bytes => bytes;
        public int BlockSize => 512;
        public long BlockCount => bytes.Length / 512;
        public bool IsReadOnly => false;

        public BlockStatus Read(long block, int count, byte[] buffer, int offset)
        {
            if (block < 0 || block + count > BlockCount) return BlockStatus.OutOfRange;
            Array.Copy(bytes, block * 512, buffer, offset, count * 512);
            return BlockStatus.Ok;
        }

        public BlockStatus Write(long block, int count, byte[] buffer, int offset)
        {
            if (block < 0 || block + count > BlockCount) return BlockStatus.OutOfRange;
            Array.Copy(buffer, offset, bytes, block * 512, count * 512);
            return BlockStatus.Ok;
        }
    }
}
