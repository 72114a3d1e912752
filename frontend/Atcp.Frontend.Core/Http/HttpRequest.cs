namespace Atcp.Frontend.Http;

/// <summary>The protocol versions this server speaks (RFC 9112 2.3).</summary>
public enum HttpVersion
{
    /// <summary>HTTP/1.0: connections close unless the client asks for keep-alive.</summary>
    Http10,
    /// <summary>HTTP/1.1 (and 1.x above 1, read as 1.1 per RFC 9110 2.5): persistent by default.</summary>
    Http11,
}

/// <summary>Which of the four request-target forms a request used (RFC 9112 3.2).</summary>
public enum RequestTargetForm
{
    /// <summary>"/path?query", the usual form.</summary>
    Origin,
    /// <summary>"http://host/path?query", accepted only for the service host.</summary>
    Absolute,
    /// <summary>"*", accepted only with OPTIONS.</summary>
    Asterisk,
}

/// <summary>The request methods the parser tells apart (RFC 9110 9).</summary>
public enum RequestMethod
{
    /// <summary>GET: served.</summary>
    Get,
    /// <summary>HEAD: served, headers only.</summary>
    Head,
    /// <summary>OPTIONS: answered by the front-end with Allow.</summary>
    Options,
    /// <summary>A method we know but do not allow on these resources (405 with Allow).</summary>
    NotAllowed,
    /// <summary>A method we do not know (501).</summary>
    Unknown,
}

/// <summary>A well-formed GET, HEAD or OPTIONS request, with the header fields the server acts on.
/// Text fields are the raw header values (ISO-8859-1 decoded, outer whitespace trimmed); repeated
/// lines of one field are joined with ", " as RFC 9110 5.3 allows, so a repeated singleton field
/// (Range, If-Range, If-Modified-Since) no longer parses and is then ignored.</summary>
public sealed record HttpRequest
{
    /// <summary>GET, HEAD or OPTIONS.</summary>
    public required RequestMethod Method { get; init; }

    /// <summary>The method token as received.</summary>
    public required string MethodName { get; init; }

    /// <summary>Which target form the request line used.</summary>
    public required RequestTargetForm TargetForm { get; init; }

    /// <summary>The request-target exactly as received.</summary>
    public required string Target { get; init; }

    /// <summary>The path part, still percent-encoded ("*" for the asterisk form; "/" if an
    /// absolute-form target had an empty path).</summary>
    public required string RawPath { get; init; }

    /// <summary>The query without its '?', still percent-encoded; null if there was none.</summary>
    public string? Query { get; init; }

    /// <summary>The protocol version the request was read as.</summary>
    public required HttpVersion Version { get; init; }

    /// <summary>The Host field value (for an absolute-form target: the target's authority); null if absent (HTTP/1.0 only).</summary>
    public string? Host { get; init; }

    /// <summary>The Range field value, or null.</summary>
    public string? Range { get; init; }

    /// <summary>The If-None-Match field value, or null.</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>The If-Match field value, or null.</summary>
    public string? IfMatch { get; init; }

    /// <summary>The If-Modified-Since field value, or null.</summary>
    public string? IfModifiedSince { get; init; }

    /// <summary>The If-Unmodified-Since field value, or null.</summary>
    public string? IfUnmodifiedSince { get; init; }

    /// <summary>The If-Range field value, or null.</summary>
    public string? IfRange { get; init; }

    /// <summary>The Connection field value, or null.</summary>
    public string? Connection { get; init; }

    /// <summary>The User-Agent field value, or null.</summary>
    public string? UserAgent { get; init; }

    /// <summary>True if the client sent "Expect: 100-continue" in HTTP/1.1. Requests we accept have no
    /// body, so no 100 (Continue) is ever owed (RFC 9110 10.1.1); kept for logs.</summary>
    public bool ExpectContinue { get; init; }

    /// <summary>True if the connection may carry another request after this one's response
    /// (RFC 9112 9.3: 1.1 unless "close"; 1.0 only with "keep-alive").</summary>
    public required bool KeepAlive { get; init; }

    /// <summary>True for HEAD: the response has headers only.</summary>
    public bool IsHead => Method == RequestMethod.Head;
}
