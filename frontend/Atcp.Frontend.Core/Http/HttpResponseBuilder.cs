using System.Text;

namespace Atcp.Frontend.Http;

/// <summary>Writes response headers (RFC 9112 4, RFC 9110 6.6) in a fixed field order: status line,
/// Server, Date, Content-Type, Content-Length, Content-Range, Last-Modified, ETag, Location, Allow,
/// Accept-Ranges, Connection, empty line. The status line always says HTTP/1.1, the highest version
/// we implement (RFC 9110 2.5), also to 1.0 clients.</summary>
public sealed class HttpResponseBuilder
{
    readonly string _server;

    /// <summary>A builder that names the server <paramref name="serverName"/> in the Server field.</summary>
    public HttpResponseBuilder(string serverName = "atcp")
    {
        CheckFieldValue("Server", serverName);
        _server = serverName;
    }

    /// <summary>The header as text (ASCII, CRLF line ends).</summary>
    public string Format(HttpResponseHead head)
    {
        var sb = new StringBuilder(256);
        sb.Append("HTTP/1.1 ").Append(head.StatusCode).Append(' ').Append(HttpStatus.Reason(head.StatusCode)).Append("\r\n");
        Field(sb, "Server", _server);
        Field(sb, "Date", HttpDate.Format(head.Date));
        if (head.ContentType != null) Field(sb, "Content-Type", head.ContentType);
        if (head.ContentLength is { } length) Field(sb, "Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (head.ContentRange != null) Field(sb, "Content-Range", head.ContentRange);
        if (head.LastModified is { } modified) Field(sb, "Last-Modified", HttpDate.Format(modified));
        if (head.ETag != null) Field(sb, "ETag", head.ETag);
        if (head.Location != null) Field(sb, "Location", head.Location);
        if (head.Allow != null) Field(sb, "Allow", head.Allow);
        if (head.AcceptRanges) Field(sb, "Accept-Ranges", "bytes");
        Field(sb, "Connection", head.KeepAlive ? "keep-alive" : "close");
        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>The header bytes.</summary>
    public byte[] Build(HttpResponseHead head) => Encoding.Latin1.GetBytes(Format(head));

    /// <summary>Writes the header into <paramref name="destination"/>; false (nothing usable written)
    /// if it does not fit.</summary>
    public bool TryWrite(HttpResponseHead head, Span<byte> destination, out int written)
    {
        string text = Format(head);
        written = 0;
        if (text.Length > destination.Length) return false;
        written = Encoding.Latin1.GetBytes(text, destination);
        return true;
    }

    /// <summary>A whole response: the header (with Content-Length set to the body's length) followed by
    /// the body, or the header alone when <paramref name="headOnly"/> (a HEAD request, RFC 9110 9.3.2)
    /// or the status has no content.</summary>
    public byte[] BuildWithBody(HttpResponseHead head, ReadOnlySpan<byte> body, bool headOnly)
    {
        bool noContent = HttpStatus.HasNoContent(head.StatusCode);
        byte[] header = Build(noContent ? head : head with { ContentLength = body.Length });
        if (headOnly || noContent) return header;
        var response = new byte[header.Length + body.Length];
        header.CopyTo(response, 0);
        body.CopyTo(response.AsSpan(header.Length));
        return response;
    }

    /// <summary>An error response with a small HTML body naming the status. 405 carries Allow; pass
    /// <paramref name="contentRange"/> for 416 ("bytes */size").</summary>
    public byte[] BuildError(int status, DateTimeOffset date, bool keepAlive, bool headOnly, string? contentRange = null,
                             string? location = null)
    {
        var head = new HttpResponseHead
        {
            StatusCode = status,
            Date = date,
            ContentType = HtmlPages.ContentType,
            ContentRange = contentRange,
            Location = location,
            Allow = status == 405 ? HttpStatus.AllowedMethods : null,
            AcceptRanges = status == 416,
            KeepAlive = keepAlive,
        };
        return BuildWithBody(head, HtmlPages.Error(status), headOnly);
    }

    static void Field(StringBuilder sb, string name, string value)
    {
        CheckFieldValue(name, value);
        sb.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    /// <summary>Refuses values that would break the header (CR, LF, NUL, other controls, non-Latin-1):
    /// callers validate inventory data first, so this only catches programming errors.</summary>
    static void CheckFieldValue(string name, string value)
    {
        foreach (char c in value)
            if (c > 0xFF || !HttpSyntax.IsFieldValueChar((byte)c))
                throw new ArgumentException("invalid character in the " + name + " field value", nameof(value));
    }
}
