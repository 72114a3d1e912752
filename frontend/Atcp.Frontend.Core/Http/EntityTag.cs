namespace Atcp.Frontend.Http;

/// <summary>An entity-tag (RFC 9110 8.8.3): an opaque quoted string, weak if prefixed by "W/".</summary>
/// <param name="Opaque">The characters between the quotes.</param>
/// <param name="IsWeak">True for a weak validator.</param>
public readonly record struct EntityTag(string Opaque, bool IsWeak)
{
    /// <summary>The field-value form: "W/\"x\"" or "\"x\"".</summary>
    public override string ToString() => (IsWeak ? "W/\"" : "\"") + Opaque + "\"";

    /// <summary>Strong comparison (RFC 9110 8.8.3.2): both strong and the same characters.</summary>
    public bool StrongEquals(EntityTag other) => !IsWeak && !other.IsWeak && Opaque == other.Opaque;

    /// <summary>Weak comparison: the same characters, weakness ignored.</summary>
    public bool WeakEquals(EntityTag other) => Opaque == other.Opaque;

    /// <summary>Parses exactly one entity-tag (no surrounding whitespace).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out EntityTag tag)
    {
        tag = default;
        bool weak = s.StartsWith("W/", StringComparison.Ordinal);
        if (weak) s = s[2..];
        if (s.Length < 2 || s[0] != '"' || s[^1] != '"') return false;
        ReadOnlySpan<char> opaque = s[1..^1];
        foreach (char c in opaque)
            if (!IsEtagChar(c)) return false;
        tag = new EntityTag(opaque.ToString(), weak);
        return true;
    }

    // etagc = %x21 / %x23-7E / obs-text
    static bool IsEtagChar(char c) => c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);

    /// <summary>Parses an If-Match / If-None-Match value: "*" (<paramref name="any"/> true) or a
    /// comma-separated list of entity-tags, empty elements allowed (RFC 9110 5.6.1). False if malformed.</summary>
    public static bool TryParseList(string value, out bool any, out List<EntityTag> tags)
    {
        any = false;
        tags = [];
        ReadOnlySpan<char> v = HttpSyntax.TrimOws(value);
        if (v.SequenceEqual("*")) { any = true; return true; }
        int i = 0;
        while (i < v.Length)
        {
            while (i < v.Length && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
            if (i >= v.Length) break;
            int start = i;
            if (v[i..].StartsWith("W/", StringComparison.Ordinal)) i += 2;
            if (i >= v.Length || v[i] != '"') return false;
            int close = v[(i + 1)..].IndexOf('"');
            if (close < 0) return false;
            i += close + 2;
            if (!TryParse(v[start..i], out EntityTag tag)) return false;
            tags.Add(tag);
            while (i < v.Length && (v[i] == ' ' || v[i] == '\t')) i++;
            if (i < v.Length && v[i] != ',') return false;
        }
        return tags.Count > 0;
    }
}
