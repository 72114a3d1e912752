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
    public string Format(HttpResponseHead head) => System.Text.Encoding.Latin1.GetString(Build(head));

    /// <summary>The header bytes.</summary>
    public byte[] Build(HttpResponseHead head)
    {
        Span<byte> scratch = stackalloc byte[1024];
        if (TryWrite(head, scratch, out int written)) return scratch[..written].ToArray();
        var large = new byte[Measure(head)];
        TryWrite(head, large, out _);
        return large;
    }

    /// <summary>The number of bytes <see cref="Build"/> would produce.</summary>
    public int Measure(HttpResponseHead head)
    {
        var writer = new HeaderWriter(Span<byte>.Empty, countOnly: true);
        Write(ref writer, head);
        return writer.Position;
    }

    /// <summary>Writes the header into <paramref name="destination"/>; false (nothing usable written)
    /// if it does not fit.</summary>
    public bool TryWrite(HttpResponseHead head, Span<byte> destination, out int written)
    {
        var writer = new HeaderWriter(destination, countOnly: false);
        Write(ref writer, head);
        written = writer.Overflowed ? 0 : writer.Position;
        return !writer.Overflowed;
    }

    void Write(ref HeaderWriter w, HttpResponseHead head)
    {
        w.Append("HTTP/1.1 ");
        w.Append(head.StatusCode);
        w.Append(" ");
        w.Append(HttpStatus.Reason(head.StatusCode));
        w.Append("\r\n");
        w.Field("Server", _server);
        w.Field("Date", HttpDate.Format(head.Date));
        if (head.ContentType != null) w.Field("Content-Type", head.ContentType);
        if (head.ContentLength is { } length) { w.Append("Content-Length: "); w.Append(length); w.Append("\r\n"); }
        if (head.ContentRange != null) w.Field("Content-Range", head.ContentRange);
        if (head.LastModified is { } modified) w.Field("Last-Modified", HttpDate.Format(modified));
        if (head.ETag != null) w.Field("ETag", head.ETag);
        if (head.Location != null) w.Field("Location", head.Location);
        if (head.Allow != null) w.Field("Allow", head.Allow);
        if (head.AcceptRanges) w.Field("Accept-Ranges", "bytes");
        w.Field("Connection", head.KeepAlive ? "keep-alive" : "close");
        w.Append("\r\n");
    }

    /// <summary>Appends ASCII to a span, or only counts; remembers overflow instead of throwing.</summary>
    ref struct HeaderWriter(Span<byte> destination, bool countOnly)
    {
        readonly Span<byte> _destination = destination;
        public int Position;
        public bool Overflowed;

        public void Append(string text)
        {
            if (!countOnly)
            {
                if (Overflowed || Position + text.Length > _destination.Length) { Overflowed = true; return; }
                for (int i = 0; i < text.Length; i++) _destination[Position + i] = (byte)text[i];
            }
            Position += text.Length;
        }

        public void Append(long value)
        {
            Span<char> digits = stackalloc char[20];
            value.TryFormat(digits, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
            Append(new string(digits[..n]));
        }

        public void Field(string name, string value)
        {
            CheckFieldValue(name, value);
            Append(name);
            Append(": ");
            Append(value);
            Append("\r\n");
        }
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

    /// <summary>Refuses values that would break the header (CR, LF, NUL, other controls, non-Latin-1):
    /// callers validate inventory data first, so this only catches programming errors.</summary>
    static void CheckFieldValue(string name, string value)
    {
        foreach (char c in value)
            if (c > 0xFF || !HttpSyntax.IsFieldValueChar((byte)c))
                throw new ArgumentException("invalid character in the " + name + " field value", nameof(value));
    }
}
