namespace Atcp.Frontend.Http;

/// <summary>Character classes of the HTTP and URI grammars, as 256-entry tables so every check is
/// one array load (RFC 9110 5.6.2 tchar, 5.5 field-vchar; RFC 3986 2.2-2.3, 3.3 pchar).</summary>
public static class HttpSyntax
{
    const byte Token = 1;        // tchar (RFC 9110 5.6.2)
    const byte FieldValue = 2;   // field-vchar / SP / HTAB (RFC 9110 5.5), obs-text included
    const byte PathChar = 4;     // pchar minus pct-encoded's '%', plus '/' (RFC 3986 3.3)
    const byte QueryChar = 8;    // pchar plus '/' and '?' (RFC 3986 3.4)
    const byte Hex = 16;
    const byte RegName = 32;     // unreserved / sub-delims (RFC 3986 3.2.2)

    static readonly byte[] Classes = BuildClasses();

    static byte[] BuildClasses()
    {
        var table = new byte[256];
        const string tokenPunctuation = "!#$%&'*+-.^_`|~";
        const string subDelims = "!$&'()*+,;=";
        const string unreservedPunctuation = "-._~";
        for (int c = 0; c < 256; c++)
        {
            bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            bool digit = c >= '0' && c <= '9';
            bool unreserved = alpha || digit || unreservedPunctuation.Contains((char)c);
            bool subDelim = c < 128 && subDelims.Contains((char)c);
            byte cls = 0;
            if (alpha || digit || (c < 128 && tokenPunctuation.Contains((char)c))) cls |= Token;
            if ((c >= 0x21 && c <= 0x7E) || c >= 0x80 || c == ' ' || c == '\t') cls |= FieldValue;
            bool pchar = unreserved || subDelim || c == ':' || c == '@';
            if (pchar || c == '/') cls |= PathChar;
            if (pchar || c == '/' || c == '?') cls |= QueryChar;
            if (digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) cls |= Hex;
            if (unreserved || subDelim) cls |= RegName;
            table[c] = cls;
        }
        return table;
    }

    /// <summary>True for a tchar: the characters of methods, header names and other tokens.</summary>
    public static bool IsTokenChar(byte b) => (Classes[b] & Token) != 0;

    /// <summary>True for a byte allowed inside a header field value (visible, SP, HTAB, obs-text).</summary>
    public static bool IsFieldValueChar(byte b) => (Classes[b] & FieldValue) != 0;

    /// <summary>True for a literal path byte of an origin-form target ('%' is checked separately).</summary>
    public static bool IsPathChar(byte b) => (Classes[b] & PathChar) != 0;

    /// <summary>True for a literal query byte ('%' is checked separately).</summary>
    public static bool IsQueryChar(byte b) => (Classes[b] & QueryChar) != 0;

    /// <summary>True for an ASCII hexadecimal digit.</summary>
    public static bool IsHexDigit(byte b) => (Classes[b] & Hex) != 0;

    /// <summary>True for a literal reg-name byte of a host ('%' is checked separately).</summary>
    public static bool IsRegNameChar(byte b) => (Classes[b] & RegName) != 0;

    /// <summary>True if every character of <paramref name="s"/> is a tchar and it is not empty.</summary>
    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (char c in s)
            if (c > 0xFF || !IsTokenChar((byte)c)) return false;
        return true;
    }

    /// <summary>The value of one hexadecimal digit; the caller has checked <see cref="IsHexDigit"/>.</summary>
    public static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>True if the span is exactly a percent escape body (two hex digits) at <paramref name="i"/>.</summary>
    public static bool IsPercentEscapeAt(ReadOnlySpan<byte> s, int i) =>
        i + 2 < s.Length && s[i] == '%' && IsHexDigit(s[i + 1]) && IsHexDigit(s[i + 2]);

    /// <summary>Equality of ASCII text ignoring case, as header names and tokens compare (RFC 9110 5.1).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<char> a, string b) =>
        a.Equals(b.AsSpan(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Trims optional whitespace (SP and HTAB only, RFC 9110 5.6.3).</summary>
    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> s)
    {
        int start = 0, end = s.Length;
        while (start < end && (s[start] == ' ' || s[start] == '\t')) start++;
        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t')) end--;
        return s[start..end];
    }

    /// <summary>Decodes bytes as ISO-8859-1, the one lossless reading of header octets (RFC 9110 5.5).</summary>
    public static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
