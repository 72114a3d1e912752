using Atcp.Emulation.Media;
using Atcp.Firmware.Store;

namespace Atcp.SdImage;

/// <summary>An image opened read-only and mounted with the store code, as a board would mount the card.</summary>
public sealed class ImageReader : IDisposable
{
    readonly FileBlockDevice _device;

    ImageReader(FileBlockDevice device, ObjectStore store)
    {
        _device = device;
        Store = store;
    }

    /// <summary>The mounted store.</summary>
    public ObjectStore Store { get; }

    /// <summary>Opens and mounts path; throws ToolException saying why it cannot.</summary>
    public static ImageReader Open(string path)
    {
        if (!File.Exists(path)) throw new ToolException($"image not found: {path}");
        FileBlockDevice device;
        try { device = new FileBlockDevice(path, StoreLayout.BlockSize, readOnly: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot open {path}: {e.Message}");
        }
        var store = new ObjectStore(device);
        var status = store.Mount();
        if (status != StoreStatus.Ok)
        {
            device.Dispose();
            throw new ToolException($"cannot mount {path}: {ImageBuilder.Describe(store, status)}");
        }
        return new ImageReader(device, store);
    }

    /// <summary>Every object, read through the store's listing and sorted by name; entries that cannot
    /// be read are reported to problems (with their listing position) and left out.</summary>
    public List<StoreObject> ListAll(List<string> problems)
    {
        var objects = new List<StoreObject>();
        long cursor = 0;
        while (true)
        {
            long at = cursor;
            var o = new StoreObject();
            var status = Store.ListNext(ref cursor, o);
            if (status == StoreStatus.EndOfList) break;
            if (status != StoreStatus.Ok)
            {
                problems.Add($"directory entry {at}: {ImageBuilder.Describe(Store, status)}");
                if (cursor <= at) break; // no progress: give up rather than loop
                continue;
            }
            objects.Add(o);
        }
        objects.Sort((a, b) => a.Name.AsSpan(0, a.NameLength).SequenceCompareTo(b.Name.AsSpan(0, b.NameLength)));
        return objects;
    }

    /// <summary>Closes the image.</summary>
    public void Dispose() => _device.Dispose();
}
