namespace Atcp.SdImage;

/// <summary>Content types of stored objects, from the file name's extension (case-insensitive). The
/// types the board itself gives CD files (firmware Board/ContentTypes.cs) are the same here; this
/// table knows more extensions. Unknown extensions get application/octet-stream.</summary>
public static class ContentTypeTable
{
    /// <summary>The type for names without a known extension.</summary>
    public const string Fallback = "application/octet-stream";

    static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["html"] = "text/html", ["htm"] = "text/html", ["css"] = "text/css",
        ["js"] = "text/javascript", ["mjs"] = "text/javascript", ["json"] = "application/json",
        ["txt"] = "text/plain", ["md"] = "text/markdown", ["csv"] = "text/csv", ["xml"] = "application/xml",
        ["vtt"] = "text/vtt", ["wasm"] = "application/wasm", ["map"] = "application/json",
        ["svg"] = "image/svg+xml", ["png"] = "image/png", ["jpg"] = "image/jpeg", ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif", ["webp"] = "image/webp", ["avif"] = "image/avif", ["ico"] = "image/x-icon",
        ["bmp"] = "image/bmp",
        ["woff"] = "font/woff", ["woff2"] = "font/woff2", ["ttf"] = "font/ttf", ["otf"] = "font/otf",
        ["mp4"] = "video/mp4", ["m4v"] = "video/mp4", ["webm"] = "video/webm", ["mkv"] = "video/x-matroska",
        ["mov"] = "video/quicktime", ["ogv"] = "video/ogg", ["ts"] = "video/mp2t",
        ["m3u8"] = "application/vnd.apple.mpegurl", ["mpd"] = "application/dash+xml",
        ["mp3"] = "audio/mpeg", ["ogg"] = "audio/ogg", ["oga"] = "audio/ogg", ["opus"] = "audio/opus",
        ["wav"] = "audio/wav", ["flac"] = "audio/flac", ["m4a"] = "audio/mp4", ["aac"] = "audio/aac",
        ["pdf"] = "application/pdf", ["zip"] = "application/zip", ["gz"] = "application/gzip",
        ["tar"] = "application/x-tar", ["xz"] = "application/x-xz", ["7z"] = "application/x-7z-compressed",
        ["iso"] = "application/x-iso9660-image", ["img"] = Fallback, ["bin"] = Fallback,
    };

    /// <summary>The extensions the table knows (without dots).</summary>
    public static IEnumerable<string> Extensions => ByExtension.Keys;

    /// <summary>The content type for an object name (its last segment's extension).</summary>
    public static string For(string name)
    {
        int slash = name.LastIndexOf('/');
        int dot = name.LastIndexOf('.');
        if (dot <= slash + 1 || dot == name.Length - 1) return Fallback; // no extension, or a dot-file like ".profile"
        return ByExtension.TryGetValue(name[(dot + 1)..], out var type) ? type : Fallback;
    }
}
