using Atcp.Firmware.Cd;

namespace Atcp.Firmware.Tests.Cd;

/// <summary>Small conveniences shared by the CD tests.</summary>
static class CdTestHelpers
{
    /// <summary>Mounts an in-memory image; asserts the mount succeeded.</summary>
    public static IsoVolume Mount(byte[] image, int blockSize = 512, bool preferJoliet = true)
    {
        var volume = new IsoVolume(new MemoryBlockDevice(image, blockSize));
        IsoStatus status = volume.Mount(preferJoliet);
        Assert.True(status == IsoStatus.Ok, "mount: " + status + " at sector " + volume.FailedSector);
        return volume;
    }

    /// <summary>Looks a path up; asserts it was found.</summary>
    public static IsoEntry Find(IsoVolume volume, string path)
    {
        var entry = new IsoEntry();
        IsoStatus status = volume.Lookup(path, entry);
        Assert.True(status == IsoStatus.Ok, path + ": " + status + " at sector " + volume.FailedSector);
        return entry;
    }

    /// <summary>Reads a whole file with ReadRange in pieces of the given size.</summary>
    public static byte[] ReadAll(IsoVolume volume, IsoEntry file, int piece = 65536)
    {
        var data = new byte[file.Size];
        for (long offset = 0; offset < file.Size; offset += piece)
        {
            int count = (int)Math.Min(piece, file.Size - offset);
            IsoStatus status = volume.ReadRange(file, offset, data, (int)offset, count);
            Assert.True(status == IsoStatus.Ok, "read at " + offset + ": " + status);
        }
        return data;
    }

    /// <summary>Names of a directory's entries in medium order.</summary>
    public static List<string> List(IsoVolume volume, IsoEntry directory)
    {
        var cursor = new IsoDirectoryCursor();
        Assert.Equal(IsoStatus.Ok, volume.OpenDirectory(directory, cursor));
        var names = new List<string>();
        var entry = new IsoEntry();
        IsoStatus status;
        while ((status = volume.ReadNext(cursor, entry)) == IsoStatus.Ok) names.Add(entry.NameToString());
        Assert.Equal(IsoStatus.EndOfDirectory, status);
        return names;
    }

    /// <summary>The path as the primary (level 1) tree names it, for level-1-safe paths.</summary>
    public static string PrimaryName(string relative) => relative.ToUpperInvariant();
}
