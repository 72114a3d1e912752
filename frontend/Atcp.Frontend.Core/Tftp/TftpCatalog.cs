namespace Atcp.Frontend.Tftp;

/// <summary>A file a TFTP client may read: its size and where it lives. The front-end never sees its bytes.</summary>
/// <param name="Name">The name as the catalog knows it.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Location">The catalog's own reference (board, volume, object name or ISO path),
/// passed back untouched in the delegation so the dispatcher can build COMMAND_UDP.</param>
public sealed record TftpFile(string Name, long Size, object? Location = null);

/// <summary>Name lookup for read requests: the union of the boards' inventories, as TFTP names it.</summary>
public interface ITftpCatalog
{
    /// <summary>The file for a requested name exactly as the client sent it (decoded UTF-8), or null.
    /// Name mapping (a leading '/', case) is the catalog's business.</summary>
    TftpFile? Find(string filename);
}

/// <summary>A catalog held in memory (tests, small static setups). Names match exactly, and a leading
/// '/' is ignored because many clients send one.</summary>
public sealed class InMemoryTftpCatalog : ITftpCatalog
{
    readonly Dictionary<string, TftpFile> _files = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a file; returns this for chaining.</summary>
    public InMemoryTftpCatalog Add(string name, long size, object? location = null)
    {
        _files[name.TrimStart('/')] = new TftpFile(name.TrimStart('/'), size, location);
        return this;
    }

    /// <inheritdoc/>
    public TftpFile? Find(string filename) => _files.GetValueOrDefault(filename.TrimStart('/'));
}
