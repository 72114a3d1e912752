namespace Atcp.Frontend.Http;

/// <summary>The fields of one response header, as <see cref="HttpResponseBuilder"/> writes them. Null
/// or false fields are left out.</summary>
public sealed record HttpResponseHead
{
    /// <summary>The status code; the reason phrase comes from <see cref="HttpStatus.Reason"/>.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The Date field: the time the response is generated, passed in by the caller.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>Content-Type.</summary>
    public string? ContentType { get; init; }

    /// <summary>Content-Length.</summary>
    public long? ContentLength { get; init; }

    /// <summary>Content-Range, e.g. "bytes 0-99/1000" or "bytes */1000".</summary>
    public string? ContentRange { get; init; }

    /// <summary>Last-Modified.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>ETag, with its quotes.</summary>
    public string? ETag { get; init; }

    /// <summary>Location (redirects).</summary>
    public string? Location { get; init; }

    /// <summary>Allow (405 and OPTIONS).</summary>
    public string? Allow { get; init; }

    /// <summary>Sends "Accept-Ranges: bytes".</summary>
    public bool AcceptRanges { get; init; }

    /// <summary>"Connection: keep-alive" if true, "Connection: close" if false.</summary>
    public bool KeepAlive { get; init; }
}
