namespace Atcp.Frontend.Http;

/// <summary>Who sends the response.</summary>
public enum HttpDecisionKind
{
    /// <summary>The front-end sends <see cref="HttpDecision.Bytes"/> (the whole response) itself.</summary>
    AnswerLocally,
    /// <summary>A board sends <see cref="HttpDecision.Bytes"/> (the header, the "prefix") and then
    /// [Offset, Offset + Length) of <see cref="HttpDecision.Object"/>.</summary>
    DelegateToBoard,
}

/// <summary>How to answer one request.</summary>
/// <param name="Kind">Front-end or board.</param>
/// <param name="StatusCode">The status of the response (for logs and counters).</param>
/// <param name="Bytes">The whole response (local) or the header prefix (delegated).</param>
/// <param name="CloseAfter">True if the connection is closed after this response.</param>
/// <param name="Object">The object a board sends from (delegated only).</param>
/// <param name="Offset">First byte of the object to send (delegated only).</param>
/// <param name="Length">Bytes of the object to send; 0 for a delegated HEAD.</param>
public sealed record HttpDecision(HttpDecisionKind Kind, int StatusCode, byte[] Bytes, bool CloseAfter,
                                  ObjectInfo? Object = null, long Offset = 0, long Length = 0)
{
    /// <summary>The front-end answers with <paramref name="response"/>.</summary>
    public static HttpDecision Local(int status, byte[] response, bool closeAfter) =>
        new(HttpDecisionKind.AnswerLocally, status, response, closeAfter);

    /// <summary>A board answers: <paramref name="prefix"/>, then the given run of <paramref name="obj"/>.</summary>
    public static HttpDecision Delegate(int status, byte[] prefix, bool closeAfter, ObjectInfo obj, long offset, long length) =>
        new(HttpDecisionKind.DelegateToBoard, status, prefix, closeAfter, obj, offset, length);
}

/// <summary>The server-wide choices of the request handler.</summary>
public sealed record HttpServerOptions
{
    /// <summary>The Server field value.</summary>
    public string ServerName { get; init; } = "atcp";

    /// <summary>The URL scheme.</summary>
    public HttpRouteOptions Routes { get; init; } = HttpRouteOptions.Default;

    /// <summary>If false, directory requests get 403 instead of a listing.</summary>
    public bool DirectoryListings { get; init; } = true;

    /// <summary>Most entries shown in one listing.</summary>
    public int MaxListingEntries { get; init; } = 1000;

    /// <summary>If true, HEAD of an object is delegated to its board with length 0 instead of being
    /// answered by the front-end (which knows every header field already).</summary>
    public bool DelegateHead { get; init; }

    /// <summary>Range fields with more range-specs are ignored.</summary>
    public int MaxRanges { get; init; } = ByteRanges.DefaultMaxRanges;

    /// <summary>Content-Type for objects whose inventory type is missing or malformed.</summary>
    public string DefaultContentType { get; init; } = "application/octet-stream";

    /// <summary>The defaults.</summary>
    public static HttpServerOptions Default { get; } = new();
}
