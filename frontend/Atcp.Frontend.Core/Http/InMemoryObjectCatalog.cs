namespace Atcp.Frontend.Http;

/// <summary>A catalog held in memory, built from inventory entries. Directories are implied by '/'
/// in names: "a/b" puts "b" in directory "a" of its store or volume. The top of the disk store and of
/// each known volume always exist (possibly empty).</summary>
public sealed class InMemoryObjectCatalog : IObjectCatalog
{
    readonly Dictionary<ObjectLocation, ObjectInfo> _objects = [];
    readonly Dictionary<ObjectLocation, SortedDictionary<string, DirectoryEntry>> _directories = [];
    readonly SortedSet<string> _volumes = new(StringComparer.Ordinal);

    /// <summary>An empty catalog whose disk store exists (empty).</summary>
    public InMemoryObjectCatalog()
    {
        _directories[ObjectLocation.OnDisk("")] = new(StringComparer.Ordinal);
    }

    /// <summary>Adds or replaces an object and the directories its name implies.</summary>
    public void Add(ObjectInfo info)
    {
        ObjectLocation location = info.Location;
        if (location.Store == ObjectStore.Cd) AddVolume(location.Volume);
        _objects[location] = info;
        string[] parts = location.Path.Split('/');
        string parent = "";
        for (int i = 0; i < parts.Length; i++)
        {
            var dirLocation = location with { Path = parent };
            if (!_directories.TryGetValue(dirLocation, out var entries))
                _directories[dirLocation] = entries = new(StringComparer.Ordinal);
            bool isLast = i == parts.Length - 1;
            entries[parts[i]] = isLast
                ? new DirectoryEntry(parts[i], false, info.Length, info.LastModified)
                : new DirectoryEntry(parts[i], true);
            parent = parent.Length == 0 ? parts[i] : parent + "/" + parts[i];
        }
    }

    /// <summary>Declares a CD volume (its top directory exists even if empty).</summary>
    public void AddVolume(string volume)
    {
        if (_volumes.Add(volume)) _directories[ObjectLocation.OnCd(volume, "")] = new(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public ObjectInfo? Find(ObjectLocation location) => _objects.GetValueOrDefault(location);

    /// <inheritdoc/>
    public IReadOnlyList<DirectoryEntry>? List(ObjectLocation location) =>
        _directories.TryGetValue(location, out var entries) ? [.. entries.Values] : null;

    /// <inheritdoc/>
    public IReadOnlyList<string> Volumes => [.. _volumes];
}
