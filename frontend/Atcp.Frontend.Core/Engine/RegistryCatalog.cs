using Atcp.Frontend.Cluster;
using Atcp.Frontend.Http;

namespace Atcp.Frontend.Engine;

/// <summary>The HTTP handler's view of the cluster's objects: the union of the boards' inventories,
/// rebuilt whenever an inventory changes. Disk objects are keyed "disk:NAME", CD files
/// "cd:LABEL/PATH" (the registry's keys), so a request maps to the boards holding the object.</summary>
public sealed class RegistryCatalog(BoardRegistry registry) : IObjectCatalog
{
    InMemoryObjectCatalog _catalog = new();

    /// <summary>Objects known.</summary>
    public int Count { get; private set; }

    /// <summary>Rebuilds from the registry (after an inventory change).</summary>
    public void Rebuild()
    {
        var next = new InMemoryObjectCatalog();
        int n = 0;
        foreach (var e in registry.AllObjects)
        {
            var location = e.IsCd ? ObjectLocation.OnCd(CdLabel(e.Key), e.Name) : ObjectLocation.OnDisk(e.Name);
            next.Add(new ObjectInfo(location, e.Size, string.IsNullOrEmpty(e.ContentType) ? null : e.ContentType,
                string.IsNullOrEmpty(e.ETag) ? null : e.ETag, null, e));
            n++;
        }
        _catalog = next;
        Count = n;
    }

    static string CdLabel(string key) => key[3..key.IndexOf('/', 3)];

    /// <summary>The registry entry behind an object the catalog returned.</summary>
    public ObjectEntry EntryOf(ObjectInfo info) => (ObjectEntry)info.Handle!;

    /// <inheritdoc/>
    public ObjectInfo? Find(ObjectLocation location) => _catalog.Find(location);

    /// <inheritdoc/>
    public IReadOnlyList<DirectoryEntry>? List(ObjectLocation location) => _catalog.List(location);

    /// <inheritdoc/>
    public IReadOnlyList<string> Volumes => _catalog.Volumes;
}
