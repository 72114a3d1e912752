namespace Atcp.Frontend.Http;

/// <summary>The request-target and authority grammars (RFC 9112 3.2, RFC 3986 3, RFC 9110 4.2.1,
/// 7.2): which form a target has, where its path and query are, and whether a Host value or an
/// absolute-form authority is well formed and names this service.</summary>
public static class HttpTargetSyntax
{
    /// <summary>True for a byte that may appear in any accepted request-target form; everything else
    /// (CTLs, space, '"', '#', '&lt;', '&gt;', '\', '^', '`', '{', '|', '}', non-ASCII) is a 400.</summary>
    public static bool IsTargetByte(byte b) => HttpSyntax.IsQueryChar(b) || b == '%' || b == '[' || b == ']';

    /// <summary>A well-formed authority: host (lowercased for comparison, brackets kept for an IP
    /// literal) and port text (empty if none).</summary>
    public readonly record struct Authority(string Host, string Port);

    /// <summary>Checks an authority (uri-host [":" port], no userinfo) and splits it. False if malformed.</summary>
    public static bool TryParseAuthority(ReadOnlySpan<byte> s, bool allowEmptyHost, out Authority authority)
    {
        authority = default;
        int hostEnd;
        if (s.Length > 0 && s[0] == '[')
        {
            int close = s.IndexOf((byte)']');
            if (close < 2) return false;
            foreach (byte b in s[1..close])
                if (!(HttpSyntax.IsHexDigit(b) || b == ':' || b == '.')) return false;
            hostEnd = close + 1;
        }
        else
        {
            hostEnd = s.IndexOf((byte)':');
            if (hostEnd < 0) hostEnd = s.Length;
            if (!IsValidEncoded(s[..hostEnd], HttpSyntax.IsRegNameChar)) return false;
        }
        if (hostEnd == 0 && !allowEmptyHost) return false;
        ReadOnlySpan<byte> port = ReadOnlySpan<byte>.Empty;
        if (hostEnd < s.Length)
        {
            if (s[hostEnd] != ':') return false;
            port = s[(hostEnd + 1)..];
            if (port.Length > 5) return false;
            foreach (byte b in port)
                if (b < '0' || b > '9') return false;
        }
        authority = new Authority(HttpSyntax.Latin1(s[..hostEnd]).ToLowerInvariant(), HttpSyntax.Latin1(port));
        return true;
    }

    /// <summary>A parsed request-target: its form and its path and query, still percent-encoded.</summary>
    public readonly record struct Target(RequestTargetForm Form, string RawPath, string? Query, Authority? Authority);

    /// <summary>Splits and checks a request-target. Returns 0 on success, otherwise the status to answer
    /// (400 malformed, 421 an absolute-form target for another scheme, host or port).</summary>
    public static int TryParse(ReadOnlySpan<byte> target, RequestMethod method, HttpParserOptions options,
                               out Target parsed, out string detail)
    {
        parsed = default;
        detail = "";
        if (target.Length == 1 && target[0] == '*')
        {
            if (method != RequestMethod.Options) { detail = "asterisk-form target is only for OPTIONS"; return 400; }
            parsed = new Target(RequestTargetForm.Asterisk, "*", null, null);
            return 0;
        }
        if (target.Length > 0 && target[0] == '/')
        {
            if (!TrySplitPathAndQuery(target, out string path, out string? query)) { detail = "malformed origin-form target"; return 400; }
            parsed = new Target(RequestTargetForm.Origin, path, query, null);
            return 0;
        }
        return TryParseAbsolute(target, options, out parsed, out detail);
    }

    static int TryParseAbsolute(ReadOnlySpan<byte> target, HttpParserOptions options, out Target parsed, out string detail)
    {
        parsed = default;
        detail = "";
        int colon = target.IndexOf((byte)':');
        if (colon <= 0 || !IsScheme(target[..colon])) { detail = "target is neither origin-form nor absolute-form"; return 400; }
        ReadOnlySpan<byte> rest = target[(colon + 1)..];
        if (!System.Text.Ascii.EqualsIgnoreCase(target[..colon], "http"u8))
        {
            detail = "absolute-form target for a scheme this server does not serve";
            return 421;
        }
        if (!rest.StartsWith("//"u8)) { detail = "http target without an authority"; return 400; }
        rest = rest[2..];
        int authorityEnd = rest.IndexOfAny((byte)'/', (byte)'?');
        if (authorityEnd < 0) authorityEnd = rest.Length;
        ReadOnlySpan<byte> authorityBytes = rest[..authorityEnd];
        // RFC 9110 4.2.4: userinfo in an http URI is treated as an error.
        if (authorityBytes.Contains((byte)'@')) { detail = "userinfo in an absolute-form target"; return 400; }
        if (!TryParseAuthority(authorityBytes, allowEmptyHost: false, out Authority authority))
        {
            detail = "malformed authority in an absolute-form target";
            return 400;
        }
        ReadOnlySpan<byte> pathAndQuery = rest[authorityEnd..];
        string path;
        string? query;
        if (pathAndQuery.IsEmpty) { path = "/"; query = null; }
        else if (pathAndQuery[0] == '?')
        {
            if (!TrySplitPathAndQuery(pathAndQuery, out _, out query)) { detail = "malformed query"; return 400; }
            path = "/";
        }
        else if (!TrySplitPathAndQuery(pathAndQuery, out path, out query)) { detail = "malformed path in an absolute-form target"; return 400; }

        if (!IsServiceAuthority(authority, options)) { detail = "absolute-form target names another host or port"; return 421; }
        parsed = new Target(RequestTargetForm.Absolute, path, query, authority);
        return 0;
    }

    /// <summary>True if the authority names this service (RFC 9110 7.4 421 Misdirected Request otherwise).</summary>
    public static bool IsServiceAuthority(Authority authority, HttpParserOptions options)
    {
        if (authority.Port.Length > 0 && int.Parse(authority.Port) != options.ServicePort) return false;
        if (options.ServiceHosts.Count == 0) return true;
        foreach (string host in options.ServiceHosts)
            if (string.Equals(host, authority.Host, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    static bool IsScheme(ReadOnlySpan<byte> s)
    {
        // RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        if (s.IsEmpty || !char.IsAsciiLetter((char)s[0])) return false;
        foreach (byte b in s)
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == '+' || b == '-' || b == '.')) return false;
        return true;
    }

    static bool TrySplitPathAndQuery(ReadOnlySpan<byte> s, out string path, out string? query)
    {
        path = "";
        query = null;
        int q = s.IndexOf((byte)'?');
        ReadOnlySpan<byte> pathBytes = q < 0 ? s : s[..q];
        if (!IsValidEncoded(pathBytes, HttpSyntax.IsPathChar)) return false;
        if (q >= 0)
        {
            ReadOnlySpan<byte> queryBytes = s[(q + 1)..];
            if (!IsValidEncoded(queryBytes, HttpSyntax.IsQueryChar)) return false;
            query = HttpSyntax.Latin1(queryBytes);
        }
        path = HttpSyntax.Latin1(pathBytes);
        return true;
    }

    static bool IsValidEncoded(ReadOnlySpan<byte> s, Func<byte, bool> isLiteral)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (!HttpSyntax.IsPercentEscapeAt(s, i)) return false;
                i += 2;
            }
            else if (!isLiteral(s[i])) return false;
        }
        return true;
    }
}
