namespace Atcp.Frontend.Http;

/// <summary>Which kind of store a name lives in.</summary>
public enum ObjectStore
{
    /// <summary>Objects on the boards' SD cards, named by flat names that may contain '/'.</summary>
    Disk,
    /// <summary>Files inside CD (ISO 9660) volumes held by boards.</summary>
    Cd,
}

/// <summary>Where a request points: a store, a CD volume (empty for disk objects) and a path inside
/// it, segments joined with '/' ("" for the top of the store or volume). Names are decoded text.</summary>
public readonly record struct ObjectLocation(ObjectStore Store, string Volume, string Path)
{
    /// <summary>A disk object or disk directory by name.</summary>
    public static ObjectLocation OnDisk(string name) => new(ObjectStore.Disk, "", name);

    /// <summary>A file or directory inside a CD volume.</summary>
    public static ObjectLocation OnCd(string volume, string path) => new(ObjectStore.Cd, volume, path);

    /// <summary>For logs: "disk:name" or "cd:VOLUME/path".</summary>
    public override string ToString() => Store == ObjectStore.Disk ? "disk:" + Path : "cd:" + Volume + "/" + Path;
}

/// <summary>What the boards' inventories say about one object. The front-end never sees its bytes.</summary>
/// <param name="Location">Where it lives.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="ContentType">Media type to announce; an invalid one is replaced by the default.</param>
/// <param name="ETag">Entity-tag with its quotes (and "W/" if weak), or null; an invalid one is dropped.</param>
/// <param name="LastModified">Modification time if the store records one.</param>
/// <param name="Handle">The catalog's own reference (for example which board holds it), passed back untouched.</param>
public sealed record ObjectInfo(ObjectLocation Location, long Length, string? ContentType, string? ETag,
                                DateTimeOffset? LastModified = null, object? Handle = null);

/// <summary>One line of a directory listing.</summary>
/// <param name="Name">The entry's name inside the directory (one segment, decoded).</param>
/// <param name="IsDirectory">True for a sub-directory (listed with a trailing '/').</param>
/// <param name="Length">Size in bytes for files.</param>
/// <param name="LastModified">Modification time if known.</param>
public sealed record DirectoryEntry(string Name, bool IsDirectory, long Length = 0, DateTimeOffset? LastModified = null);

/// <summary>The object lookup the request handler consults: the union of the boards' inventories.</summary>
public interface IObjectCatalog
{
    /// <summary>The object (file) at <paramref name="location"/>, or null if there is none.</summary>
    ObjectInfo? Find(ObjectLocation location);

    /// <summary>The entries of the directory at <paramref name="location"/>, or null if no such directory.</summary>
    IReadOnlyList<DirectoryEntry>? List(ObjectLocation location);

    /// <summary>Names of the CD volumes available (for the listing of the CD prefix).</summary>
    IReadOnlyList<string> Volumes { get; }
}
