namespace Atcp.Frontend.Http;

/// <summary>The URL scheme: which path prefixes map to which store (see Http/README.md).</summary>
public sealed record HttpRouteOptions
{
    /// <summary>First segment under which disk objects are named ("/objects/name"); null for none.</summary>
    public string? DiskPrefix { get; init; } = "objects";

    /// <summary>First segment under which CD volumes are named ("/cd/VOLUME/path"); null for none.</summary>
    public string? CdPrefix { get; init; } = "cd";

    /// <summary>If true, a path outside both prefixes names a disk object too ("/name" = "/objects/name")
    /// and "/" lists the disk store; if false such paths are 404 and "/" lists the prefixes.</summary>
    public bool RootServesDisk { get; init; } = true;

    /// <summary>The defaults: "/objects/", "/cd/", and the root serving disk objects.</summary>
    public static HttpRouteOptions Default { get; } = new();
}

/// <summary>What a normalised path points at.</summary>
public enum RouteKind
{
    /// <summary>A file or directory in a store: <see cref="Route.Location"/>.</summary>
    Store,
    /// <summary>The list of CD volumes (the CD prefix itself).</summary>
    VolumeList,
    /// <summary>The root when it does not serve disk objects: a list of the prefixes.</summary>
    Index,
    /// <summary>Nothing under this scheme.</summary>
    NotFound,
}

/// <summary>The result of mapping a path: its kind, the store location, and the path it came from.</summary>
public sealed record Route(RouteKind Kind, ObjectLocation Location, NormalizedPath Path);

/// <summary>Maps normalised paths to store locations under a <see cref="HttpRouteOptions"/> scheme.</summary>
public sealed class HttpRouter(HttpRouteOptions? options = null)
{
    readonly HttpRouteOptions _options = options ?? HttpRouteOptions.Default;

    /// <summary>The scheme in force.</summary>
    public HttpRouteOptions Options => _options;

    /// <summary>Maps <paramref name="path"/> to where it points. Whether a Store location is a file or a
    /// directory is for the catalog to say; <see cref="NormalizedPath.IsDirectory"/> says which was asked.</summary>
    public Route Map(NormalizedPath path)
    {
        IReadOnlyList<string> s = path.Segments;
        if (s.Count > 0 && _options.CdPrefix != null && s[0] == _options.CdPrefix)
        {
            if (s.Count == 1) return new Route(RouteKind.VolumeList, default, path);
            return new Route(RouteKind.Store, ObjectLocation.OnCd(s[1], Join(s, 2)), path);
        }
        if (s.Count > 0 && _options.DiskPrefix != null && s[0] == _options.DiskPrefix)
            return new Route(RouteKind.Store, ObjectLocation.OnDisk(Join(s, 1)), path);
        if (_options.RootServesDisk) return new Route(RouteKind.Store, ObjectLocation.OnDisk(Join(s, 0)), path);
        return s.Count == 0 ? new Route(RouteKind.Index, default, path) : new Route(RouteKind.NotFound, default, path);
    }

    static string Join(IReadOnlyList<string> segments, int from)
    {
        if (from >= segments.Count) return "";
        var parts = new string[segments.Count - from];
        for (int i = from; i < segments.Count; i++) parts[i - from] = segments[i];
        return string.Join('/', parts);
    }
}
