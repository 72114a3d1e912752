using System.Text;

namespace Atcp.Frontend.Http;

/// <summary>A request path after decoding and normalisation: its segments (decoded UTF-8 text, no
/// empty, "." or ".." segments) and whether it names a directory (ends in '/').</summary>
public sealed record NormalizedPath(IReadOnlyList<string> Segments, bool IsDirectory)
{
    /// <summary>The root, "/".</summary>
    public static NormalizedPath Root { get; } = new([], true);

    /// <summary>The canonical path, percent-encoded again for use in a Location header or a link.</summary>
    public string ToUriPath()
    {
        var sb = new StringBuilder("/");
        for (int i = 0; i < Segments.Count; i++)
        {
            if (i > 0) sb.Append('/');
            sb.Append(HttpPath.EncodeSegment(Segments[i]));
        }
        if (IsDirectory && Segments.Count > 0) sb.Append('/');
        return sb.ToString();
    }

    /// <summary>The canonical path as decoded text (for logs).</summary>
    public override string ToString() =>
        "/" + string.Join('/', Segments) + (IsDirectory && Segments.Count > 0 ? "/" : "");
}

/// <summary>Decodes and normalises the path of a request target (RFC 3986 2.1, 5.2.4, 6.2.2).
/// Rules (see Http/README.md): percent escapes must be valid; %00, any other control character, an
/// encoded '/' (%2F) and '\' (raw or %5C) are refused; decoded bytes must be UTF-8; "%2E" counts as
/// '.', so "/%2e%2e/" is a dot segment; ".." above the root is refused rather than clamped; empty
/// segments ("//") are merged; a trailing '/' (or a final "." or "..") means a directory.</summary>
public static class HttpPath
{
    /// <summary>Normalises <paramref name="rawPath"/> (origin-form path, still percent-encoded).
    /// Returns 0 on success, otherwise 400 with <paramref name="detail"/> saying why.</summary>
    public static int TryNormalize(string rawPath, out NormalizedPath path, out string detail)
    {
        path = NormalizedPath.Root;
        detail = "";
        if (rawPath.Length == 0 || rawPath[0] != '/') { detail = "path does not start with '/'"; return 400; }
        var segments = new List<string>();
        bool directory = false;
        string[] rawSegments = rawPath.Split('/');
        // rawSegments[0] is the empty string before the leading '/'.
        for (int i = 1; i < rawSegments.Length; i++)
        {
            bool last = i == rawSegments.Length - 1;
            string raw = rawSegments[i];
            if (raw.Length == 0) { directory = last; continue; }
            if (!TryDecodeSegment(raw, out string segment, out detail)) return 400;
            directory = false;
            if (segment == ".") { directory = last; continue; }
            if (segment == "..")
            {
                if (segments.Count == 0) { detail = "path climbs above the root"; return 400; }
                segments.RemoveAt(segments.Count - 1);
                directory = last;
                continue;
            }
            segments.Add(segment);
        }
        if (segments.Count == 0) directory = true;
        path = new NormalizedPath(segments, directory);
        return 0;
    }

    /// <summary>Percent-decodes one segment and checks it is UTF-8 text without control characters,
    /// '/' or '\'.</summary>
    public static bool TryDecodeSegment(string raw, out string segment, out string detail)
    {
        segment = "";
        detail = "";
        Span<byte> bytes = raw.Length <= 512 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            byte b;
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2])) { detail = "invalid percent escape"; return false; }
                b = (byte)(HttpSyntax.HexValue((byte)raw[i + 1]) * 16 + HttpSyntax.HexValue((byte)raw[i + 2]));
                i += 2;
                if (b == '/') { detail = "encoded '/' (%2F) in the path"; return false; }
            }
            else
            {
                if (c > 0x7E) { detail = "non-ASCII character not percent-encoded"; return false; }
                b = (byte)c;
            }
            if (b == 0) { detail = "NUL in the path"; return false; }
            if (b < 0x20 || b == 0x7F) { detail = "control character in the path"; return false; }
            if (b == '\\') { detail = "backslash in the path"; return false; }
            bytes[n++] = b;
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes[..n])) { detail = "path is not valid UTF-8"; return false; }
        segment = Encoding.UTF8.GetString(bytes[..n]);
        return true;
    }

    static bool IsHex(char c) => c < 0x80 && HttpSyntax.IsHexDigit((byte)c);

    /// <summary>Percent-encodes a decoded segment: every byte of its UTF-8 form that is not unreserved
    /// or one of the sub-delims, ':' and '@' (RFC 3986 3.3 pchar).</summary>
    public static string EncodeSegment(string segment)
    {
        var sb = new StringBuilder(segment.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(segment))
        {
            if (b < 0x80 && HttpSyntax.IsPathChar(b) && b != '/' && b != '%' && b != '&' && b != '\'')
                sb.Append((char)b);
            else
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
        }
        return sb.ToString();
    }
}
